// npm run bench — the figures a user would ask for. Not part of npm test: nothing here asserts.
//   npm run bench -- [--runs 5] [--only name,name]
// Writes bench/results/latest.json and latest.md and prints the table.
import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { type Figure, machine, repeat, type Suite } from "./lib";
import { busCeilingSuite } from "./suites/bus-ceiling";
import { popupSizeSuite } from "./suites/popup";
import { rareSuite } from "./suites/rare";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "5" }, only: { type: "string" } },
});
const redisUrl = process.env.REDIS_URL ?? process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const runs = Number(values.runs);

const suites: Suite[] = [rareSuite, popupSizeSuite, busCeilingSuite(redisUrl)];
const only = values.only?.split(",");
const chosen = only ? suites.filter((s) => only.some((o) => s.name.includes(o))) : suites;

const box = machine(redisUrl);
console.log(`machine: ${JSON.stringify(box)}`);
const figures: Figure[] = [];
for (const suite of chosen) {
  console.log(`… ${suite.name} (${runs} runs)`);
  figures.push(...(await repeat(suite, runs)));
}

const fmt = (n: number) =>
  Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(4);
const lines = [
  `Machine: ${box.cpus} × ${box.cpuModel}, ${box.memoryGiB} GiB, Node ${box.node}, Redis ${box.redis}; ${box.date}; median of ${runs} runs (min–max).`,
  "",
  "| metric | median | spread | target | note |",
  "| --- | --- | --- | --- | --- |",
  ...figures.map(
    (f) =>
      `| ${f.metric} | ${fmt(f.median)} ${f.unit} | ${fmt(f.min)}–${fmt(f.max)} | ${f.target ?? ""} | ${f.note ?? ""} |`,
  ),
];
const dir = resolve(import.meta.dirname, "results");
mkdirSync(dir, { recursive: true });
writeFileSync(resolve(dir, "latest.json"), `${JSON.stringify({ machine: box, runs, figures }, null, 2)}\n`);
writeFileSync(resolve(dir, "latest.md"), `${lines.join("\n")}\n`);
console.log(lines.join("\n"));
