import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { z } from "zod";
import { ERRORS } from "../../shared/errors";
import { ID_TYPES, type IdType, IdTypeSchema } from "../../shared/rules";
import { RedisBus } from "../bus/redis";
import { type Config, loadConfig } from "../config";
import { systemClock } from "../kernel/clock";
import { Refusal } from "../kernel/refusal";
import { busNotifier } from "../sessions/notify";
import { type Db, IN_MEMORY, openStore } from "../store";
import { StoreBusyError } from "../store/pglite";
import { type HallCommand, type HallOutput, runHallCommand } from "./commands";
import {
  callHub,
  describePostgres,
  describeRoute,
  HubUnreachableError,
  OtherStoreError,
  routeToStore,
} from "./remote";

// The tax hall's tool: `npx tsx server/hall/cli.ts <command> [options] [--json]`, on the hub's store
// (DATA_DIR, or DATABASE_URL). While a hub holds the embedded store, the command goes to that hub
// (admin.ts). Exit codes: 0 done, 1 refused (bad input, not found…), 2 usage, 3 store unavailable.
// Passwords are never printed; give "-" to read one from stdin.

const USAGE = `办税服务厅工具 / tax hall tool

usage: npx tsx server/hall/cli.ts <command> [options] [--json] [--operator <name>]

  issue-code --name <姓名> --id-type <证件类型> --id-number <证件号码> [--nationality <国籍>]
      发放大厅注册码（6位，7天有效，一次有效；重新发放则旧码作废）/ issue a hall registration code
  add-company --tax-id <纳税人识别号> --name <单位名称> --legal-rep <证件号码> [--legal-rep-id-type <证件类型>]
      [--finance-manager <证件号码>] [--finance-manager-id-type <证件类型>] --declaration-password <申报密码|-> [--local]
      登记扣缴单位 / add a withholding company
  reset-password --id-type <证件类型> --id-number <证件号码> --password <新密码|->
      重置登录密码（解除锁定，结束现有会话）/ reset a login password (lifts the lock, ends sessions)
  reset-declaration-password --tax-id <纳税人识别号> --password <新申报密码|->
      重置申报密码（解除锁定）/ reset a declaration password (lifts its lock)
  unlock --id-number <证件号码> [--id-type <证件类型>]  |  unlock --tax-id <纳税人识别号>
      解除锁定 / lift a password or declaration-password lock

证件类型 / ID types: ${ID_TYPES.join("、")}
Store: DATA_DIR (embedded, default ./data; while \`npm start\` holds it, the command goes to that hub)
       or DATABASE_URL (PostgreSQL). Without either, the command goes to the hub at HOST:PORT
       (default 127.0.0.1:8080) and its store, if one runs there; it stops if that hub's store is
       out of reach (PostgreSQL, memory). Every answer says which store it used.
Sessions a reset ends: through a running hub, or with REDIS_URL, their sockets close at once;
       otherwise at their next step.
Exit codes: 0 done, 1 refused, 2 usage, 3 store unavailable.`;

class UsageError extends Error {}
class StoreUnavailable extends Error {}

const COMMANDS = ["issue-code", "add-company", "reset-password", "reset-declaration-password", "unlock"];

const OPTIONS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  operator: { type: "string" },
  name: { type: "string" },
  "id-type": { type: "string" },
  "id-number": { type: "string" },
  nationality: { type: "string" },
  "tax-id": { type: "string" },
  "legal-rep": { type: "string" },
  "legal-rep-id-type": { type: "string" },
  "finance-manager": { type: "string" },
  "finance-manager-id-type": { type: "string" },
  "declaration-password": { type: "string" },
  password: { type: "string" },
  local: { type: "boolean" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

function need(values: Values, key: keyof Values): string {
  const v = values[key];
  if (typeof v !== "string" || v === "") throw new UsageError(`missing --${key}`);
  return v;
}

function idTypeOf(value: string | undefined, fallback?: IdType): IdType {
  if (value === undefined && fallback) return fallback;
  const parsed = IdTypeSchema.safeParse(value);
  if (!parsed.success)
    throw new Refusal("BAD_MESSAGE", { path: "idType" }, `证件类型应为：${ID_TYPES.join("、")}`);
  return parsed.data;
}

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return (Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "").trim();
}

/** A password option; "-" reads it from stdin so it stays out of the process list and shell history. */
async function secret(values: Values, key: "password" | "declaration-password"): Promise<string> {
  const v = need(values, key);
  return v === "-" ? readStdinLine() : v;
}

/** The command the arguments ask for, secrets read from stdin where "-" says so. */
async function commandOf(name: string, v: Values): Promise<HallCommand> {
  switch (name) {
    case "issue-code":
      return {
        command: "issue-code",
        idType: idTypeOf(need(v, "id-type")),
        idNumber: need(v, "id-number"),
        name: need(v, "name"),
        nationality: v.nationality,
      };
    case "add-company": {
      const financeManager = v["finance-manager"];
      return {
        command: "add-company",
        taxId: need(v, "tax-id"),
        name: need(v, "name"),
        legalRep: { idType: idTypeOf(v["legal-rep-id-type"], "居民身份证"), idNumber: need(v, "legal-rep") },
        financeManager: financeManager
          ? { idType: idTypeOf(v["finance-manager-id-type"], "居民身份证"), idNumber: financeManager }
          : undefined,
        declarationPassword: await secret(v, "declaration-password"),
        local: v.local === true,
      };
    }
    case "reset-password":
      return {
        command: "reset-password",
        idType: idTypeOf(need(v, "id-type")),
        idNumber: need(v, "id-number"),
        password: await secret(v, "password"),
      };
    case "reset-declaration-password":
      return {
        command: "reset-declaration-password",
        taxId: need(v, "tax-id"),
        password: await secret(v, "password"),
      };
    case "unlock": {
      const taxId = v["tax-id"];
      if (taxId) return { command: "unlock-company", taxId };
      return {
        command: "unlock-person",
        idNumber: need(v, "id-number"),
        idType: v["id-type"] === undefined ? undefined : idTypeOf(v["id-type"]),
      };
    }
    default:
      throw new UsageError(`unknown command: ${name}`);
  }
}

const RemoteOutput = z.object({ json: z.record(z.string(), z.unknown()), text: z.array(z.string()) });

/**
 * Runs the command on the store: through the hub that holds the embedded store (hub.json in DATA_DIR),
 * or on the store itself (PostgreSQL with DATABASE_URL, or DATA_DIR when no hub runs).
 */
async function execute(
  config: Config,
  operator: string,
  command: HallCommand,
): Promise<HallOutput & { store: string; byDefault: boolean }> {
  if (config.databaseUrl || config.dataDir === IN_MEMORY) {
    const store = config.databaseUrl
      ? describePostgres(config.databaseUrl)
      : "in memory (gone when this command ends)";
    return { ...(await runOnStore(config, operator, command)), store, byDefault: false };
  }
  const route = await routeToStore(config);
  const out = route.hub
    ? RemoteOutput.parse(await callHub(route.hub, "hall", { operator, command }))
    : await runOnStore({ ...config, dataDir: route.dataDir }, operator, command);
  return { ...out, store: describeRoute(route), byDefault: route.byDefault };
}

/** Runs the command on the store itself (no hub holds it). */
async function runOnStore(config: Config, operator: string, command: HallCommand): Promise<HallOutput> {
  let db: Db;
  try {
    db = await openStore(config);
  } catch (err) {
    if (err instanceof StoreBusyError) throw err;
    throw new StoreUnavailable(`cannot open the store: ${(err as Error).message}`);
  }
  const bus = await openBus(config);
  try {
    const notifier = bus ? busNotifier(bus, () => warnNoBus()) : undefined;
    return await runHallCommand(
      { db, clock: systemClock, nodeId: "hall-cli", operator, ...(notifier ? { notifier } : {}) },
      command,
    );
  } finally {
    await db.close();
    await bus?.close();
  }
}

/**
 * On the store itself, the hall tells the hub nodes through Redis (REDIS_URL) to close the sockets of
 * sessions a reset ended. Without Redis those sessions are refused at the socket's next step or idle
 * check, which read the store.
 */
async function openBus(config: Config): Promise<RedisBus | undefined> {
  if (!config.redisUrl) return undefined;
  const bus = new RedisBus(config.redisUrl, config.redisPrefix, pino({ level: "silent" }));
  if (!(await bus.ready(3000))) warnNoBus();
  return bus;
}

function warnNoBus(): void {
  process.stderr.write(
    "提示 / note: Redis 不可用，已结束的会话将在下一次操作时失效 / Redis unreachable: ended sessions close at their next step\n",
  );
}

async function main(argv: string[]): Promise<number> {
  let values: Values;
  let command: string | undefined;
  try {
    const parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    values = parsed.values;
    command = parsed.positionals[0];
    if (parsed.positionals.length > 1)
      throw new UsageError(`unexpected: ${parsed.positionals.slice(1).join(" ")}`);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help || !command) {
    (values.help ? process.stdout : process.stderr).write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  if (!COMMANDS.includes(command)) {
    process.stderr.write(`unknown command: ${command}\n\n${USAGE}\n`);
    return 2;
  }
  const json = values.json === true;
  try {
    const config = loadConfig();
    const operator = values.operator ?? userInfo().username;
    const out = await execute(config, operator, await commandOf(command, values));
    // Which store it went to: on screen always; beside --json (stderr) when DATA_DIR chose nothing.
    if (json && out.byDefault) process.stderr.write(`存储 / store: ${out.store}\n`);
    process.stdout.write(
      json ? `${JSON.stringify(out.json)}\n` : `${[...out.text, `存储 / store: ${out.store}`].join("\n")}\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof Refusal) {
      const message = err.detail ?? ERRORS[err.code];
      if (json)
        process.stdout.write(`${JSON.stringify({ error: { code: err.code, message, ...err.data } })}\n`);
      process.stderr.write(
        `错误 / refused: ${message} (${err.code}${err.data.path ? `, ${err.data.path}` : ""})\n`,
      );
      return 1;
    }
    if (
      err instanceof StoreBusyError ||
      err instanceof StoreUnavailable ||
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
