import { hostname } from "node:os";
import { z } from "zod";
import { parseTrustProxy, type TrustProxy } from "./http/client-address";
import { HubLimitsOverride } from "./limits";

// Every setting of the hub, from the environment, parsed once at start. The README lists them all.
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");

/** Exactly these, or unset: a misspelt "Production" must not start a development hub (fail closed). */
export const NodeEnv = z
  .enum(["production", "development", "test"], {
    error: (iss) =>
      `must be exactly "production", "development" or "test", or unset (got ${JSON.stringify(iss.input)})`,
  })
  .optional();

/** A comma-separated list, items trimmed, empty ones dropped. */
const commaList = z
  .string()
  .default("")
  .transform((s) =>
    s
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean),
  );

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default("127.0.0.1"),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z.string().min(1).optional(),
  REDIS_URL: z.string().min(1).optional(),
  /** A Redis Cluster's seed nodes, comma-separated host:port (instead of REDIS_URL). */
  REDIS_CLUSTER_NODES: commaList.pipe(
    z.array(z.string().regex(/^[^\s,:/@]+:\d{1,5}$/, "expected host:port")),
  ),
  /** Processes serving this node's one port: a number, or "auto" for one per core (server/workers.ts). */
  WORKERS: z.union([z.literal("auto"), z.coerce.number().int().min(1).max(256)]).default(1),
  REDIS_PREFIX: z.string().default("shiming:"),
  NODE_ID: z.string().min(1).optional(),
  QR_TTL_S: z.coerce.number().int().min(10).max(3600).default(120),
  // seed: "2020年1月1日后，扣缴客户端将不再支持以CA方式进行登录"
  CA_CUTOFF: isoDay.default("2020-01-01"),
  // seed: "2020年1月1日将上线办税授权关系功能"
  AUTHORIZATION_FROM: isoDay.default("2020-01-01"),
  /** PEM file of the local CA root(s) that company certificates chain to; without it CA is not offered. */
  CA_ROOTS_FILE: z.string().min(1).optional(),
  NODE_ENV: NodeEnv,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Extra origins allowed to open the client socket, comma-separated (e.g. a moz-extension:// one). */
  ALLOWED_ORIGINS: commaList.pipe(z.array(z.url())),
  /** Other hub nodes' public origins whose QR links the phone pages follow too, comma-separated. */
  HUB_ORIGINS: commaList.pipe(z.array(z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin))),
  /** Needed by the event console (/dev/events) in production mode. */
  OPERATOR_TOKEN: z.string().min(16).optional(),
  /** The balancers in front whose word about the client counts (server/http/client-address.ts). */
  TRUST_PROXY: z
    .string()
    .default("")
    .transform((s, ctx) => {
      try {
        return parseTrustProxy(s);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
        return z.NEVER;
      }
    }),
  TRUST_PROXY_HEADER: z.enum(["x-forwarded-for", "forwarded"]).default("x-forwarded-for"),
  /** JSON overriding named hub limits (server/limits.ts), e.g. {"ticketsPerIpPerMinute":1000}. */
  HUB_LIMITS: z
    .string()
    .default("{}")
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "not JSON" });
        return z.NEVER;
      }
    })
    .pipe(HubLimitsOverride),
});

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** `redis://…` (one Redis) or `redis+cluster://h1:p1,h2:p2` (a Redis Cluster; REDIS_CLUSTER_NODES lands here too). */
  redisUrl: string | undefined;
  /** Worker processes wanted (WORKERS; "auto" = one per core). */
  workers: number | "auto";
  redisPrefix: string;
  nodeId: string;
  qrTtlS: number;
  caCutoff: Date;
  authorizationFrom: Date;
  caRootsFile: string | undefined;
  production: boolean;
  logLevel: string;
  allowedOrigins: string[];
  hubOrigins: string[];
  operatorToken: string | undefined;
  limits: HubLimitsOverride;
  /** Which proxies may tell us the client's address (TRUST_PROXY, TRUST_PROXY_HEADER). */
  trustProxy: TrustProxy;
}

/** Midnight in China Standard Time (UTC+8) of the given day: the seed's dates are Beijing dates. */
export function beijingMidnight(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if (e.REDIS_URL && e.REDIS_CLUSTER_NODES.length > 0)
    throw new Error(
      "Invalid configuration:\n  REDIS_CLUSTER_NODES: set REDIS_URL or REDIS_CLUSTER_NODES, not both",
    );
  const redisUrl =
    e.REDIS_CLUSTER_NODES.length > 0 ? `redis+cluster://${e.REDIS_CLUSTER_NODES.join(",")}` : e.REDIS_URL;
  if (redisUrl?.startsWith("redis+cluster://")) {
    const problem = clusterUrlProblem(redisUrl);
    if (problem) throw new Error(`Invalid configuration:\n  REDIS_URL: ${problem}`);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/$/, ""),
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    redisUrl,
    workers: e.WORKERS,
    redisPrefix: e.REDIS_PREFIX,
    nodeId: e.NODE_ID ?? `${hostname()}-${process.pid}`,
    qrTtlS: e.QR_TTL_S,
    caCutoff: beijingMidnight(e.CA_CUTOFF),
    authorizationFrom: beijingMidnight(e.AUTHORIZATION_FROM),
    caRootsFile: e.CA_ROOTS_FILE,
    production: e.NODE_ENV === "production",
    logLevel: e.LOG_LEVEL,
    allowedOrigins: e.ALLOWED_ORIGINS,
    hubOrigins: e.HUB_ORIGINS,
    operatorToken: e.OPERATOR_TOKEN,
    limits: e.HUB_LIMITS,
    trustProxy:
      e.TRUST_PROXY.kind === "none" ? e.TRUST_PROXY : { ...e.TRUST_PROXY, header: e.TRUST_PROXY_HEADER },
  };
}

/** `redis+cluster://[user:password@]h1:p1,h2:p2`: seed nodes (any masters or replicas; the rest is discovered). */
export interface ClusterTarget {
  nodes: { host: string; port: number }[];
  username: string | undefined;
  password: string | undefined;
}

export function parseClusterUrl(url: string): ClusterTarget | null {
  const m = /^redis\+cluster:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)\/?$/.exec(url);
  if (!m) return null;
  const nodes = (m[3] ?? "").split(",").map((hp) => {
    const i = hp.lastIndexOf(":");
    return { host: hp.slice(0, i), port: Number(hp.slice(i + 1)) };
  });
  if (nodes.some((n) => !n.host || !Number.isInteger(n.port) || n.port < 1 || n.port > 65535)) return null;
  const dec = (s: string | undefined) => (s ? decodeURIComponent(s) : undefined);
  return { nodes, username: dec(m[1]), password: dec(m[2]) };
}

function clusterUrlProblem(url: string): string | null {
  return parseClusterUrl(url) ? null : "expected redis+cluster://host:port,host:port";
}
