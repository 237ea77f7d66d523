import { maskPhone } from "../../shared/mask";
import type { SmsPurpose } from "../adapters/sms";
import { dateOf } from "../kernel/clock";
import { Refusal } from "../kernel/refusal";
import type { Queryable } from "../store";
import type { AccountsDeps } from "./deps";
import {
  generateSmsCode,
  judgeSmsCode,
  judgeSmsSend,
  SMS_CODE_TTL_MS,
  SMS_RESEND_MS,
  type SmsCodeRow,
  smsCodeHash,
} from "./sms-code";

// SMS codes in the store: send (with the resend interval), check (counting wrong tries), consume
// (inside the caller's transaction, so a failed step leaves the code usable).

export interface SmsSentInfo {
  maskedPhone: string;
  expiresAt: Date;
  resendAt: Date;
}

/** Sends a fresh code to `phone`, unless one went out less than 60 seconds ago. */
export async function sendSmsCode(
  deps: AccountsDeps,
  phone: string,
  purpose: SmsPurpose,
): Promise<SmsSentInfo> {
  const { sms, db, clock } = deps;
  if (!sms) throw new Refusal("UNAVAILABLE");
  const now = dateOf(clock);
  const code = generateSmsCode();
  const expiresAt = new Date(now.getTime() + SMS_CODE_TTL_MS);
  const id = await db.transaction(async (tx) => {
    // Two simultaneous requests for one phone: the second waits here, then sees the first's row.
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`sms:${purpose}:${phone}`]);
    const last = await tx.query<{ sent_at: Date }>(
      "SELECT sent_at FROM sms_codes WHERE phone = $1 AND purpose = $2 ORDER BY sent_at DESC LIMIT 1",
      [phone, purpose],
    );
    const judged = judgeSmsSend(last[0]?.sent_at ?? null, now);
    if (!judged.ok) throw new Refusal("SMS_TOO_SOON", { retryAfterS: judged.retryAfterS });
    const rows = await tx.query<{ id: string }>(
      `INSERT INTO sms_codes (phone, purpose, code_hash, sent_at, expires_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [phone, purpose, smsCodeHash(phone, purpose, code), now, expiresAt],
    );
    return (rows[0] as { id: string }).id;
  });
  try {
    await sms.send({ phone, code, purpose, ttlMinutes: SMS_CODE_TTL_MS / 60_000 });
  } catch {
    // Not delivered: forget it, so the person may ask again at once.
    await db.query("DELETE FROM sms_codes WHERE id = $1", [id]);
    throw new Refusal("UNAVAILABLE");
  }
  return { maskedPhone: maskPhone(phone), expiresAt, resendAt: new Date(now.getTime() + SMS_RESEND_MS) };
}

/** Checks a typed code against the latest one sent; a wrong one counts. Returns the code's id. */
export async function checkSmsCode(
  deps: AccountsDeps,
  phone: string,
  purpose: SmsPurpose,
  code: string,
  path = "smsCode",
): Promise<string> {
  const now = dateOf(deps.clock);
  const judged = await deps.db.transaction(async (tx) => {
    const rows = await tx.query<{
      id: string;
      code_hash: string;
      expires_at: Date;
      tries: number;
      used_at: Date | null;
    }>(
      `SELECT id, code_hash, expires_at, tries, used_at FROM sms_codes
       WHERE phone = $1 AND purpose = $2 ORDER BY sent_at DESC LIMIT 1 FOR UPDATE`,
      [phone, purpose],
    );
    const r = rows[0];
    const latest: SmsCodeRow | null = r
      ? { id: r.id, codeHash: r.code_hash, expiresAt: r.expires_at, tries: r.tries, usedAt: r.used_at }
      : null;
    const j = judgeSmsCode(latest, smsCodeHash(phone, purpose, code), now);
    if (!j.ok && j.countTry)
      await tx.query("UPDATE sms_codes SET tries = tries + 1 WHERE id = $1", [j.countTry]);
    return j;
  });
  if (!judged.ok) {
    const data = judged.attemptsLeft === undefined ? { path } : { path, attemptsLeft: judged.attemptsLeft };
    throw new Refusal(judged.error, data);
  }
  return judged.id;
}

/** Marks a checked code used, inside the caller's transaction; refuses if it stopped being usable. */
export async function consumeSmsCode(tx: Queryable, id: string, now: Date): Promise<void> {
  const rows = await tx.query(
    `UPDATE sms_codes SET used_at = $2
     WHERE id = $1 AND used_at IS NULL AND expires_at > $2 RETURNING id`,
    [id, now],
  );
  if (rows.length === 0) throw new Refusal("SMS_CODE_EXPIRED", { path: "smsCode" });
}
