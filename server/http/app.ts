import { Hono } from "hono";
import type { Config } from "../config";

// The hub's HTTP routes. Each capability mounts its own sub-app here.
export function createApp(config: Config, mounts: Record<string, Hono> = {}): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ ok: true, node: config.nodeId }));
  for (const [path, sub] of Object.entries(mounts)) app.route(path, sub);
  return app;
}
