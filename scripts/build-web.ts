// The pages the hub serves (vite.web.config.ts), built once and reused: `npm ci` builds them (prepare), and
// `npm start` / `npm run build:web` build again only when something the build read has changed.
//   node --import tsx scripts/build-web.ts            build if a source changed since the last build
//   node --import tsx scripts/build-web.ts --force    build anyway
//   node --import tsx scripts/build-web.ts --check    exit 0 if up to date, 1 if not (builds nothing)
//   … --output DIR                                    DIR/web instead of .output/web (tests)
//
// A build never touches the folder a running hub serves: it goes into a fresh .output/web-builds/<id>/pages, and
// .output/web (a symbolic link) is then pointed at it with one rename, so a hub sees the old pages or the new ones,
// never an empty or half-written folder. The new build also carries the previous build's own assets (hard links),
// so a page opened before the swap still loads its lazy chunks; the previous build is removed after the swap.
// Beside the pages, stamp.json records a digest of everything the build read: the files in vite's module graph
// and those the vite config imports (outside node_modules, which the lockfile stands for), every file under
// server/web, the vite config, the lockfile and this script.
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { z } from "zod";

const ROOT = resolve(import.meta.dirname, "..");
const OUTPUT = join(ROOT, ".output");
/** What the hub serves (server/http/pages.ts): a link to the current build's pages. */
export const WEB_LINK = join(OUTPUT, "web");
const link = (output: string) => join(output, "web");
const builds = (output: string) => join(output, "web-builds");
const PAGE_SOURCES = "server/web";
const ALWAYS_READ = ["vite.web.config.ts", "package-lock.json", "scripts/build-web.ts"];

const Stamp = z.object({
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  /** Repository-relative files the digest covers besides server/web and ALWAYS_READ. */
  files: z.array(z.string()),
  builtAt: z.string(),
  buildMs: z.number(),
  /** Asset names carried over from the build before (not carried on again by the next build). */
  carried: z.array(z.string()).default([]),
});
export type Stamp = z.infer<typeof Stamp>;

export type PagesState = { fresh: true; stamp: Stamp } | { fresh: false; reason: string };

function filesUnder(rel: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(path);
    }
  };
  walk(rel);
  return out;
}

/** sha256 over (path, content digest) of the files, in path order; a missing file counts as such. */
function digestOf(files: Iterable<string>): string {
  const all = createHash("sha256");
  for (const file of [...new Set(files)].sort()) {
    const abs = join(ROOT, file);
    const content = existsSync(abs)
      ? createHash("sha256").update(readFileSync(abs)).digest("hex")
      : "missing";
    all.update(`${file}\0${content}\n`);
  }
  return all.digest("hex");
}

const inputs = (graphFiles: readonly string[]) => [
  ...ALWAYS_READ,
  ...filesUnder(PAGE_SOURCES),
  ...graphFiles,
];

/** The stamp of the build .output/web points at, if there is one and it parses. */
export function currentStamp(output = OUTPUT): Stamp | null {
  try {
    const pages = realpathSync(link(output));
    return Stamp.parse(JSON.parse(readFileSync(join(dirname(pages), "stamp.json"), "utf8")));
  } catch {
    return null;
  }
}

/** Whether .output/web holds pages built from the sources as they are now. Reads files only (no vite). */
export function pagesState(output = OUTPUT): PagesState {
  if (!existsSync(join(link(output), "app/index.html"))) return { fresh: false, reason: "pages not built" };
  const stamp = currentStamp(output);
  if (!stamp) return { fresh: false, reason: "pages built without a stamp" };
  if (digestOf(inputs(stamp.files)) !== stamp.digest) return { fresh: false, reason: "page sources changed" };
  return { fresh: true, stamp };
}

/** A module id from vite's graph as a repository-relative path, or null (virtual, dependency, outside). */
function sourceFile(id: string): string | null {
  if (id.startsWith("\0")) return null;
  const path = id.split("?")[0] ?? "";
  const rel = relative(ROOT, path);
  if (rel.startsWith("..") || rel.split(sep).includes("node_modules") || !existsSync(path)) return null;
  return rel.split(sep).join("/");
}

/** A build folder no link points at and this old is debris of an interrupted build, not one still running. */
const ABANDONED_MS = 15 * 60_000;

/** Points output/web at a finished build with one rename; removes what it pointed at before. */
function swapIn(output: string, id: string): void {
  const web = link(output);
  const previous = lstatSync(web, { throwIfNoEntry: false });
  const previousTarget = previous?.isSymbolicLink() ? resolve(output, readlinkSync(web)) : null;
  const next = join(output, `web.${id}.link`);
  symlinkSync(`web-builds/${id}/pages`, next);
  if (previous?.isDirectory()) {
    // A folder from before builds were linked: moved aside once (a rename cannot replace a folder with a link).
    try {
      renameSync(web, join(builds(output), `unlinked-${id}`));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }
  renameSync(next, web);
  const current = join(builds(output), id);
  if (previousTarget && dirname(previousTarget) !== current) {
    rmSync(dirname(previousTarget), { recursive: true, force: true });
  }
  // Folders moved aside, and builds interrupted long ago (a build running alongside this one is left alone).
  for (const entry of readdirSync(builds(output))) {
    const dir = join(builds(output), entry);
    const changed = statSync(dir, { throwIfNoEntry: false })?.mtimeMs;
    if (dir === current || changed === undefined) continue;
    if (entry.startsWith("unlinked-") || changed < Date.now() - ABANDONED_MS) {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Links the current build's own assets (files directly in assets/) that the new build lacks into it. */
function carryAssets(output: string, into: string): string[] {
  const before = currentStamp(output);
  if (!before) return [];
  const from = join(realpathSync(link(output)), "assets");
  const own = new Set(existsSync(into) ? readdirSync(into) : []);
  mkdirSync(into, { recursive: true });
  const carried: string[] = [];
  for (const entry of existsSync(from) ? readdirSync(from, { withFileTypes: true }) : []) {
    const name = entry.name;
    if (!entry.isFile() || own.has(name) || before.carried.includes(name)) continue;
    try {
      linkSync(join(from, name), join(into, name));
    } catch {
      copyFileSync(join(from, name), join(into, name));
    }
    carried.push(name);
  }
  return carried.sort();
}

/** Builds the pages into a fresh folder, writes its stamp, then swaps it in. */
export async function buildPages(output = OUTPUT): Promise<Stamp> {
  const { build } = await import("vite");
  const started = Date.now();
  const id = `${started.toString(36)}-${process.pid}`;
  const dir = join(builds(output), id);
  mkdirSync(dir, { recursive: true });
  const graph = new Set<string>();
  await build({
    configFile: join(ROOT, "vite.web.config.ts"),
    logLevel: "warn",
    build: { outDir: join(dir, "pages"), emptyOutDir: true },
    plugins: [
      {
        name: "shiming:record-sources",
        configResolved(config) {
          // What the config itself imports (its plugins, e.g. scripts/rare-glyphs.ts).
          for (const dep of config.configFileDependencies) {
            const file = sourceFile(dep);
            if (file) graph.add(file);
          }
        },
        generateBundle() {
          for (const moduleId of this.getModuleIds()) {
            const file = sourceFile(moduleId);
            if (file) graph.add(file);
          }
        },
      },
    ],
  });
  const files = [...graph].filter((f) => !f.startsWith(`${PAGE_SOURCES}/`)).sort();
  const stamp: Stamp = {
    digest: digestOf(inputs(files)),
    files,
    builtAt: new Date().toISOString(),
    buildMs: Date.now() - started,
    carried: carryAssets(output, join(dir, "pages/assets")),
  };
  writeFileSync(join(dir, "stamp.json"), `${JSON.stringify(stamp, null, 2)}\n`);
  swapIn(output, id);
  return stamp;
}

async function main(args: string[]): Promise<number> {
  const at = args.indexOf("--output");
  const output = at >= 0 && args[at + 1] ? resolve(args[at + 1] as string) : OUTPUT;
  const shown = output === OUTPUT ? ".output/web" : link(output);
  const state = pagesState(output);
  if (args.includes("--check")) {
    console.log(state.fresh ? `pages: up to date (built ${state.stamp.builtAt})` : `pages: ${state.reason}`);
    return state.fresh ? 0 : 1;
  }
  if (state.fresh && !args.includes("--force")) {
    console.log(`pages: up to date (built ${state.stamp.builtAt}), nothing to do`);
    return 0;
  }
  console.log(`pages: ${state.fresh ? "forced" : state.reason}; building…`);
  const stamp = await buildPages(output);
  console.log(`pages: built in ${(stamp.buildMs / 1000).toFixed(1)} s → ${shown}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  process.exitCode = await main(process.argv.slice(2));
}
