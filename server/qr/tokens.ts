import { createHash, randomBytes } from "node:crypto";

// Ticket ids, client secrets and grants: 128 bits from the CSPRNG, base64url (22 characters).
// Only SHA-256 hashes are stored; a leaked store cannot be replayed.

export function newToken(): string {
  return randomBytes(16).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}
