import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import type { ErrorCode } from "../../shared/errors";
import { HALL_CODE_ALPHABET, HALL_CODE_LENGTH, normalizeHallCode } from "../../shared/rules";

// The hall registration code (大厅注册码), seed 2: "由6位的数字、字母随机组成", "有效期7天", one use,
// bound to the identity shown at the hall. Pure: generation, hashing and judging an attempt.

/** Wrong attempts against one code before it is voided. */
export const HALL_CODE_MAX_TRIES = 5;

/** Six characters from the rules' alphabet (no look-alikes), each from the CSPRNG. */
export function generateHallCode(pick: (n: number) => number = randomInt): string {
  let code = "";
  for (let i = 0; i < HALL_CODE_LENGTH; i++) code += HALL_CODE_ALPHABET[pick(HALL_CODE_ALPHABET.length)];
  return code;
}

/**
 * What is stored instead of the code: SHA-256 over the normalized code and the identity, so a code
 * only means something for the person it was issued to and compares case-insensitively.
 */
export function hallCodeHash(code: string, idType: string, idNumber: string): string {
  return createHash("sha256")
    .update(`${normalizeHallCode(code)}\u0000${idType}\u0000${idNumber}`)
    .digest("hex");
}

export interface HallCodeRow {
  id: string;
  codeHash: string;
  name: string;
  nationality: string | null;
  expiresAt: Date;
  tries: number;
  usedAt: Date | null;
  voidedAt: Date | null;
  voidReason: "reissued" | "tries" | null;
}

export interface HallCodeAttempt {
  codeHash: string;
  /** NFC, as checkPersonName returns it. */
  name: string;
  nationality: string | undefined;
}

export type HallCodeJudgement =
  | { ok: true; code: HallCodeRow }
  | {
      ok: false;
      error: ErrorCode;
      attemptsLeft?: number;
      /** A wrong try to record against this code; `voids` when it was the last one allowed. */
      countTry?: { id: string; voids: boolean };
    };

const sameHash = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

const isLive = (r: HallCodeRow, now: Date) => !r.usedAt && !r.voidedAt && now < r.expiresAt;

function wrongTry(code: HallCodeRow, error: ErrorCode): HallCodeJudgement {
  const tries = code.tries + 1;
  const voids = tries >= HALL_CODE_MAX_TRIES;
  return voids
    ? { ok: false, error: "HALL_CODE_TOO_MANY_TRIES", attemptsLeft: 0, countTry: { id: code.id, voids } }
    : { ok: false, error, attemptsLeft: HALL_CODE_MAX_TRIES - tries, countTry: { id: code.id, voids } };
}

/**
 * Judges a registration attempt against every code ever issued to that ID type + number.
 * The code that matches decides (used / voided / expired / wrong name); with none matching, a wrong
 * try counts against the identity's live code, if it has one.
 */
export function judgeHallCode(
  rows: readonly HallCodeRow[],
  a: HallCodeAttempt,
  now: Date,
): HallCodeJudgement {
  const match = rows.find((r) => sameHash(r.codeHash, a.codeHash));
  if (!match) {
    const live = rows.find((r) => isLive(r, now));
    return live ? wrongTry(live, "HALL_CODE_MISMATCH") : { ok: false, error: "HALL_CODE_MISMATCH" };
  }
  if (match.usedAt) return { ok: false, error: "HALL_CODE_USED" };
  if (match.voidedAt) {
    return {
      ok: false,
      error: match.voidReason === "tries" ? "HALL_CODE_TOO_MANY_TRIES" : "HALL_CODE_VOIDED",
    };
  }
  if (now >= match.expiresAt) return { ok: false, error: "HALL_CODE_EXPIRED" };
  const nationalityDiffers =
    a.nationality !== undefined && match.nationality !== null && a.nationality !== match.nationality;
  if (a.name !== match.name || nationalityDiffers) return wrongTry(match, "HALL_CODE_IDENTITY_MISMATCH");
  return { ok: true, code: match };
}

/** Why a code can no longer be consumed (it was fine when judged, then changed). */
export function hallCodeStateError(r: HallCodeRow, now: Date): ErrorCode | undefined {
  if (r.usedAt) return "HALL_CODE_USED";
  if (r.voidedAt) return r.voidReason === "tries" ? "HALL_CODE_TOO_MANY_TRIES" : "HALL_CODE_VOIDED";
  if (now >= r.expiresAt) return "HALL_CODE_EXPIRED";
  return undefined;
}
