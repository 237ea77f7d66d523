import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import type { Hono } from "hono";
import { type Logger, pino } from "pino";
import { accountsRoutes } from "./accounts/routes";
import { createAdapters } from "./adapters";
import { type Bus, createBus, RedisBus } from "./bus";
import type { Config } from "./config";
import { demoAction } from "./demo/seed";
import { createEventStream, EventConsole, type EventStream } from "./events";
import { hallAction, openAdminEdge } from "./hall/admin";
import { createApp } from "./http/app";
import { type Clock, systemClock } from "./qr/clock";
import { DEV_PEOPLE, devPerson } from "./qr/dev-people";
import { phoneApi } from "./qr/phone-api";
import { DevPhoneAuth, noPhoneAuth, type PhoneAuth } from "./qr/phone-auth";
import { QrService } from "./qr/service";
import { MemoryTicketStore, RedisTicketStore } from "./qr/store";
import { type Db, IN_MEMORY, openStore } from "./store";
import { type HubLimitsOverride, resolveLimits } from "./ws/limits";
import { refuseUpgrade } from "./ws/origin";
import { ClientSockets } from "./ws/server";
import { MemorySessionIssuer, type SessionIssuer } from "./ws/sessions";

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
  close(): Promise<void>;
}

/** What a test (or another capability, until it is wired here) may hand in instead of the defaults. */
export interface HubOptions {
  /** An open, migrated store to use instead of opening the configured one (it stays open on close). */
  db?: Db;
  clock?: Clock;
  limits?: HubLimitsOverride;
  sessions?: SessionIssuer;
  phoneAuth?: PhoneAuth;
  log?: Logger;
}

/**
 * Starts one hub node on one HTTP server: the bus (memory, or Redis with REDIS_URL), the event
 * stream and its console, the client socket at /ws, the QR capability and the phone API.
 */
export async function startHub(config: Config, options: HubOptions = {}): Promise<Hub> {
  const log = options.log ?? pino({ level: config.logLevel, base: { node: config.nodeId } });
  const clock = options.clock ?? systemClock;
  let ready: { app: Hono; upgrade: Map<string, EventConsole["handleUpgrade"]> } | null = null;

  // Listen first: with PORT=0 the public URL (what the QR encodes) is only known once bound.
  const server = createAdaptorServer({
    fetch: (req, env) => (ready ? ready.app.fetch(req, env) : new Response(null, { status: 503 })),
  }) as Server;
  server.on("upgrade", (req, socket, head) => {
    const handle = ready?.upgrade.get(new URL(req.url ?? "/", "http://hub").pathname);
    if (handle) handle(req, socket, head);
    else refuseUpgrade(socket, ready ? 404 : 503, ready ? "UNKNOWN_MESSAGE" : "UNAVAILABLE");
  });
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const url = `http://${config.host}:${(server.address() as AddressInfo).port}`;
  const publicUrl = new URL(config.publicUrl).port === "0" ? url : config.publicUrl;

  const db = options.db ?? (await openStore(config));
  const bus = await createBus(config, log);
  const events = await createEventStream(bus, {
    nodeId: config.nodeId,
    clock,
    log,
    production: config.production,
  });
  const limits = resolveLimits(config.limits, options.limits);
  const sockets = await ClientSockets.start({
    nodeId: config.nodeId,
    publicUrl,
    extraOrigins: config.allowedOrigins,
    qrTtlS: config.qrTtlS,
    caCutoff: config.caCutoff,
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
    store: bus instanceof RedisBus ? new RedisTicketStore(bus) : new MemoryTicketStore(bus, clock),
    bus,
    events,
    clock,
    sessions: options.sessions ?? new MemorySessionIssuer(devPerson, clock),
    sockets,
    log,
  });
  // Production has no test identities: the app's real login plugs in through `phoneAuth`.
  const devAuth = config.production ? null : new DevPhoneAuth(DEV_PEOPLE);
  const phone = phoneApi({ qr, auth: options.phoneAuth ?? devAuth ?? noPhoneAuth, devAuth, events, log });
  const console = new EventConsole({
    stream: events,
    production: config.production,
    operatorToken: config.operatorToken,
    log,
  });

  // The hall CLI and `npm run demo` reach a hub that holds the embedded store through DATA_DIR/hub.json.
  const storeDeps = { db, events, clock: { now: () => new Date(clock.now()) }, nodeId: config.nodeId };
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
    app: createApp(
      { ...config, publicUrl },
      {
        ...(admin ? { "/internal": admin.routes } : {}),
        "/api/app": phone,
        "/api": accountsRoutes({
          db,
          events,
          clock: { now: () => new Date(clock.now()) },
          nodeId: config.nodeId,
          ...createAdapters(events),
        }),
        "/dev": console.routes(),
      },
    ),
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
    async close() {
      admin?.close();
      await Promise.all([sockets.close(), console.close()]);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await events.close();
      await bus.close();
      if (!options.db) await db.close();
    },
  };
}
