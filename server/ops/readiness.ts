import { Hono } from "hono";
import type { Queryable } from "../store";
import type { BusProbe } from "./bus-probe";

// `/readyz`: may a balancer send this node traffic? 503 while the store or the bus cannot be reached,
// or once the node is draining; `/healthz` stays plain liveness (the process answers). Before the
// node has opened its store and bus its HTTP server answers 503 to everything (server/hub.ts).

export interface ReadinessDeps {
  nodeId: string;
  db: Queryable;
  probe: BusProbe;
  draining: () => boolean;
  /** How long each check may take before it counts as down. */
  timeoutMs?: number;
}

export type CheckResult = "ok" | "down";

export interface Readiness {
  ready: boolean;
  node: string;
  draining: boolean;
  store: CheckResult;
  bus: CheckResult;
}

export async function readiness(d: ReadinessDeps): Promise<Readiness> {
  const timeoutMs = d.timeoutMs ?? 1000;
  const draining = d.draining();
  const [store, bus] = await Promise.all([
    withTimeout(
      d.db.query("SELECT 1").then(() => true),
      timeoutMs,
    ),
    d.probe.roundTrip(timeoutMs).then((ms) => ms !== null),
  ]);
  return {
    ready: !draining && store && bus,
    node: d.nodeId,
    draining,
    store: store ? "ok" : "down",
    bus: bus ? "ok" : "down",
  };
}

export function readinessRoutes(d: ReadinessDeps): Hono {
  return new Hono().get("/", async (c) => {
    const r = await readiness(d);
    c.header("cache-control", "no-store");
    return c.json(r, r.ready ? 200 : 503);
  });
}

async function withTimeout(p: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p.catch(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
