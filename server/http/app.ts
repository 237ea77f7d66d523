import { Hono } from "hono";
import type { Config } from "../config";
import { mountPages } from "./pages";

// The hub's HTTP routes. Each capability mounts its own sub-app here.
export function createApp(config: Config): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ ok: true, node: config.nodeId }));
  mountPages(app);
  return app;
}
