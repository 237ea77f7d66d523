import { parseArgs } from "node:util";
import { ERRORS } from "../../shared/errors";
import { type Config, loadConfig } from "../config";
import {
  callHub,
  describePostgres,
  describeRoute,
  HubUnreachableError,
  OtherStoreError,
  routeToStore,
} from "../hall/remote";
import { systemClock } from "../kernel/clock";
import { Refusal } from "../kernel/refusal";
import { IN_MEMORY, openStore } from "../store";
import { StoreBusyError } from "../store/pglite";
import { demoGuide, formatGuide, type GuideContext } from "./guide";
import { DemoResult, seedDemo } from "./seed";

// `npm run demo [-- --json]`: fills the store with the demo cast and prints where to type what.
// Goes through the running hub when it holds the embedded store, else opens the store itself
// (PostgreSQL with DATABASE_URL). Exit codes: 0 done, 1 refused (production, a clash), 3 store unavailable.

const USAGE = `usage: npm run demo [-- --json]
  Fills the store (DATA_DIR, or DATABASE_URL; without either, that of the hub at HOST:PORT if one runs
  there, else ./data) with made-up people and companies for trying the product,
  resetting them if they are there already, and prints the accounts, passwords and a fresh hall code.
  Never in production (NODE_ENV=production).`;

const noEvents = { emit() {} };

/** Whether a hub answers at `url` (the guide says "npm start" otherwise). */
async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1500) })).ok;
  } catch {
    return false;
  }
}

async function fill(config: Config): Promise<{ result: DemoResult; ctx: GuideContext }> {
  const route = !config.databaseUrl && config.dataDir !== IN_MEMORY ? await routeToStore(config) : null;
  if (route?.hub) {
    const result = DemoResult.parse(await callHub(route.hub, "demo", {}));
    return {
      result,
      ctx: { publicUrl: route.hub.publicUrl, hubRunning: true, store: describeRoute(route) },
    };
  }
  const db = await openStore(route ? { ...config, dataDir: route.dataDir } : config);
  try {
    const result = await seedDemo({ db, clock: systemClock, events: noEvents, nodeId: "demo" });
    const store = route
      ? describeRoute(route)
      : config.databaseUrl
        ? describePostgres(config.databaseUrl)
        : "in memory (gone when this command ends)";
    return {
      result,
      ctx: { publicUrl: config.publicUrl, hubRunning: await answers(config.publicUrl), store },
    };
  } finally {
    await db.close();
  }
}

async function main(argv: string[]): Promise<number> {
  let json = false;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    json = values.json === true;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  if (config.production) {
    process.stderr.write(
      "演示数据不能用于生产环境 / npm run demo refuses to run in production (NODE_ENV=production): " +
        "it creates made-up accounts whose passwords are printed for everyone.\n",
    );
    return 1;
  }
  try {
    const { result, ctx } = await fill(config);
    const guide = demoGuide(result, ctx);
    process.stdout.write(json ? `${JSON.stringify(guide, null, 2)}\n` : formatGuide(guide));
    return 0;
  } catch (err) {
    if (err instanceof Refusal && err.code === "UNKNOWN_MESSAGE") {
      process.stderr.write(
        "演示数据不能用于生产环境 / the running hub is in production mode and refuses the demo.\n",
      );
      return 1;
    }
    if (err instanceof Refusal) {
      process.stderr.write(`错误 / refused: ${err.detail ?? ERRORS[err.code]} (${err.code})\n`);
      return 1;
    }
    if (
      err instanceof StoreBusyError ||
      err instanceof HubUnreachableError ||
      err instanceof OtherStoreError
    ) {
      process.stderr.write(`存储不可用 / store unavailable: ${err.message}\n`);
      return 3;
    }
    process.stderr.write(`内部错误 / internal error: ${(err as Error).message}\n`);
    return 3;
  }
}

process.exitCode = await main(process.argv.slice(2));
