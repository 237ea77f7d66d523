import { Hono } from "hono";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { errorBody } from "../../shared/errors";
import type { HubEvent } from "../../shared/events";
import type { BusProbe } from "./bus-probe";

// `/metrics` in Prometheus text (prom-client): what an operator graphs and alerts on. Counters come
// from the events this node emits (one source of truth with the event console); gauges read the
// live state when scraped. Every series carries `node`.

export interface MetricSources {
  nodeId: string;
  /** Client sockets open on this node. */
  socketsOpen: () => number;
  /** QR tickets held by this node's sockets that no phone has scanned yet. */
  ticketsWaiting: () => number;
  /** Passwords waiting for a hashing thread (server/people/passwords.ts); 0 until one is wired in. */
  hashQueueDepth?: () => number;
}

export class HubMetrics {
  readonly registry = new Registry();
  private readonly logins: Counter<"channel" | "result">;
  private readonly confirms: Counter;
  private readonly lockouts: Counter<"kind">;
  private readonly busRoundTrip: Histogram;
  private readonly busFailures: Counter;
  private probe: BusProbe | null = null;
  private defaults = false;

  constructor(s: MetricSources) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ node: s.nodeId });
    new Gauge({
      name: "shiming_sockets_open",
      help: "Client sockets open on this node",
      registers,
      collect() {
        this.set(s.socketsOpen());
      },
    });
    new Gauge({
      name: "shiming_tickets_waiting",
      help: "QR tickets held by this node's sockets, not scanned yet",
      registers,
      collect() {
        this.set(s.ticketsWaiting());
      },
    });
    new Gauge({
      name: "shiming_hash_queue_depth",
      help: "Passwords waiting for a hashing thread",
      registers,
      collect() {
        this.set(s.hashQueueDepth?.() ?? 0);
      },
    });
    this.logins = new Counter({
      name: "shiming_logins_total",
      help: "Logins on every front, by channel and result (succeeded, locked, or the refusal's code)",
      labelNames: ["channel", "result"],
      registers,
    });
    this.confirms = new Counter({
      name: "shiming_qr_confirms_total",
      help: "QR logins confirmed on a phone",
      registers,
    });
    this.lockouts = new Counter({
      name: "shiming_lockouts_total",
      help: "Locks set by wrong passwords (password: the account's; declaration: a company's)",
      labelNames: ["kind"],
      registers,
    });
    const probeOf = () => this.probe;
    this.busRoundTrip = new Histogram({
      name: "shiming_bus_round_trip_seconds",
      help: "Publish to delivery through the bus (Redis pub/sub) and back to this node",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
      // One round trip per scrape, so the series moves even when nothing else probes.
      async collect() {
        await probeOf()?.roundTrip(1000);
      },
    });
    this.busFailures = new Counter({
      name: "shiming_bus_round_trip_failures_total",
      help: "Bus round trips that failed or took over 1 s",
      registers,
    });
  }

  /** The probe `/readyz` and each scrape use: every round trip it makes lands in the histogram. */
  useProbe(probe: BusProbe): void {
    this.probe = probe;
    probe.onResult = (ms) => {
      if (ms === null) this.busFailures.inc();
      else this.busRoundTrip.observe(ms / 1000);
    };
  }

  /** Counts what an event says happened (see server/events/kinds.ts for the shapes). */
  observe(e: Pick<HubEvent, "kind" | "data">): void {
    const channel = String(e.data.channel ?? "unknown");
    switch (e.kind) {
      case "login.succeeded":
        this.logins.inc({ channel, result: "succeeded" });
        break;
      case "qr.redeemed": // a QR login ends with the client redeeming its grant
        this.logins.inc({ channel: "client", result: "succeeded" });
        break;
      case "login.refused":
        this.logins.inc({ channel, result: String(e.data.code ?? "refused") });
        break;
      case "login.locked":
        this.logins.inc({ channel, result: "locked" });
        this.lockouts.inc({ kind: "password" });
        break;
      case "declaration.locked":
        this.lockouts.inc({ kind: "declaration" });
        break;
      case "qr.confirmed":
        this.confirms.inc();
        break;
    }
  }

  /** The scrape. Node's own metrics (event-loop lag among them) start with the first one. */
  async text(): Promise<string> {
    if (!this.defaults) {
      this.defaults = true;
      collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
    }
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** Mounted at /metrics. In production only with the operator token in `Authorization: Bearer`. */
export function metricsRoutes(
  metrics: HubMetrics,
  allowed: (authorization: string | undefined) => boolean,
): Hono {
  return new Hono().get("/", async (c) => {
    if (!allowed(c.req.header("authorization"))) return c.json(errorBody("NOT_LOGGED_IN"), 401);
    return c.body(await metrics.text(), 200, {
      "content-type": metrics.contentType,
      "cache-control": "no-store",
    });
  });
}
