import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Hono } from "hono";
import { compress } from "hono/compress";
import { cors } from "hono/cors";

export const WEB_DIR = resolve(import.meta.dirname, "../../.output/web");

export interface PagesOptions {
  /** Where `npm run build:web` put the pages. */
  webDir?: string;
  /**
   * Hub origins (PUBLIC_URL + HUB_ORIGINS) whose QR links the phone's scan page follows; told to the
   * page in `<meta name="shiming-hub-origins">` (server/web/app/hub-qr.ts reads it).
   */
  hubOrigins?: readonly string[];
}

const escapeAttr = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page with the hub-origins meta tag in its head (replacing one the build may have left). */
export function withHubOrigins(html: string, origins: readonly string[]): string {
  const unique = [...new Set(origins.map((o) => new URL(o).origin))];
  const meta = `<meta name="shiming-hub-origins" content="${escapeAttr(unique.join(" "))}">`;
  const stripped = html.replace(/<meta name="shiming-hub-origins"[^>]*>\s*/g, "");
  return stripped.includes("</head>") ? stripped.replace("</head>", `${meta}\n</head>`) : meta + stripped;
}

/**
 * Serves the built phone pages (/app/…) and portal (/web/…): single-page apps, so every path under
 * them answers the page's index.html. Built by `npm run build:web` (npm start does it first).
 */
export function mountPages(app: Hono, options: PagesOptions = {}): void {
  const webDir = options.webDir ?? WEB_DIR;
  const origins = options.hubOrigins ?? [];
  // The lazily loaded data (rare characters ≈ 400 KB, regions ≈ 250 KB) shrinks 2–8× gzipped; built
  // assets carry a content hash in their name, so a phone may keep them for good.
  app.use("/static/*", compress());
  // The name glyphs are also drawn by the extension's popup (its own origin; fonts load in CORS mode).
  app.use("/static/assets/rare/*", cors({ origin: "*", allowMethods: ["GET"] }));
  app.use("/static/assets/*", async (c, next) => {
    await next();
    if (c.res.status === 200) c.header("Cache-Control", "public, max-age=31536000, immutable");
  });
  app.use("/static/*", serveStatic({ root: webDir, rewriteRequestPath: (p) => p.replace(/^\/static/, "") }));
  for (const [prefix, page] of [
    ["/app", "app/index.html"],
    ["/web", "portal/index.html"],
  ] as const) {
    const file = resolve(webDir, page);
    const handler = () => {
      if (!existsSync(file)) return new Response("pages not built: run npm run build:web", { status: 503 });
      const html = readFileSync(file, "utf8");
      return new Response(origins.length > 0 ? withHubOrigins(html, origins) : html, {
        headers: { "content-type": "text/html; charset=utf-8" },
      });
    };
    app.get(prefix, handler);
    app.get(`${prefix}/*`, handler);
  }
}
