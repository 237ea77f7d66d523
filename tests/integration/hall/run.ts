import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

// Runs one of the project's command-line tools (`node --import tsx <script>`) as a person would,
// with the store and mode chosen by `env` only (nothing leaks in from the test's own environment).

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** tsx as an absolute URL, so a tool can run from a folder outside the project (its own ./data). */
const TSX = import.meta.resolve("tsx");

export function runTool(
  script: string,
  args: string[],
  env: Record<string, string>,
  stdin = "",
  cwd = ROOT,
): Promise<Run> {
  const {
    DATABASE_URL: _d,
    DATA_DIR: _a,
    NODE_ENV: _n,
    REDIS_URL: _r,
    PUBLIC_URL: _p,
    EVENTS_URL: _e,
    ...inherited
  } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", TSX, join(ROOT, script), ...args], {
      cwd,
      env: { ...inherited, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

export const hall = (args: string[], env: Record<string, string>, stdin = "", cwd = ROOT) =>
  runTool("server/hall/cli.ts", args, env, stdin, cwd);

export const demo = (args: string[], env: Record<string, string>, cwd = ROOT) =>
  runTool("server/demo/cli.ts", args, env, "", cwd);

/** `hall issue-code` for this person, with any further arguments (`--json`, `--nationality USA`). */
export const issueCode = (
  p: { name: string; idType: string; idNumber: string },
  more: string[],
  env: Record<string, string>,
) => hall(["issue-code", "--name", p.name, "--id-type", p.idType, "--id-number", p.idNumber, ...more], env);

/** `hall add-company` for 示例科技有限公司 with this legal representative; the declaration password follows. */
export const addCompanyArgs = (taxId: string, legalRepIdNumber: string) => [
  "add-company",
  "--tax-id",
  taxId,
  "--name",
  "示例科技有限公司",
  "--legal-rep",
  legalRepIdNumber,
];

/** A malformed ID number refused as the hall staff see it: exit code 1, the field in the JSON, the Chinese message. */
export async function expectMalformedIdRefused(env: Record<string, string>): Promise<void> {
  const r = await issueCode({ name: "张三", idType: "居民身份证", idNumber: "123" }, ["--json"], env);
  expect(r.code).toBe(1);
  expect(JSON.parse(r.stdout).error).toMatchObject({ path: "idNumber" });
  expect(r.stderr).toMatch(/错误 \/ refused: .+\(.+, idNumber\)/);
}
