import { createHash, timingSafeEqual } from "node:crypto";
import { chmodSync, closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { errorBody } from "../../shared/errors";
import { answerErrors, limitBody, peerAddress } from "../http/request";
import { peerIp } from "../http/upgrade";
import { newToken } from "../kernel/tokens";
import { HUB_FILE, HubFile } from "../store/hub-file";
import { HallCommand, runHallCommand } from "./commands";
import type { HallDeps } from "./service";

// The hub's admin edge, for tools on the same machine. The embedded store (PGlite) lets one process
// open DATA_DIR; while the hub holds it, the hall CLI and `npm run demo` ask the hub instead:
//
//   hub start ── writes DATA_DIR/hub.json {url, token, pid} (mode 0600) ── tools read it
//   tool ── POST /internal/<action>, Authorization: Bearer <token>, from a loopback address ──▶ hub
//   hub close ── removes hub.json
//
// Whoever can read DATA_DIR can already open the store, so the token adds nothing they lack; the
// loopback check keeps it off the network even when the hub listens on every interface.

export { HUB_FILE, HubFile } from "../store/hub-file";

/**
 * Which store a hub runs on, for tools on this machine that were started without DATA_DIR: they ask the
 * hub at their default address (`GET /internal/hub`, loopback only, no token) and follow it to its
 * DATA_DIR/hub.json, or say which store it is on instead of silently filling ./data.
 */
export const HubInfo = z.strictObject({
  nodeId: z.string(),
  store: z.discriminatedUnion("kind", [
    /** The embedded store, its folder as an absolute path. */
    z.strictObject({ kind: z.literal("pglite"), dir: z.string().min(1) }),
    z.strictObject({ kind: z.literal("memory") }),
    /** PostgreSQL: host, port and database only (never the user or password). */
    z.strictObject({ kind: z.literal("postgres"), where: z.string() }),
  ]),
});
export type HubInfo = z.infer<typeof HubInfo>;

/** One admin action: parses its own body (zod), answers JSON. Throws Refusal for what a person can fix. */
export type AdminAction = (body: unknown) => Promise<unknown>;

const HallRequest = z.strictObject({ operator: z.string().min(1).max(64), command: HallCommand });
export type HallRequest = z.infer<typeof HallRequest>;

/** The hall commands, run by the hub on its own store with the hall operator named by the tool. */
export function hallAction(deps: Omit<HallDeps, "operator">): AdminAction {
  return async (body) => {
    const req = HallRequest.parse(body);
    return runHallCommand({ ...deps, operator: req.operator }, req.command);
  };
}

/** 127.0.0.0/8 and ::1 (IPv4-mapped or not). Anything else, or an unknown peer, is remote. */
export function isLoopback(address: string): boolean {
  const ip = peerIp(address);
  return ip === "::1" || /^127(\.\d{1,3}){3}$/.test(ip);
}

/** Set by a reverse proxy: then the loopback peer is the proxy, not the person. */
const FORWARDING_HEADERS = ["forwarded", "x-forwarded-for", "x-real-ip"];

const digest = (s: string) => createHash("sha256").update(s).digest();

/** A loopback peer that is not a proxy relaying someone else. */
function fromThisMachine(c: Context, peer: (c: Context) => string): boolean {
  return isLoopback(peer(c)) && !FORWARDING_HEADERS.some((h) => c.req.header(h) !== undefined);
}

export interface AdminRoutesOptions {
  /** The peer's address; by default the socket's. */
  peer?: (c: Context) => string;
  /** Internal errors (name and message only: bodies may hold passwords). */
  log?: (line: string) => void;
}

/** `POST /hall`, `POST /demo`…, mounted at /internal. */
export function adminRoutes(
  token: string,
  actions: Record<string, AdminAction>,
  options: AdminRoutesOptions = {},
): Hono {
  const expected = digest(token);
  const peer = options.peer ?? peerAddress;
  const log = options.log ?? ((line: string) => console.error(line));
  const app = new Hono();
  app.onError(answerErrors((line) => log(`[admin] ${line}`)));
  app.use("*", async (c, next) => {
    if (!fromThisMachine(c, peer)) return c.json(errorBody("ORIGIN_NOT_ALLOWED"), 403);
    const given = /^Bearer (\S+)$/.exec(c.req.header("authorization") ?? "")?.[1] ?? "";
    if (!timingSafeEqual(digest(given), expected)) return c.json(errorBody("NOT_LOGGED_IN"), 401);
    await next();
  });
  app.post("/:action", limitBody(64 * 1024), async (c) => {
    const action = Object.hasOwn(actions, c.req.param("action")) ? actions[c.req.param("action")] : undefined;
    if (!action) return c.json(errorBody("UNKNOWN_MESSAGE"), 404);
    const body: unknown = await c.req.json().catch(() => undefined);
    return c.json((await action(body)) as object);
  });
  return app;
}

/**
 * Everything at /internal: `GET /hub` (which store this hub runs on, to loopback peers) on every hub,
 * and the admin actions when this hub holds the embedded store.
 */
export function internalRoutes(
  info: HubInfo,
  admin: Hono | null,
  peer: (c: Context) => string = peerAddress,
): Hono {
  const app = new Hono();
  app.get("/hub", (c) =>
    fromThisMachine(c, peer) ? c.json(info) : c.json(errorBody("ORIGIN_NOT_ALLOWED"), 403),
  );
  if (admin) app.route("/", admin);
  return app;
}

/** The bound address as a tool on this machine dials it: a wildcard host becomes loopback. */
export function loopbackUrl(host: string, port: number): string | null {
  if (host === "0.0.0.0" || /^127\./.test(host) || host === "localhost") {
    return `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;
  }
  if (host === "::" || host === "::1") return `http://[::1]:${port}`;
  return null; // bound to one outside address only: no loopback path to offer
}

export interface AdminEdge {
  routes: Hono;
  /** Removes hub.json (if it is still ours). */
  close(): void;
}

/**
 * Opens the admin edge of a hub that holds the embedded store in `dataDir`: a fresh token, the routes,
 * and hub.json announcing them. Null when the hub cannot be reached over loopback.
 */
export function openAdminEdge(o: {
  dataDir: string;
  host: string;
  port: number;
  publicUrl: string;
  nodeId: string;
  actions: Record<string, AdminAction>;
  log?: (line: string) => void;
}): AdminEdge | null {
  const url = loopbackUrl(o.host, o.port);
  if (!url) return null;
  const token = newToken();
  const file: HubFile = { url, publicUrl: o.publicUrl, token, pid: process.pid, nodeId: o.nodeId };
  const path = join(o.dataDir, HUB_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, `${JSON.stringify(file, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, 0o600); // in case a stale tmp file existed with another mode
  renameSync(tmp, path);
  return {
    routes: adminRoutes(token, o.actions, { log: o.log }),
    close() {
      try {
        if (HubFile.parse(JSON.parse(readFileSync(path, "utf8"))).token === token) unlinkSync(path);
      } catch {
        // gone already, or another hub's now
      }
    },
  };
}
