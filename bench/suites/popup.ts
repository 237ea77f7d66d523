import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import type { Suite } from "../lib";

const EXT = resolve(import.meta.dirname, "../../.output/chrome-mv3");

// Issue 9 item 6: what the popup costs to load — its HTML plus every script and stylesheet it pulls in.
export const popupSizeSuite: Suite = {
  name: "popup",
  async run() {
    const html = readFileSync(join(EXT, "popup.html"), "utf8");
    const refs = [...html.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1] ?? "");
    const seen = new Set<string>();
    const queue = [...refs];
    // Follow static imports between chunks too.
    while (queue.length) {
      const file = queue.shift() ?? "";
      if (seen.has(file)) continue;
      seen.add(file);
      const text = readFileSync(join(EXT, file), "utf8");
      for (const m of text.matchAll(/from\s*"\.\/([^"]+\.js)"/g)) queue.push(join(file, "..", m[1] ?? ""));
    }
    const bytes = [...seen].map((f) => readFileSync(join(EXT, f)));
    const gz = bytes.reduce((n, b) => n + gzipSync(b).length, 0);
    return {
      "bundle gzip": { value: gz / 1024, unit: "KiB", target: "<= 60", note: `${seen.size} files` },
      "bundle raw": { value: bytes.reduce((n, b) => n + b.length, 0) / 1024, unit: "KiB" },
      "files in extension": { value: readdirSync(EXT, { recursive: true }).length, unit: "" },
    };
  },
};
