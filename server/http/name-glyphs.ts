import { readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { Hono } from "hono";
import { cors } from "hono/cors";
import { type NameGlyphs, NameGlyphsQuery } from "../../shared/api/client-glyphs";
import { errorBody } from "../../shared/errors";
import { NAME_FACES_FILE } from "../../shared/rare/name-slices";

// GET /api/client/name-glyphs?slices=… : which of the pages' name-glyph files (scripts/rare-glyphs.ts)
// draw the rare characters of those slices, so the extension's popup draws a person's name on a PC
// without CJK extension fonts. The files themselves are served with the pages (/static/assets/rare/,
// CORS *: fonts are fetched in CORS mode and the popup's origin is the extension's).

type Face = NameGlyphs["faces"][number];

/** The slice a name-glyph file is cut for, from its name (`rare/n2b5.<hash>.woff2`). */
const sliceOfUrl = (url: string) => {
  const m = /\/rare\/n([0-9a-f]+)\.[0-9a-f]+\.woff2$/.exec(url);
  return m ? Number.parseInt(m[1] as string, 16) : null;
};

export function nameGlyphRoutes(webDir: string): Hono {
  // A build swaps the folder .output/web points to: read the list again when it does.
  let cached: { build: string; bySlice: Map<number, Face[]> } | null = null;
  const faces = (): Map<number, Face[]> => {
    let build: string;
    try {
      build = realpathSync(webDir);
    } catch {
      return new Map(); // pages not built
    }
    if (cached?.build === build) return cached.bySlice;
    const bySlice = new Map<number, Face[]>();
    try {
      const list = JSON.parse(readFileSync(join(build, "assets", NAME_FACES_FILE), "utf8")) as unknown;
      if (Array.isArray(list))
        for (const face of list) {
          if (!Array.isArray(face) || typeof face[0] !== "string" || typeof face[1] !== "string") continue;
          const slice = sliceOfUrl(face[0]);
          if (slice !== null) bySlice.set(slice, [...(bySlice.get(slice) ?? []), [face[0], face[1]]]);
        }
    } catch {
      // built before the list existed: no faces, the popup keeps the system's fonts
    }
    cached = { build, bySlice };
    return bySlice;
  };

  const app = new Hono();
  app.use("*", cors({ origin: "*", allowMethods: ["GET"] }));
  app.get("/", (c) => {
    const query = NameGlyphsQuery.safeParse(c.req.query("slices") ?? "");
    if (!query.success) return c.json(errorBody("BAD_MESSAGE"), 400);
    const bySlice = faces();
    const body: NameGlyphs = {
      faces: query.data.flatMap((slice) => bySlice.get(slice) ?? []),
    };
    c.header("Cache-Control", "public, max-age=300");
    return c.json(body);
  });
  return app;
}
