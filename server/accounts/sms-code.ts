import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import type { ErrorCode } from "../../shared/errors";
import type { SmsPurpose } from "../adapters/sms";

// SMS verification codes: 6 digits, valid 5 minutes, one per 60 seconds per phone and purpose,
// 5 wrong tries. Pure: generation, hashing, and the judgements.

export const SMS_CODE_TTL_MS = 5 * 60_000;
export const SMS_RESEND_MS = 60_000;
export const SMS_MAX_TRIES = 5;

export function generateSmsCode(pick: (n: number) => number = randomInt): string {
  return String(pick(1_000_000)).padStart(6, "0");
}

export function smsCodeHash(phone: string, purpose: SmsPurpose, code: string): string {
  return createHash("sha256").update(`${phone}\u0000${purpose}\u0000${code.trim()}`).digest("hex");
}

export type SendJudgement = { ok: true } | { ok: false; retryAfterS: number };

export function judgeSmsSend(lastSentAt: Date | null, now: Date): SendJudgement {
  if (!lastSentAt) return { ok: true };
  const wait = lastSentAt.getTime() + SMS_RESEND_MS - now.getTime();
  return wait > 0 ? { ok: false, retryAfterS: Math.ceil(wait / 1000) } : { ok: true };
}

export interface SmsCodeRow {
  id: string;
  codeHash: string;
  expiresAt: Date;
  tries: number;
  usedAt: Date | null;
}

export type CodeJudgement =
  | { ok: true; id: string }
  | { ok: false; error: ErrorCode; attemptsLeft?: number; countTry?: string };

/** Judges a typed code against the latest code sent for that phone and purpose. */
export function judgeSmsCode(latest: SmsCodeRow | null, codeHash: string, now: Date): CodeJudgement {
  if (!latest) return { ok: false, error: "SMS_CODE_NOT_SENT" };
  if (latest.usedAt || now >= latest.expiresAt) return { ok: false, error: "SMS_CODE_EXPIRED" };
  if (latest.tries >= SMS_MAX_TRIES) return { ok: false, error: "SMS_CODE_TOO_MANY_TRIES", attemptsLeft: 0 };
  const same =
    latest.codeHash.length === codeHash.length &&
    timingSafeEqual(Buffer.from(latest.codeHash), Buffer.from(codeHash));
  if (same) return { ok: true, id: latest.id };
  const left = SMS_MAX_TRIES - latest.tries - 1;
  return {
    ok: false,
    error: left === 0 ? "SMS_CODE_TOO_MANY_TRIES" : "SMS_CODE_WRONG",
    attemptsLeft: left,
    countTry: latest.id,
  };
}
