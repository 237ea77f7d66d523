import { resolve } from "node:path";
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";
import { rareGlyphs } from "./scripts/rare-glyphs";

// The pages the hub serves: the phone app's stand-in (/app/…) and the web portal (/web/…).
// Built by scripts/build-web.ts (`npm run build:web`), which gives every build a fresh outDir and then points
// .output/web, the folder the hub serves, at it; the outDir below only catches a bare `vite build -c …`.
export default defineConfig({
  root: resolve(import.meta.dirname, "server/web"),
  base: "/static/",
  // rareGlyphs: the font files of the rare-character picker and of names (see scripts/rare-glyphs.ts).
  plugins: [preact(), rareGlyphs(resolve(import.meta.dirname, "server/web"))],
  build: {
    outDir: resolve(import.meta.dirname, ".output/web-builds/direct"),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        app: resolve(import.meta.dirname, "server/web/app/index.html"),
        portal: resolve(import.meta.dirname, "server/web/portal/index.html"),
      },
    },
  },
});
