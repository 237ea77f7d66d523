import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Hono } from "hono";

const WEB_DIR = resolve(import.meta.dirname, "../../.output/web");

/**
 * Serves the built phone pages (/app/…) and portal (/web/…): single-page apps, so every path under
 * them answers the page's index.html. Built by `npm run build:web` (npm start does it first).
 */
export function mountPages(app: Hono, webDir = WEB_DIR): void {
  app.use("/static/*", serveStatic({ root: webDir, rewriteRequestPath: (p) => p.replace(/^\/static/, "") }));
  for (const [prefix, page] of [
    ["/app", "app/index.html"],
    ["/web", "portal/index.html"],
  ] as const) {
    const file = resolve(webDir, page);
    const handler = () => {
      if (!existsSync(file)) return new Response("pages not built: run npm run build:web", { status: 503 });
      return new Response(readFileSync(file), { headers: { "content-type": "text/html; charset=utf-8" } });
    };
    app.get(prefix, handler);
    app.get(`${prefix}/*`, handler);
  }
}
