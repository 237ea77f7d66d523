import { Hono } from "hono";
import { cors } from "hono/cors";
import type { OriginCheck } from "../../shared/api/client-origin";
import { allowedOrigins } from "./origin";

/** GET /origin (mounted at /api/client): whether the request's Origin may open the client socket,
 *  by the same list the upgrade checks. Any origin may ask (CORS *): the answer only concerns itself. */
export function clientOriginRoutes(publicUrl: string, extraOrigins: readonly string[]): Hono {
  const origins = allowedOrigins(publicUrl, extraOrigins);
  const app = new Hono();
  app.use("/origin", cors({ origin: "*", allowMethods: ["GET"] }));
  app.get("/origin", (c) => {
    const origin = c.req.header("origin") ?? null;
    const body: OriginCheck = { allowed: origin !== null && origins.has(origin), origin };
    c.header("Cache-Control", "no-store");
    return c.json(body);
  });
  return app;
}
