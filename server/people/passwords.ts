import { type Algorithm, hash, verify } from "@node-rs/argon2";

// argon2id with OWASP's parameters (m=19 MiB, t=2, p=1). @node-rs/argon2 runs on libuv's thread
// pool, so hashing never blocks the event loop.
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

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** Checks a secret against its stored hash; with no hash, spends the same time and answers false. */
export async function verifySecret(storedHash: string | null, secret: string): Promise<boolean> {
  try {
    const ok = await verify(storedHash ?? DUMMY_HASH, secret);
    return storedHash !== null && ok;
  } catch {
    return false; // a malformed stored hash never lets anyone in
  }
}

/** seed 1.1: the login password. `null` person (unknown account) → false, in equal time. */
export function verifyPassword(person: { passwordHash: string } | null, password: string): Promise<boolean> {
  return verifySecret(person?.passwordHash ?? null, password);
}
