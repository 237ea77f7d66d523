import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

// Where a hub's CPU went, from the V8 profile `--cpu-prof` wrote (bench flag `--hub-profile`):
// self time by function and by home (our folders, each package, Node's internals, GC).

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Hotspot {
  name: string;
  ms: number;
  share: number;
}

/** Where the file lives, as a reader would group it: `server/qr`, `zod`, `node:internal`, … */
function home(url: string, fn: string): string {
  if (!url) return fn.startsWith("(") ? fn : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith("node:")) return "node:internal";
  const ours = /\/(server|shared)\/([^/]+)/.exec(url);
  if (ours) return `${ours[1]}/${ours[2]?.replace(/\.ts$/, "")}`;
  return url;
}

export interface Summary {
  total: number;
  byHome: Hotspot[];
  byFunction: Hotspot[];
  /** Native self time (syscalls such as writev) charged to the first caller of ours or a package's. */
  nativeByCaller: Hotspot[];
  /** Time under each function of ours (server/, shared/), callees included: where a request goes. */
  oursInclusive: Hotspot[];
}

export function summarize(file: string, top = 15): Summary {
  const p = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const callerOf = (id: number): string => {
    for (let cur = parent.get(id); cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)?.callFrame;
      if (f && /node_modules|\/server\/|\/shared\//.test(f.url))
        return `${f.functionName || "(anonymous)"} ${home(f.url, f.functionName)}`;
    }
    return "(no caller of ours)";
  };
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  });
  const byHome = new Map<string, number>();
  const byFn = new Map<string, number>();
  const byCaller = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const ours = (f: ProfileNode["callFrame"]) => /\/(server|shared)\//.test(f.url);
  const key = (f: ProfileNode["callFrame"]) =>
    `${f.functionName || "(anonymous)"} ${home(f.url, f.functionName)}:${f.lineNumber + 1}`;
  let total = 0;
  for (const n of p.nodes) {
    const ms = self.get(n.id) ?? 0;
    if (n.callFrame.functionName === "(idle)" || n.callFrame.functionName === "(program)") continue;
    total += ms;
    const h = home(n.callFrame.url, n.callFrame.functionName);
    byHome.set(h, (byHome.get(h) ?? 0) + ms);
    const f = `${n.callFrame.functionName || "(anonymous)"} ${h}:${n.callFrame.lineNumber + 1}`;
    byFn.set(f, (byFn.get(f) ?? 0) + ms);
    if (ms > 0) {
      const seen = new Set<string>();
      for (let cur: number | undefined = n.id; cur !== undefined; cur = parent.get(cur)) {
        const f = byId.get(cur)?.callFrame;
        if (!f || !ours(f)) continue;
        const k = key(f);
        if (seen.has(k)) continue; // recursion counts once
        seen.add(k);
        inclusive.set(k, (inclusive.get(k) ?? 0) + ms);
      }
    }
    if (!n.callFrame.url && !n.callFrame.functionName.startsWith("(") && ms > 0) {
      const k = `${n.callFrame.functionName} ← ${callerOf(n.id)}`;
      byCaller.set(k, (byCaller.get(k) ?? 0) + ms);
    }
  }
  const rank = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms, share: ms / total }));
  return {
    total,
    byHome: rank(byHome),
    byFunction: rank(byFn),
    nativeByCaller: rank(byCaller),
    oursInclusive: rank(inclusive),
  };
}

/** Prints every profile under `dir` (a folder per measured stretch, a file per hub node). */
export function printProfiles(dir: string): void {
  let stretches: string[];
  try {
    stretches = readdirSync(dir);
  } catch {
    return;
  }
  for (const stretch of stretches) {
    for (const f of readdirSync(join(dir, stretch)).filter((x) => x.endsWith(".cpuprofile"))) {
      const s = summarize(join(dir, stretch, f));
      console.log(`\nprofile ${stretch}/${f}: ${(s.total / 1000).toFixed(2)} s on CPU (idle excluded)`);
      console.log("  by home:");
      for (const h of s.byHome) console.log(`    ${(h.share * 100).toFixed(1).padStart(5)}%  ${h.name}`);
      console.log("  by function (self time):");
      for (const h of s.byFunction) console.log(`    ${(h.share * 100).toFixed(1).padStart(5)}%  ${h.name}`);
      console.log("  our functions, callees included:");
      for (const h of s.oursInclusive)
        console.log(`    ${(h.share * 100).toFixed(1).padStart(5)}%  ${h.name}`);
      console.log("  native time by caller:");
      for (const h of s.nativeByCaller.slice(0, 8))
        console.log(`    ${(h.share * 100).toFixed(1).padStart(5)}%  ${h.name}`);
    }
  }
}
