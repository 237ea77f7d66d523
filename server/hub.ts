import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import type { Logger } from "pino";
import { accountsRoutes } from "./accounts/routes";
import { createAdapters } from "./adapters";
import { redactUrl } from "./banner";
import { type Bus, createBus, RedisBus } from "./bus";
import { createOneUse } from "./bus/one-use";
import { CaptchaService } from "./captcha/service";
import { type CompanyDeps, companyRoutes, registerCompany } from "./company";
import { loadRoots } from "./company/ca/chain";
import { CaVerifier } from "./company/ca/verifier";
import { findCompany } from "./company/store";
import type { Config } from "./config";
import { demoAction } from "./demo/seed";
import { createEventStream, EventConsole, type EventStream } from "./events";
import { type HubInfo, hallAction, internalRoutes, openAdminEdge } from "./hall/admin";
import { answerHeaders } from "./http/answer";
import { createApp } from "./http/app";
import { nameGlyphRoutes } from "./http/name-glyphs";
import { WEB_DIR } from "./http/pages";
import { refuseUpgrade } from "./http/upgrade";
import { type Clock, systemClock } from "./kernel/clock";
import { type HubLimitsOverride, resolveLimits } from "./limits";
import { SqlLockoutStore } from "./lockout/store";
import { type LoginDeps, loginRoutes, registerLogin } from "./login";
import { StoreDevLogin } from "./login/dev";
import { BusProbe } from "./ops/bus-probe";
import { closeHttp, StartAborted } from "./ops/drain";
import { hubLogger, logEvents } from "./ops/logs";
import { HubMetrics, metricsRoutes } from "./ops/metrics";
import { readinessRoutes } from "./ops/readiness";
import { hashQueueDepth } from "./people/passwords";
import { phoneApi } from "./qr/phone-api";
import { AppPhoneAuth } from "./qr/phone-auth";
import { QrService } from "./qr/service";
import { MemoryTicketStore, RedisTicketStore } from "./qr/store";
import { registerSessions, type SessionSocketDeps } from "./sessions";
import { DbSessionIssuer } from "./sessions/issuer";
import { busNotifier } from "./sessions/notify";
import { SessionStore } from "./sessions/store";
import { type Db, IN_MEMORY, openStore } from "./store";
import { clientOriginRoutes } from "./ws/origin-route";
import { ClientSockets } from "./ws/server";

export interface Hub {
  /** The address actually bound (port 0 picks a free one). */
  url: string;
  /** PUBLIC_URL, or `url` when none was configured. */
  publicUrl: string;
  bus: Bus;
  events: EventStream;
  sockets: ClientSockets;
  qr: QrService;
  db: Db;
  /** Who is logged in (client, app, portal). */
  sessions: SessionStore;
  /** True from the first moment of `close()`: `/readyz` answers 503, answers carry `Connection: close`. */
  readonly draining: boolean;
  /**
   * Drains, then stops: no new connection or socket, `/readyz` 503 at once; each socket's message in
   * progress and every HTTP request in flight may finish (within the `drainMs` limit); sockets are told
   * to reconnect now, elsewhere (1012); then the event stream, bus and store are closed and `hub.json` /
   * `store.lock` removed.
   */
  /** Every HTTP route the hub answers (method and path pattern), e.g. for a test that sends each bad input. */
  routes(): { method: string; path: string }[];
  close(): Promise<void>;
}

/** What a test (or another capability, until it is wired here) may hand in instead of the defaults. */
export interface HubOptions {
  /** An open, migrated store to use instead of opening the configured one (it stays open on close). */
  db?: Db;
  clock?: Clock;
  limits?: HubLimitsOverride;
  /** The text of every captcha (tests solve them); random by default. */
  captchaText?: () => string;
  log?: Logger;
  /** Passwords waiting for a hashing thread, for `/metrics`; server/people/passwords.ts by default. */
  hashQueueDepth?: () => number;
  /** Aborting it before the hub is ready (a signal during start) closes what was opened and rejects with StartAborted. */
  signal?: AbortSignal;
}

/**
 * Starts one hub node on one HTTP server: the bus (memory, or Redis with REDIS_URL), the event
 * stream and its console, the client socket at /ws with the login / company handshake and QR login,
 * the phone app / portal API (/api/app) and the accounts API (/api).
 */
export async function startHub(config: Config, options: HubOptions = {}): Promise<Hub> {
  const log = options.log ?? hubLogger(config.logLevel, config.nodeId);
  const clock = options.clock ?? systemClock;
  let ready: { app: Hono; upgrade: Map<string, EventConsole["handleUpgrade"]> } | null = null;

  // Listen first: with PORT=0 the public URL (what the QR encodes) is only known once bound.
  const server = createAdaptorServer({
    fetch: (req, env) => (ready ? ready.app.fetch(req, env) : starting(req, config.nodeId)),
  }) as Server;
  server.on("upgrade", (req, socket, head) => {
    const handle = ready?.upgrade.get(new URL(req.url ?? "/", "http://hub").pathname);
    if (handle) handle(req, socket, head);
    else refuseUpgrade(socket, ready ? 404 : 503, ready ? "UNKNOWN_MESSAGE" : "UNAVAILABLE");
  });
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const url = `http://${config.host}:${(server.address() as AddressInfo).port}`;
  const publicUrl = new URL(config.publicUrl).port === "0" ? url : config.publicUrl;

  const { db, bus, events, probe } = await openSeams(config, options, server, log, clock);
  let draining = false;
  let closing: Promise<void> | null = null;
  const limits = resolveLimits(config.limits, options.limits);
  const now = () => new Date(clock.now());
  const sessionStore = new SessionStore(db);
  const notifier = busNotifier(bus, (err) =>
    log.warn({ err: (err as Error).message }, "session.ended not sent"),
  );
  // Captcha answers and CA nonces: shared by every node on Redis, so any node can check them.
  const oneUse = createOneUse(bus, clock);
  const ca = config.caRootsFile
    ? new CaVerifier({
        roots: loadRoots(readFileSync(config.caRootsFile, "utf8")),
        gates: config,
        nonces: oneUse,
      })
    : null;
  const issuer = new DbSessionIssuer({
    db,
    sessions: sessionStore,
    clock,
    notifier,
    nodeId: config.nodeId,
    devPeople: !config.production,
  });
  const sockets = await ClientSockets.start({
    nodeId: config.nodeId,
    publicUrl,
    extraOrigins: config.allowedOrigins,
    trustProxy: config.trustProxy,
    qrTtlS: config.qrTtlS,
    caCutoff: config.caCutoff,
    caConfigured: ca !== null,
    authorizationFrom: config.authorizationFrom,
    limits,
    events,
    bus,
    clock,
    log,
  });
  const qr = await QrService.start({
    nodeId: config.nodeId,
    publicUrl,
    ttlMs: config.qrTtlS * 1000,
    limits,
    store:
      bus instanceof RedisBus ? new RedisTicketStore(bus, events) : new MemoryTicketStore(bus, clock, events),
    bus,
    events,
    clock,
    sessions: issuer,
    sockets,
    log,
  });
  const metrics = new HubMetrics({
    nodeId: config.nodeId,
    socketsOpen: () => [...sockets.all()].length,
    ticketsWaiting: () => qr.waitingHere(),
    hashQueueDepth: options.hashQueueDepth ?? hashQueueDepth,
  });
  metrics.useProbe(probe);
  events.tap((e) => metrics.observe(e));
  logEvents(events, log);
  // The hub's own configuration decides production, not whatever the process environment says.
  const adapters = createAdapters(events, {
    ...process.env,
    NODE_ENV: config.production ? "production" : "development",
  });
  const steps: LoginDeps & CompanyDeps & Pick<SessionSocketDeps, "companyOf"> = {
    companyOf: (taxId) => findCompany(db, taxId),
    nodeId: config.nodeId,
    publicUrl,
    db,
    sessions: sessionStore,
    issuer,
    notifier,
    lockouts: new SqlLockoutStore(db),
    captcha: new CaptchaService({
      store: oneUse,
      ...(options.captchaText ? { newText: options.captchaText } : {}),
    }),
    ca,
    gates: config,
    limits,
    bus,
    sms: adapters.sms,
    events,
    clock,
    log,
  };
  const clientSessions = await registerSessions({ ...steps, bus }, sockets);
  registerLogin(steps, sockets);
  registerCompany(steps, sockets, clientSessions);
  const accounts = { db, events, clock, nodeId: config.nodeId, notifier, ...adapters };
  // Phones scan with the app's own login; development also has test identities (never in production).
  const devAuth = config.production ? null : new StoreDevLogin(db, sessionStore, now);
  const auth = new AppPhoneAuth(db, sessionStore, now);
  sockets.onShutdown(await auth.listen(bus));
  const answers = answerHeaders({ publicUrl, nodeId: config.nodeId }, () => draining);
  const phone = phoneApi({ qr, auth, devAuth, events, log, answers });
  const console = new EventConsole({
    stream: events,
    production: config.production,
    operatorToken: config.operatorToken,
    log,
  });

  // The hall CLI and `npm run demo` reach a hub that holds the embedded store through DATA_DIR/hub.json.
  // The hall's resets run here, so the sessions they end close at once (the notifier).
  const storeDeps = { db, events, clock, nodeId: config.nodeId, notifier };
  const ownsDataDir = !options.db && !config.databaseUrl && config.dataDir !== IN_MEMORY;
  const admin = ownsDataDir
    ? openAdminEdge({
        dataDir: config.dataDir,
        host: config.host,
        port: (server.address() as AddressInfo).port,
        publicUrl,
        nodeId: config.nodeId,
        actions: {
          hall: hallAction(storeDeps),
          ...(config.production ? {} : { demo: demoAction(storeDeps) }),
        },
        log: (line) => log.error(line),
      })
    : null;

  ready = {
    app: createApp({ ...config, publicUrl }, answers, {
      "/readyz": readinessRoutes({ nodeId: config.nodeId, db, probe, draining: () => draining }),
      "/internal": internalRoutes(hubInfo(config, options), admin?.routes ?? null),
      "/api/client": clientOriginRoutes(publicUrl, config.allowedOrigins),
      "/api/client/name-glyphs": nameGlyphRoutes(WEB_DIR),
      "/api/app": new Hono()
        .route("/", loginRoutes({ deps: steps, bus }))
        .route("/", companyRoutes({ ...steps, accounts }))
        .route("/", phone),
      "/api": accountsRoutes(accounts, { bus, limits }),
      "/dev": console.routes(),
      "/metrics": metricsRoutes(metrics, (authorization) => console.operatorAllows(authorization)),
    }),
    upgrade: new Map([
      ["/ws", (req, socket, head) => sockets.handleUpgrade(req, socket, head)],
      ["/dev/events/ws", (req, socket, head) => console.handleUpgrade(req, socket, head)],
    ]),
  };

  return {
    url,
    publicUrl,
    bus,
    events,
    sockets,
    qr,
    db,
    sessions: sessionStore,
    routes: () => (ready?.app.routes ?? []).map((r) => ({ method: r.method, path: r.path })),
    get draining() {
      return draining;
    },
    close() {
      closing ??= drainAndClose();
      return closing;
    },
  };

  async function drainAndClose(): Promise<void> {
    draining = true;
    admin?.close();
    const http = closeHttp(server, limits.drainMs);
    await Promise.all([sockets.close(), console.close()]);
    const { cut } = await http;
    if (cut) log.warn({ drainMs: limits.drainMs }, "requests still in flight were cut");
    probe.close();
    await events.close();
    await bus.close();
    if (!options.db) await db.close();
  }
}

/** Before the store and bus are open: 503 to everything but liveness (the process does answer). */
function starting(req: Request, nodeId: string): Response {
  if (new URL(req.url).pathname === "/healthz")
    return Response.json({ ok: true, node: nodeId, starting: true });
  return new Response(null, { status: 503 });
}

/**
 * The store, the bus, the event stream and the bus probe, in that order. Any failure, or `signal`
 * aborting before the last one is open, closes what was opened (the store lock, the listening server)
 * and rejects: a hub stopped during start leaves nothing behind.
 */
async function openSeams(
  config: Config,
  options: HubOptions,
  server: Server,
  log: Logger,
  clock: Clock,
): Promise<{ db: Db; bus: Bus; events: EventStream; probe: BusProbe }> {
  const { signal } = options;
  const undo: (() => Promise<unknown> | unknown)[] = [
    () => new Promise<void>((resolve) => server.close(() => resolve())),
  ];
  const check = () => {
    if (signal?.aborted) throw new StartAborted();
  };
  try {
    check();
    const db = options.db ?? (await openStore(config));
    if (!options.db) undo.push(() => db.close());
    check();
    const bus = await createBus(config, log, signal).catch((err) => {
      check(); // an abort while waiting for Redis is StartAborted, not the reason's error
      throw err;
    });
    undo.push(() => bus.close());
    check();
    const events = await createEventStream(bus, {
      nodeId: config.nodeId,
      clock,
      log,
      production: config.production,
    });
    undo.push(() => events.close());
    const probe = await BusProbe.start(bus, config.nodeId);
    check();
    return { db, bus, events, probe };
  } catch (err) {
    server.closeAllConnections();
    for (const step of undo.reverse()) await Promise.resolve(step()).catch(() => {});
    throw err;
  }
}

/** Which store this hub runs on, as `GET /internal/hub` tells tools on this machine (a store handed in by
 *  the process that runs the hub counts as in memory: no other process can reach it). */
function hubInfo(config: Config, options: HubOptions): HubInfo {
  const store: HubInfo["store"] = config.databaseUrl
    ? { kind: "postgres", where: redactUrl(config.databaseUrl) }
    : options.db || config.dataDir === IN_MEMORY
      ? { kind: "memory" }
      : { kind: "pglite", dir: resolve(config.dataDir) };
  return { nodeId: config.nodeId, store };
}
