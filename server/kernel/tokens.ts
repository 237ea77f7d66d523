import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// Opaque secrets handed out (session tokens, QR ticket ids, client secrets and grants, captcha ids,
// CA nonces): 128 bits from the CSPRNG, base64url (22 characters). Only their SHA-256 is stored, so a
// leaked table or Redis dump opens nothing.

export const TOKEN_BYTES = 16;

export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString("base64url");
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
