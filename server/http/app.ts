import { Hono } from "hono";
import type { Config } from "../config";
import { mountPages } from "./pages";
import { resolveClientAddress } from "./request";
import { securityHeaders } from "./security-headers";

// The hub's HTTP routes. Each capability hands in its own sub-app, mounted at its path.
export function createApp(
  config: Config,
  mounts: Record<string, Hono> = {},
  o: { draining?: () => boolean } = {},
): Hono {
  const app = new Hono();
  app.use("*", async (c, next) => {
    await next();
    // Which node answered, behind a balancer (as /healthz and the events say it: NODE_ID).
    c.header("x-hub-node", config.nodeId);
    // A draining node answers what is in flight and asks each client not to reuse the connection.
    if (o.draining?.()) c.header("connection", "close");
  });
  app.use("*", securityHeaders(config.publicUrl)); // every answer below, 404s and refusals included
  app.use("*", resolveClientAddress(config.trustProxy)); // per-IP limits and audit rows see the client
  app.get("/healthz", (c) => c.json({ ok: true, node: config.nodeId }));
  for (const [path, sub] of Object.entries(mounts)) app.route(path, sub);
  mountPages(app, { hubOrigins: [config.publicUrl, ...config.hubOrigins] });
  return app;
}
