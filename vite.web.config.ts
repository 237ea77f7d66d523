import { resolve } from "node:path";
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";
import { rareGlyphs } from "./scripts/rare-glyphs";

// The pages the hub serves: the phone app's stand-in (/app/…) and the web portal (/web/…).
// Built into .output/web, which the hub serves statically.
export default defineConfig({
  root: resolve(import.meta.dirname, "server/web"),
  base: "/static/",
  // rareGlyphs: the font files of the rare-character picker and of names (see scripts/rare-glyphs.ts).
  plugins: [preact(), rareGlyphs(resolve(import.meta.dirname, "server/web"))],
  build: {
    outDir: resolve(import.meta.dirname, ".output/web"),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        app: resolve(import.meta.dirname, "server/web/app/index.html"),
        portal: resolve(import.meta.dirname, "server/web/portal/index.html"),
      },
    },
  },
});
