import { resolve } from "node:path";
import { ERROR_CODES, type ErrorCode } from "../../shared/errors";
import type { Config } from "../config";
import { Refusal } from "../kernel/refusal";
import { findLocalHub, type HubFile } from "../store/hub-file";
import { HubInfo, loopbackUrl } from "./admin";

export { findLocalHub };

// The tools' side of the admin edge (admin.ts): find the live hub that holds DATA_DIR and send it
// an action. A refusal comes back as the same Refusal the service would have thrown.

/** The hub did not answer, or answered something that is not the admin edge's. */
export class HubUnreachableError extends Error {
  override name = "HubUnreachableError";
}

const isErrorCode = (v: unknown): v is ErrorCode => (ERROR_CODES as readonly unknown[]).includes(v);

/** POSTs `body` to the hub's `/internal/<action>` and returns its JSON answer. */
export async function callHub(hub: HubFile, action: string, body: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`${hub.url}/internal/${action}`, {
      method: "POST",
      headers: { authorization: `Bearer ${hub.token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(120_000),
    });
  } catch (err) {
    throw new HubUnreachableError(
      `the hub at ${hub.url} (pid ${hub.pid}) does not answer: ${(err as Error).message}`,
    );
  }
  const answer = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (res.ok && answer) return answer;
  if (answer && isErrorCode(answer.code) && res.status < 500 && res.status !== 401 && res.status !== 403) {
    const { path, attemptsLeft } = answer;
    throw new Refusal(
      answer.code,
      {
        ...(typeof path === "string" ? { path } : {}),
        ...(typeof attemptsLeft === "number" ? { attemptsLeft } : {}),
      },
      typeof answer.message === "string" ? answer.message : undefined,
    );
  }
  const why = answer && typeof answer.message === "string" ? `${answer.code}: ${answer.message}` : "";
  throw new HubUnreachableError(
    `the hub at ${hub.url} refused the request (HTTP ${res.status}) ${why}`.trim(),
  );
}

/**
 * The tool was started without DATA_DIR, no hub holds ./data, and the hub at the default address runs on
 * a store this tool cannot reach: filling ./data instead would go unseen, so the tool stops and says so.
 */
export class OtherStoreError extends Error {
  override name = "OtherStoreError";
}

/** What `GET /internal/hub` of the hub at `url` says, or null when nothing (or not a hub) answers there. */
export async function askHubInfo(url: string): Promise<HubInfo | null> {
  try {
    const res = await fetch(`${url}/internal/hub`, { signal: AbortSignal.timeout(3000) });
    if (!res.ok) return null;
    const parsed = HubInfo.safeParse(await res.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Where a tool's command goes: a hub that holds the embedded store, or the store itself (`dataDir`). */
export interface StoreRoute {
  hub: HubFile | null;
  /** The embedded store's folder, absolute (the hub's, when followed). */
  dataDir: string;
  /** The store was not named (no DATA_DIR): found through the hub at `askedAt`, or the default ./data. */
  byDefault: boolean;
  /** The address asked which store the hub there runs on, when it was asked. */
  askedAt?: string;
}

/**
 * Finds the hub a tool (hall, demo) should hand its command to. With DATA_DIR set, the hub in its
 * hub.json or none. Without it, when no hub holds ./data, the tool asks the hub at its own HOST:PORT
 * (default 127.0.0.1:8080) which store it runs on and follows it there through that folder's
 * hub.json; a hub on PostgreSQL or in memory is an OtherStoreError. Not called with DATABASE_URL.
 */
export async function routeToStore(
  config: Pick<Config, "dataDir" | "host" | "port">,
  env: Record<string, string | undefined> = process.env,
): Promise<StoreRoute> {
  const dataDir = resolve(config.dataDir);
  const here = findLocalHub(config.dataDir);
  const byDefault = env.DATA_DIR === undefined;
  if (here || !byDefault) return { hub: here, dataDir, byDefault };
  const url = loopbackUrl(config.host, config.port);
  const info = url ? await askHubInfo(url) : null;
  if (!url || !info) return { hub: null, dataDir, byDefault, ...(url ? { askedAt: url } : {}) };
  const { store } = info;
  const anyway = `or set DATA_DIR=${dataDir} to use the embedded store in this folder anyway`;
  if (store.kind === "pglite") {
    if (store.dir === dataDir) return { hub: null, dataDir, byDefault, askedAt: url }; // it is just stopping
    const there = findLocalHub(store.dir);
    if (there) return { hub: there, dataDir: store.dir, byDefault, askedAt: url };
    throw new OtherStoreError(
      `the hub at ${url} (${info.nodeId}) holds the embedded store in ${store.dir}, but its hub.json there ` +
        `cannot be read by this user; run as the hub's user with DATA_DIR=${store.dir}, ${anyway}`,
    );
  }
  throw new OtherStoreError(
    store.kind === "postgres"
      ? `the hub at ${url} (${info.nodeId}) runs on PostgreSQL ${store.where}: ` +
          `set DATABASE_URL to that database, ${anyway}`
      : `the hub at ${url} (${info.nodeId}) keeps its store in memory (DATA_DIR=:memory:), where no other ` +
          `process can reach it: start it with a DATA_DIR, ${anyway}`,
  );
}

/** The store a command ran on, in words, for the person at the terminal. */
export function describeRoute(route: StoreRoute): string {
  if (route.hub) {
    return `embedded (PGlite) ${route.dataDir}, through the running hub ${route.hub.nodeId} at ${route.hub.url}${
      route.byDefault && route.askedAt ? " (DATA_DIR not set: the hub found at that address)" : ""
    }`;
  }
  const none = route.askedAt ? `no hub at ${route.askedAt}` : "no hub holds it";
  return `embedded (PGlite) ${route.dataDir} (${route.byDefault ? "DATA_DIR not set: the default folder; " : ""}${none})`;
}

/** A PostgreSQL store in words: host, port and database, never the user or password. */
export function describePostgres(databaseUrl: string): string {
  try {
    const u = new URL(databaseUrl);
    return `PostgreSQL ${u.host}${u.pathname}`;
  } catch {
    return "PostgreSQL (unparsable DATABASE_URL)";
  }
}
