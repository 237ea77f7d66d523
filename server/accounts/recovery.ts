import type {
  PasswordReset,
  PasswordResetRequest,
  RecoverySmsRequest,
  SmsSent,
} from "../../shared/api/accounts";
import { checkPassword } from "../../shared/rules";
import { dateOf } from "../kernel/clock";
import { must, Refusal } from "../kernel/refusal";
import { clearLockout } from "../lockout/store";
import { hashPassword } from "../people/passwords";
import { findPersonByIdentity, type Person } from "../people/store";
import { announceEnded, endSessions } from "../sessions/end";
import type { Queryable } from "../store";
import { auditRefusals, auditRow, identitySubject, writeAudit } from "../store/audit";
import type { AccountsDeps } from "./deps";
import { checkIdentity } from "./registration";
import { checkSmsCode, consumeSmsCode, sendSmsCode } from "./sms";

// seed 1.1 / 2.1 (3) 【忘记密码】: name + ID type + ID number, an SMS code to the registered phone, a new
// password → the lock is lifted and every open session ends.

async function registeredPerson(deps: AccountsDeps, req: RecoverySmsRequest): Promise<Person> {
  const id = checkIdentity(req);
  const person = await findPersonByIdentity(deps.db, id.idType, id.idNumber);
  if (!person || person.name !== id.name) throw new Refusal("PERSON_NOT_FOUND");
  return person;
}

export function sendRecoverySms(
  deps: AccountsDeps,
  req: RecoverySmsRequest,
  actor: string,
): Promise<SmsSent> {
  const step = { actor, action: "password.sms", subject: identitySubject(req.idType, req.idNumber) };
  return auditRefusals(deps, step, async () => {
    const person = await registeredPerson(deps, req);
    const sent = await sendSmsCode(deps, person.phone, "reset_password");
    await writeAudit(deps.db, auditRow(deps, step));
    return {
      maskedPhone: sent.maskedPhone,
      expiresAt: sent.expiresAt.toISOString(),
      resendAt: sent.resendAt.toISOString(),
    };
  });
}

export function resetPasswordBySms(
  deps: AccountsDeps,
  req: PasswordResetRequest,
  actor: string,
): Promise<PasswordReset> {
  const step = { actor, action: "password.reset", subject: identitySubject(req.idType, req.idNumber) };
  return auditRefusals(deps, step, async () => {
    const person = await registeredPerson(deps, req);
    const password = must(checkPassword(req.password), "password");
    const smsId = await checkSmsCode(deps, person.phone, "reset_password", req.smsCode);
    const passwordHash = await hashPassword(password);
    const now = dateOf(deps.clock);
    const { ended, wasLocked } = await deps.db.transaction(async (tx) => {
      await consumeSmsCode(tx, smsId, now);
      const result = await replacePassword(tx, person.id, passwordHash, now);
      await writeAudit(
        tx,
        auditRow(deps, {
          ...step,
          detail: { personId: person.id, wasLocked: result.wasLocked, sessionsEnded: result.ended.length },
        }),
      );
      return result;
    });
    deps.events.emit("password.reset", { personId: person.id, by: "sms", wasLocked });
    await announceEnded(deps, person.id, ended, "password_reset");
    return { sessionsEnded: ended.length };
  });
}

/**
 * Sets a new login password: the lock is lifted and every session ends (seed 1.1: 【忘记密码】 unlocks).
 * Used by the forgot-password flow and the hall's reset. Returns the ended session ids.
 */
export async function replacePassword(
  q: Queryable,
  personId: string,
  passwordHash: string,
  now: Date,
): Promise<{ ended: string[]; wasLocked: boolean }> {
  await q.query("UPDATE people SET password_hash = $2, password_changed_at = $3 WHERE id = $1", [
    personId,
    passwordHash,
    now,
  ]);
  const wasLocked = await clearLockout(q, "password", personId, now);
  const ended = await endSessions(q, personId, "password_reset", now);
  return { ended, wasLocked };
}
