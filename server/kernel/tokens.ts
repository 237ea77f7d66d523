import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// Opaque secrets handed to clients (session tokens, captcha ids, CA nonces): random bytes from the
// CSPRNG, base64url. Only their SHA-256 is stored, so a leaked table or Redis dump opens nothing.

/** 32 bytes (256 bits) → 43 base64url characters; never fewer than 16 bytes (128 bits). */
export function newToken(bytes = 32): string {
  if (bytes < 16) throw new RangeError("a token needs at least 128 bits");
  return randomBytes(bytes).toString("base64url");
}

/** SHA-256 of the token, base64url (43 characters). What the store keeps and looks up by. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("base64url");
}

/** Does this token hash to the stored value? Compared in constant time. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token), "base64url");
  const b = Buffer.from(storedHash, "base64url");
  return a.length === b.length && timingSafeEqual(a, b);
}
