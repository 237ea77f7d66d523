import { Hono } from "hono";
import type { Config } from "../config";
import { type AnswerHeaders, isWhole } from "./answer";
import { mountPages } from "./pages";
import { resolveClientAddress } from "./request";

// The hub's HTTP routes. Each capability hands in its own sub-app, mounted at its path.
export function createApp(config: Config, answers: AnswerHeaders, mounts: Record<string, Hono> = {}): Hono {
  const app = new Hono();
  // Every answer below, 404s and refusals included: the security headers (server/http/security-
  // headers.ts), which node answered (behind a balancer, as /healthz and the events say it), and
  // while draining `connection: close` (answer what is in flight, do not reuse the connection).
  // A hot route's answer built whole (server/http/answer.ts) has them already.
  const added = Object.entries(answers.base);
  app.use("*", async (c, next) => {
    await next();
    if (isWhole(c.res)) return;
    for (const [name, value] of added) c.res.headers.set(name, value);
    if (answers.draining()) c.header("connection", "close");
  });
  app.use("*", resolveClientAddress(config.trustProxy)); // per-IP limits and audit rows see the client
  app.get("/healthz", (c) => c.json({ ok: true, node: config.nodeId }));
  for (const [path, sub] of Object.entries(mounts)) app.route(path, sub);
  mountPages(app, { hubOrigins: [config.publicUrl, ...config.hubOrigins] });
  return app;
}
