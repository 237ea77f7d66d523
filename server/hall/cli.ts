import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { ERRORS } from "../../shared/errors";
import { maskIdNumber } from "../../shared/mask";
import { ID_TYPES, type IdType, IdTypeSchema } from "../../shared/rules";
import { systemClock } from "../accounts/deps";
import { Refused } from "../accounts/refused";
import { RedisBus } from "../bus/redis";
import { loadConfig } from "../config";
import { busNotifier } from "../sessions/notify";
import { type Db, openStore } from "../store";
import { StoreBusyError } from "../store/pglite";
import {
  addCompany,
  type HallDeps,
  issueHallCode,
  resetDeclarationPassword,
  resetPassword,
  unlockCompany,
  unlockPerson,
} from "./service";

// The tax hall's tool: `npx tsx server/hall/cli.ts <command> [options] [--json]`, on the hub's store
// (DATA_DIR, or DATABASE_URL). Exit codes: 0 done, 1 refused (bad input, not found…), 2 usage,
// 3 store unavailable. Passwords are never printed; give "-" to read one from stdin.

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
Store: DATA_DIR (embedded, default ./data — stop the hub first) or DATABASE_URL (PostgreSQL).
Sessions a reset ends: with REDIS_URL the hub nodes close their sockets at once; without it, at their next step.
Exit codes: 0 done, 1 refused, 2 usage, 3 store unavailable.`;

class UsageError extends Error {}

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
    throw new Refused("BAD_MESSAGE", { path: "idType" }, `证件类型应为：${ID_TYPES.join("、")}`);
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

type Output = { json: Record<string, unknown>; text: string[] };

async function run(command: string, v: Values, deps: HallDeps): Promise<Output> {
  switch (command) {
    case "issue-code": {
      const idType = idTypeOf(need(v, "id-type"));
      const idNumber = need(v, "id-number");
      const { code, expiresAt } = await issueHallCode(deps, {
        name: need(v, "name"),
        idType,
        idNumber,
        nationality: v.nationality,
      });
      return {
        json: { code, expiresAt: expiresAt.toISOString() },
        text: [
          `大厅注册码 / hall registration code: ${code}`,
          `有效期至 / valid until: ${expiresAt.toISOString()} (7 天 / days, 一次有效 / single use)`,
          `绑定证件 / bound to: ${idType} ${maskIdNumber(idNumber.trim().toUpperCase())}`,
        ],
      };
    }
    case "add-company": {
      const financeManager = v["finance-manager"];
      const r = await addCompany(deps, {
        taxId: need(v, "tax-id"),
        name: need(v, "name"),
        legalRep: { idType: idTypeOf(v["legal-rep-id-type"], "居民身份证"), idNumber: need(v, "legal-rep") },
        financeManager: financeManager
          ? { idType: idTypeOf(v["finance-manager-id-type"], "居民身份证"), idNumber: financeManager }
          : undefined,
        declarationPassword: await secret(v, "declaration-password"),
        local: v.local === true,
      });
      return {
        json: { taxId: r.taxId, local: v.local === true },
        text: [`已登记单位 / company added: ${r.taxId}`],
      };
    }
    case "reset-password": {
      const r = await resetPassword(deps, {
        idType: idTypeOf(need(v, "id-type")),
        idNumber: need(v, "id-number"),
        password: await secret(v, "password"),
      });
      return {
        json: r,
        text: [
          "登录密码已重置 / password reset",
          `锁定已解除 / lock lifted: ${r.wasLocked ? "是 / yes" : "未锁定 / was not locked"}`,
          `结束会话 / sessions ended: ${r.sessionsEnded}`,
        ],
      };
    }
    case "reset-declaration-password": {
      const r = await resetDeclarationPassword(deps, {
        taxId: need(v, "tax-id"),
        password: await secret(v, "password"),
      });
      return {
        json: r,
        text: [
          "申报密码已重置 / declaration password reset",
          `锁定已解除 / lock lifted: ${r.wasLocked ? "是 / yes" : "未锁定 / was not locked"}`,
        ],
      };
    }
    case "unlock": {
      const taxId = v["tax-id"];
      const r = taxId
        ? await unlockCompany(deps, { taxId })
        : await unlockPerson(deps, {
            idNumber: need(v, "id-number"),
            idType: v["id-type"] === undefined ? undefined : idTypeOf(v["id-type"]),
          });
      return {
        json: r,
        text: [
          r.wasLocked
            ? "已解除锁定 / lock lifted"
            : "未锁定，无需解除 / was not locked (failure count cleared)",
        ],
      };
    }
    default:
      throw new UsageError(`unknown command: ${command}`);
  }
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
  let db: Db | undefined;
  let bus: RedisBus | undefined;
  try {
    const config = loadConfig();
    try {
      db = await openStore(config);
    } catch (err) {
      const why =
        err instanceof StoreBusyError ? err.message : `cannot open the store: ${(err as Error).message}`;
      process.stderr.write(`存储不可用 / store unavailable: ${why}\n`);
      return 3;
    }
    bus = await openBus(config.redisUrl, config.redisPrefix);
    const deps: HallDeps = {
      db,
      clock: systemClock,
      nodeId: "hall-cli",
      operator: values.operator ?? userInfo().username,
      ...(bus ? { notifier: busNotifier(bus, () => warnNoBus()) } : {}),
    };
    const out = await run(command, values, deps);
    process.stdout.write(json ? `${JSON.stringify(out.json)}\n` : `${out.text.join("\n")}\n`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof Refused) {
      const message = err.detail ?? ERRORS[err.code];
      if (json)
        process.stdout.write(`${JSON.stringify({ error: { code: err.code, message, ...err.data } })}\n`);
      process.stderr.write(
        `错误 / refused: ${message} (${err.code}${err.data.path ? `, ${err.data.path}` : ""})\n`,
      );
      return 1;
    }
    process.stderr.write(`内部错误 / internal error: ${(err as Error).message}\n`);
    return 3;
  } finally {
    await db?.close();
    await bus?.close();
  }
}

/**
 * The hall runs in its own process: with REDIS_URL it tells the hub nodes through Redis to close the
 * sockets of sessions a reset ended. Without it (one embedded hub) those sessions are refused at the
 * socket's next step or idle check, which read the store.
 */
async function openBus(url: string | undefined, prefix: string): Promise<RedisBus | undefined> {
  if (!url) return undefined;
  const bus = new RedisBus(url, prefix, pino({ level: "silent" }));
  if (!(await bus.ready(3000))) warnNoBus();
  return bus;
}

function warnNoBus(): void {
  process.stderr.write(
    "提示 / note: Redis 不可用，已结束的会话将在下一次操作时失效 / Redis unreachable: ended sessions close at their next step\n",
  );
}

process.exitCode = await main(process.argv.slice(2));
