import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";

/**
 * In a describe: a folder of the suite's own (`prefix` and a random tail), made before its tests and
 * handed to `take`, removed after them.
 */
export function suiteDir(prefix: string, take: (dir: string) => void): void {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    take(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
}
