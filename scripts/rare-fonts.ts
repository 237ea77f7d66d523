// Where the rare-character glyphs come from at build time. No npm package carries CJK extensions B–H
// (the one that installs, @fontsource/unifontex, stops at the Basic Multilingual Plane), so the build
// takes Debian's free fonts, in this order of preference per character:
//   HanaMinA / HanaMinB (fonts-hanazono: URO, Ext A–F)  →  BabelStone Han (fonts-babelstone-han: parts of G–H)
// They are looked for in RARE_FONT_DIR, then where apt installs them, then in a cache that this module
// fills itself with `apt-get download` + `dpkg-deb -x` (nothing is installed on the system, so the
// browser tests still run on a machine without these fonts). The cache is ~/.cache/shiming-rare
// (RARE_CACHE_DIR): its woff2 files are named by their content, so worktrees and runs share them.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export interface FontSource {
  /** A short name used in logs and cache keys. */
  name: string;
  path: string;
}

const PACKAGES = ["fonts-hanazono", "fonts-babelstone-han"];
const FILES: [name: string, rel: string][] = [
  ["HanaMinA", "hanazono/HanaMinA.ttf"],
  ["HanaMinB", "hanazono/HanaMinB.ttf"],
  ["BabelStoneHan", "babelstone/BabelStoneHan.ttf"],
];

/** Outside node_modules, so that `npm ci` (CI, a fresh clone) keeps the fonts and the woff2 already built. */
export const rareCacheDir = resolve(
  process.env.RARE_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "shiming-rare"),
);

function lookIn(root: string): FontSource[] | null {
  const found = FILES.map(([name, rel]) => ({ name, path: join(root, rel) }));
  return found.every((f) => existsSync(f.path)) ? found : null;
}

/** The three source fonts, fetched from Debian's archive into the cache when no copy is found. */
export function rareFontSources(log: (line: string) => void = console.log): FontSource[] {
  const roots = [
    process.env.RARE_FONT_DIR,
    "/usr/share/fonts/truetype",
    join(rareCacheDir, "deb/usr/share/fonts/truetype"),
  ].filter((r): r is string => Boolean(r));
  for (const root of roots) {
    const found = lookIn(root);
    if (found) return found;
  }
  const debDir = join(rareCacheDir, "deb");
  mkdirSync(debDir, { recursive: true });
  log(`rare glyphs: fetching ${PACKAGES.join(", ")} (about 34 MB) into ${debDir}`);
  const download = () =>
    execFileSync("apt-get", ["download", ...PACKAGES], { cwd: debDir, stdio: ["ignore", "ignore", "pipe"] });
  try {
    try {
      download();
    } catch (err) {
      // A fresh Debian has no package lists yet; as root (CI), fetch them once and try again.
      if (process.getuid?.() !== 0) throw err;
      execFileSync("apt-get", ["update", "-qq"], { stdio: "ignore" });
      download();
    }
    for (const deb of readdirSync(debDir).filter((f) => f.endsWith(".deb"))) {
      execFileSync("dpkg-deb", ["-x", join(debDir, deb), debDir]);
    }
  } catch (err) {
    throw new Error(
      `rare glyphs: cannot fetch ${PACKAGES.join(" ")} (${(err as Error).message.trim()}). ` +
        `Run "apt-get update" first, or install them, or point RARE_FONT_DIR at a folder holding ${FILES.map((f) => f[1]).join(", ")}.`,
    );
  }
  const found = lookIn(join(debDir, "usr/share/fonts/truetype"));
  if (!found) throw new Error(`rare glyphs: ${PACKAGES.join(" ")} unpacked without the expected fonts`);
  return found;
}
