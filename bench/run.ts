// npm run bench — the figures a user would ask for. Not part of npm test: nothing here asserts.
//   npm run bench -- [--runs N] [--only part-of-a-name ...] [--sessions 20000] [--clients 2000]
//                    [--confirms 20000] [--concurrency 200] [--low-concurrency 10] [--low-confirms 3000]
//                    [--hub-profile] [--heap-snapshots] [--hub-env KEY=VALUE ...]
// --confirms / --low-confirms are the totals measured, split over a suite's runs (after a warm-up).
// --hub-profile writes each hub's V8 CPU profile of the measured stretch to bench/results/profiles
// and prints where the time went. --hub-env sets a variable on every bench hub (an experiment,
// e.g. UV_THREADPOOL_SIZE=1); the table's header says which were set. --heap-snapshots leaves the
// waiting-sessions hub's heap before and after in bench/results/heap; compare them with
// `npx tsx bench/support/heap-diff.ts bench/results/heap/before.heapsnapshot …/after.heapsnapshot`.
// Writes bench/results/latest.json and latest.md and prints the table.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { type Figure, machine, repeat, type Suite, SuiteSkipped } from "./lib";
import { busCeilingSuite } from "./suites/bus-ceiling";
import { capacitySuite } from "./suites/capacity";
import { confirmSuites } from "./suites/confirms";
import { geoSuite } from "./suites/geo";
import { idleSessionsSuite } from "./suites/idle-sessions";
import { lockoutSuite } from "./suites/lockout";
import { loginLatencySuite } from "./suites/login-latency";
import { popupSizeSuite } from "./suites/popup";
import { popupQrSuite } from "./suites/popup-qr";
import { rareSuite } from "./suites/rare";
import { relayFloorSuite } from "./suites/relay-floor";
import { addHubEnv, liftedLimits, PROFILE_DIR } from "./support/hub";
import { printProfiles } from "./support/profile";
import { REDIS_URL } from "./support/services";

const { values } = parseArgs({
  options: {
    runs: { type: "string" },
    only: { type: "string", multiple: true },
    sessions: { type: "string", default: "20000" },
    "machine-sessions": { type: "string", default: "51000" },
    workers: { type: "string", default: "3" },
    clients: { type: "string", default: "2000" },
    confirms: { type: "string", default: "20000" },
    concurrency: { type: "string", default: "200" },
    "low-concurrency": { type: "string", default: "10" },
    "low-confirms": { type: "string", default: "3000" },
    "hub-profile": { type: "boolean", default: false },
    "heap-snapshots": { type: "boolean", default: false },
    "hub-env": { type: "string", multiple: true, default: [] },
  },
});
const int = (s: string | undefined, name: string) => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} wants a positive whole number, got ${s}`);
  return n;
};
const runsFlag = values.runs === undefined ? undefined : int(values.runs, "runs");
const profile = values["hub-profile"];
const hubEnv = addHubEnv(values["hub-env"] ?? []);
if (profile) rmSync(PROFILE_DIR, { recursive: true, force: true });

const suites: Suite[] = [
  rareSuite,
  geoSuite,
  popupSizeSuite,
  popupQrSuite(),
  busCeilingSuite(REDIS_URL),
  idleSessionsSuite({
    sessions: int(values.sessions, "sessions"),
    profile,
    heapSnapshots: values["heap-snapshots"],
  }),
  capacitySuite({
    sessions: int(values["machine-sessions"], "machine-sessions"),
    workers: int(values.workers, "workers"),
  }),
  ...confirmSuites({
    clients: int(values.clients, "clients"),
    confirms: int(values.confirms, "confirms"),
    concurrency: int(values.concurrency, "concurrency"),
    lowConcurrency: int(values["low-concurrency"], "low-concurrency"),
    lowConfirms: int(values["low-confirms"], "low-confirms"),
    profile,
  }),
  relayFloorSuite({
    clients: int(values.clients, "clients"),
    confirms: int(values.confirms, "confirms"),
    concurrency: int(values.concurrency, "concurrency"),
    lowConcurrency: int(values["low-concurrency"], "low-concurrency"),
    lowConfirms: int(values["low-confirms"], "low-confirms"),
    profile,
  }),
  loginLatencySuite({ profile }),
  lockoutSuite(),
];
// Repeatable, each a piece of a suite's name (names hold commas, so no comma lists).
const only = values.only?.length ? values.only : undefined;
const chosen = only ? suites.filter((s) => only.some((o) => s.name.includes(o))) : suites;

const box = machine(REDIS_URL);
console.log(`machine: ${JSON.stringify(box)}`);
const figures: Figure[] = [];
const skipped: { suite: string; reason: string }[] = [];
const failed: { suite: string; reason: string }[] = [];
for (const suite of chosen) {
  const runs = runsFlag ?? suite.runs ?? 5;
  console.log(`… ${suite.name} (${runs} runs)`);
  try {
    figures.push(...(await repeat(suite, runs)));
  } catch (err) {
    // One suite going wrong must not cost the others' figures; it is said loudly and in the table.
    const reason = err instanceof Error ? (err.message.split("\n")[0] ?? err.name) : String(err);
    if (err instanceof SuiteSkipped) {
      console.log(`  SKIPPED ${suite.name}: ${reason}`);
      skipped.push({ suite: suite.name, reason });
    } else {
      console.error(`  FAILED ${suite.name}:`, err);
      failed.push({ suite: suite.name, reason });
    }
  }
}

const fmt = (n: number) =>
  Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(4);
const lines = [
  `Machine: ${box.cpus} × ${box.cpuModel}, ${box.memoryGiB} GiB, Node ${box.node}, Redis ${box.redis}, load average ${box.load1} at start; ${box.date}. Median of each suite's runs (min–max).`,
  "",
  `Bench hubs run with HUB_LIMITS=${JSON.stringify(liftedLimits())} (all load comes from a few loopback addresses)${
    Object.keys(hubEnv).length
      ? ` and ${Object.entries(hubEnv)
          .map(([k, v]) => `${k}=${v}`)
          .join(" ")}`
      : ""
  }; client sockets and phones run in other processes than the hubs.`,
  "",
  "| metric | median | spread | runs | target | note |",
  "| --- | --- | --- | --- | --- | --- |",
  ...figures.map(
    (f) =>
      `| ${f.metric} | ${fmt(f.median)} ${f.unit} | ${fmt(f.min)}–${fmt(f.max)} | ${f.runs} | ${f.target ?? ""} | ${f.note ?? ""} |`,
  ),
  ...skipped.map((s) => `| ${s.suite} | skipped | | | | ${s.reason} |`),
  ...failed.map((s) => `| ${s.suite} | FAILED | | | | ${s.reason} |`),
];
const dir = resolve(import.meta.dirname, "results");
mkdirSync(dir, { recursive: true });
writeFileSync(
  resolve(dir, "latest.json"),
  `${JSON.stringify({ machine: box, argv: process.argv.slice(2), hubEnv, figures, skipped, failed }, null, 2)}\n`,
);
writeFileSync(resolve(dir, "latest.md"), `${lines.join("\n")}\n`);
console.log(lines.join("\n"));
if (profile) printProfiles(PROFILE_DIR);
if (failed.length > 0) process.exitCode = 1;
