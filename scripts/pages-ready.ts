// `npm start` loads this before server/main.ts (`node --import`): if the pages' sources changed since their last
// build (scripts/build-web.ts), it builds them first, in a child process, so vite never loads into the hub;
// otherwise it costs one digest of the sources (tens of milliseconds) and prints nothing.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";
import { pagesState } from "./build-web";

const ROOT = resolve(import.meta.dirname, "..");

const state = pagesState();
if (!state.fresh) {
  // It says why it builds ("pages: page sources changed; building…") and how long it took.
  const build = spawn(process.execPath, ["--import", "tsx", "scripts/build-web.ts"], {
    cwd: ROOT,
    stdio: "inherit",
  });
  // A stop asked for during the build stops the build, and the start.
  const stop = (signal: NodeJS.Signals) => build.kill(signal);
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const [code, signal] = (await once(build, "exit")) as [number | null, NodeJS.Signals | null];
  process.off("SIGINT", stop);
  process.off("SIGTERM", stop);
  if (code !== 0) {
    console.error(
      signal ? `pages: build stopped (${signal})` : "pages: build failed; the hub does not start",
    );
    process.exit(signal ? 1 : (code ?? 1));
  }
}
