import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import {
  HASH_CONCURRENCY,
  hashPassword,
  hashQueueDepth,
  verifyPassword,
  verifySecret,
} from "../../../server/people/passwords";

// argon2 hashes run at most cores − 1 at once (at least 1), so the event loop keeps a core; the rest
// wait in a queue whose depth /metrics reads.

describe("the password hashing queue", () => {
  it("runs at most cores − 1 hashes at once and queues the rest", async () => {
    expect(HASH_CONCURRENCY).toBe(Math.max(1, availableParallelism() - 1));
    const n = HASH_CONCURRENCY + 3;
    const all = Array.from({ length: n }, (_, i) => hashPassword(`Passw0rd!${i}`));
    expect(hashQueueDepth()).toBe(n - HASH_CONCURRENCY);
    const hashes = await Promise.all(all);
    expect(hashQueueDepth()).toBe(0);
    // Every queued hash is a real one, and verifies only its own password.
    expect(await verifyPassword({ passwordHash: hashes[n - 1] ?? "" }, `Passw0rd!${n - 1}`)).toBe(true);
    expect(await verifyPassword({ passwordHash: hashes[n - 1] ?? "" }, "Passw0rd!0")).toBe(false);
  });

  it("frees its slot when a verification fails on a malformed hash", async () => {
    const bad = Array.from({ length: HASH_CONCURRENCY + 2 }, () => verifySecret("not a hash", "x"));
    expect(await Promise.all(bad)).toEqual(bad.map(() => false));
    expect(hashQueueDepth()).toBe(0);
    expect(await verifyPassword(null, "anything")).toBe(false); // the dummy hash still runs, in turn
  });
});
