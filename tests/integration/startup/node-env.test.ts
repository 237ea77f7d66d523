import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Fail closed: a NODE_ENV that is almost "production" must not start a development hub (dev-login,
// dev people in the real database, an open event console). The real entry point, as `npm start` runs it.
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

function start(nodeEnv: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: nodeEnv, PORT: "0", HOST: "127.0.0.1", DATA_DIR: ":memory:" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => {
    output += d;
  });
  child.stderr.on("data", (d) => {
    output += d;
  });
  return new Promise((resolve) => {
    // Were it to start after all, it would print where it listens and run on: stop it and say so.
    child.stdout.on("data", () => {
      if (/listening on/.test(output)) child.kill("SIGKILL");
    });
    child.once("exit", (code) => resolve({ code, output }));
  });
}

describe("NODE_ENV", () => {
  it.each(["Production", "prod", "production ", "PRODUCTION", "staging"])(
    "refuses to start with NODE_ENV=%j, naming the variable",
    async (value) => {
      const { code, output } = await start(value);
      expect(output).not.toMatch(/listening on/);
      expect(code).toBe(1);
      expect(output).toContain(
        `hub not started: Invalid configuration:\n  NODE_ENV: must be exactly "production", "development" or "test", or unset (got ${JSON.stringify(value)})`,
      );
    },
  );
});
