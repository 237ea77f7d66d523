import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

// What the kernel says about a process: CPU time used (utime + stime) and resident memory. Read from
// /proc, so the process measured needs no code of ours.

const TICKS_PER_S = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** User + system CPU time the process has used so far, in ms (resolution: one clock tick, 10 ms). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after "(comm)": state is [0], utime [11], stime [12].
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
}

/** Resident set size in KiB (VmRSS). */
export function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? Number.NaN);
}

/** The soft "Max open files" the process runs with. */
export function openFilesLimit(pid: number): number {
  const m = /Max open files\s+(\d+)/.exec(readFileSync(`/proc/${pid}/limits`, "utf8"));
  return Number(m?.[1] ?? Number.NaN);
}

/** Write-type system calls (write, writev, pwrite…) the process has made so far (/proc/pid/io syscw). */
export function writeSyscalls(pid: number): number {
  const m = /syscw:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, "utf8"));
  return Number(m?.[1] ?? Number.NaN);
}
