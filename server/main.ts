import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { redactUrl, startBanner } from "./banner";
import { loadConfig } from "./config";
import { type Hub, startHub } from "./hub";
import { StartAborted } from "./ops/drain";
import { IN_MEMORY } from "./store";
import { runWorkers, workerCount, workerIndex } from "./workers";

// `npm start`: one hub node with the configuration from the environment (server/config.ts).
const ROOT = resolve(import.meta.dirname, "..");

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  // A bad setting stops the hub before it listens, with the variable's name and nothing else.
  console.error(`hub not started: ${(err as Error).message}`);
  process.exit(1);
}
await runWorkers(config); // WORKERS=auto|N: the primary stays there, supervising; each worker goes on
const stop = stopOnSignals();
let hub: Hub;
try {
  hub = await startHub(config, { signal: stop.signal });
} catch (err) {
  if (!(err instanceof StartAborted)) throw err;
  console.log("hub stopped during start; nothing left behind");
  process.exit(0);
}
stop.started(hub);
const faceIds = (process.env.DEV_FACE_ID_NUMBERS ?? "").split(",").filter((s) => s.trim() !== "");
const banner = startBanner({
  nodeId: config.nodeId,
  url: hub.url,
  publicUrl: hub.publicUrl,
  store: config.databaseUrl
    ? { kind: "postgres", where: redactUrl(config.databaseUrl) }
    : { kind: "pglite", dir: config.dataDir === IN_MEMORY ? null : resolve(config.dataDir) },
  bus: config.redisUrl
    ? { kind: "redis", where: redactUrl(config.redisUrl), prefix: config.redisPrefix }
    : { kind: "memory" },
  production: config.production,
  // As server/adapters/index.ts decides: always outside production, in it only with DEV_ADAPTERS=1.
  devAdapters: !config.production || process.env.DEV_ADAPTERS === "1",
  devFaceIds: faceIds.length,
  extensionBuilt: existsSync(resolve(ROOT, ".output/chrome-mv3/manifest.json")),
  pagesBuilt: existsSync(resolve(ROOT, ".output/web/app/index.html")),
  hubOrigins: config.hubOrigins,
  workers: workerCount(config),
});
if ((workerIndex() ?? 1) === 1) console.log(banner.join("\n")); // one banner per node, not per worker

/**
 * SIGTERM / SIGINT drain the hub (server/hub.ts `close()`) and exit 0 once it has stopped. Installed
 * before the hub starts: a signal during start aborts it (startHub closes what it opened). Ctrl-C in a
 * terminal reaches the hub twice (from the terminal and forwarded by npm): the first one counts.
 */
function stopOnSignals(): { signal: AbortSignal; started(hub: Hub): void } {
  const aborter = new AbortController();
  let running: Hub | null = null;
  const drain = (hub: Hub) => {
    const started = Date.now();
    hub.close().then(
      () => {
        console.log(`hub drained and stopped in ${Date.now() - started} ms`);
        process.exit(0);
      },
      (err) => {
        console.error(`hub did not stop cleanly: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (aborter.signal.aborted) return;
      aborter.abort();
      if (running) drain(running);
    });
  }
  return {
    signal: aborter.signal,
    started(hub) {
      running = hub;
      if (aborter.signal.aborted) drain(hub); // the signal came as the last step of start finished
    },
  };
}
