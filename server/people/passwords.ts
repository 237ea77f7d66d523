import { availableParallelism } from "node:os";
import { type Algorithm, hash, verify } from "@node-rs/argon2";

// argon2id with OWASP's parameters (m=19 MiB, t=2, p=1). @node-rs/argon2 runs on libuv's thread
// pool, so hashing never blocks the event loop — but as many hashes as pool threads would take every
// core from it: at most `HASH_CONCURRENCY` run at once (cores − 1, at least 1), the rest wait in a
// queue in front of the pool (its depth: `hashQueueDepth()`). The pool keeps its size: fs, dns and
// crypto share it.
export const ARGON2_OPTIONS = {
  algorithm: 2 as Algorithm, // Argon2id (a const enum, which isolatedModules cannot import)
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

// Verified against when the account does not exist, so "no such account" takes as long as "wrong
// password". A hash of a random string nobody knows, with the same parameters.
const DUMMY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$zMyAhGc/ZjpYBQNz4C/xQg$ymCMQU6cGv2bRR/ABt0+v9H1ptnNW82PaLyFLrIeF8M";

/** Hashes (or verifies) at once, at most; one core stays with the event loop and its sockets. */
export const HASH_CONCURRENCY = Math.max(1, availableParallelism() - 1);

let running = 0;
const queue: (() => void)[] = [];

/** Hashes and verifications waiting for a free slot right now (a gauge for /metrics). */
export function hashQueueDepth(): number {
  return queue.length;
}

/** Runs `fn` when a slot is free; a finished one hands its slot straight to the next in line. */
async function inTurn<T>(fn: () => Promise<T>): Promise<T> {
  if (running < HASH_CONCURRENCY) running += 1;
  else await new Promise<void>((resolve) => queue.push(resolve));
  try {
    return await fn();
  } finally {
    const next = queue.shift();
    if (next) next();
    else running -= 1;
  }
}

export function hashPassword(password: string): Promise<string> {
  return inTurn(() => hash(password, ARGON2_OPTIONS));
}

/** Checks a secret against its stored hash; with no hash, spends the same time and answers false. */
export async function verifySecret(storedHash: string | null, secret: string): Promise<boolean> {
  try {
    const ok = await inTurn(() => verify(storedHash ?? DUMMY_HASH, secret));
    return storedHash !== null && ok;
  } catch {
    return false; // a malformed stored hash never lets anyone in
  }
}

/** seed 1.1: the login password. `null` person (unknown account) → false, in equal time. */
export function verifyPassword(person: { passwordHash: string } | null, password: string): Promise<boolean> {
  return verifySecret(person?.passwordHash ?? null, password);
}
