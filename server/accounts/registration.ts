import {
  CURRENT_AGREEMENT,
  type FaceVerifyRequest,
  type HallCodeVerifyRequest,
  type IdentityVerified,
  type RegisterCompleteRequest,
  type Registered,
  type RegisterSmsRequest,
  type SmsSent,
} from "../../shared/api/accounts";
import type { ErrorCode } from "../../shared/errors";
import { maskIdNumber, maskName, maskPhone } from "../../shared/mask";
import {
  canRegisterByFace,
  checkHallCode,
  checkIdNumber,
  checkLoginName,
  checkMobile,
  checkNationality,
  checkPassword,
  checkPersonName,
  type IdType,
} from "../../shared/rules";
import { regionName } from "../../shared/rules/regions";
import type { PortraitResult } from "../adapters/portrait";
import { dateOf } from "../kernel/clock";
import { must, Refusal } from "../kernel/refusal";
import { hashToken, newToken } from "../kernel/tokens";
import { hashPassword } from "../people/passwords";
import { findPersonByIdentity } from "../people/store";
import { type Queryable, uniqueViolation } from "../store";
import { auditRefusals, auditRow, identitySubject, writeAudit } from "../store/audit";
import { decodeCapture } from "./capture";
import type { AccountsDeps } from "./deps";
import { type HallCodeRow, hallCodeHash, hallCodeStateError, judgeHallCode } from "./hall-code";
import { checkSmsCode, consumeSmsCode, sendSmsCode } from "./sms";

// seed 2 — 实名注册, as three steps joined by a registration token:
//   1. verify the identity: hall code (every ID type) or face check (居民身份证 only) → token
//   2. SMS code to the phone the person will register
//   3. complete: login name, password, phone + SMS code (+ 户籍所在地 on the portal) → the account,
//      created in ONE transaction that also consumes the hall code and the SMS code.

/** How long a verified identity waits for the account to be completed. */
export const REGISTRATION_TTL_MS = 30 * 60_000;

export interface Identity {
  name: string;
  idType: IdType;
  idNumber: string;
  nationality: string | undefined;
}

/** seed 2.1 ①「同意并继续」/ 2.2「阅读并同意用户注册协议」: no consent, no registration. */
function checkAgreement(version: string | undefined): string {
  if (!version) throw new Refusal("AGREEMENT_REQUIRED", { path: "agreementVersion" });
  if (version !== CURRENT_AGREEMENT.version)
    throw new Refusal("AGREEMENT_OUTDATED", { path: "agreementVersion" });
  return version;
}

export function checkIdentity(input: {
  name: string;
  idType: IdType;
  idNumber: string;
  nationality?: string | undefined;
}): Identity {
  return {
    name: must(checkPersonName(input.name), "name").normalize("NFC"), // the people.name contract
    idType: input.idType,
    idNumber: must(checkIdNumber(input.idType, input.idNumber), "idNumber"),
    nationality:
      input.nationality === undefined ? undefined : must(checkNationality(input.nationality), "nationality"),
  };
}

async function refuseIfRegistered(q: Queryable, id: Identity): Promise<void> {
  if (await findPersonByIdentity(q, id.idType, id.idNumber)) {
    throw new Refusal("ID_ALREADY_REGISTERED", { path: "idNumber" });
  }
}

async function openRegistration(
  tx: Queryable,
  deps: AccountsDeps,
  r: {
    id: Identity;
    via: "hall_code" | "face";
    channel: "portal" | "app";
    hallCodeId: string | null;
    agreement: string;
  },
): Promise<IdentityVerified> {
  const now = dateOf(deps.clock);
  const token = newToken();
  const expiresAt = new Date(now.getTime() + REGISTRATION_TTL_MS);
  await tx.query(
    `INSERT INTO registrations (token_hash, via, channel, hall_code_id, name, id_type, id_number,
       nationality, agreement_version, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      hashToken(token),
      r.via,
      r.channel,
      r.hallCodeId,
      r.id.name,
      r.id.idType,
      r.id.idNumber,
      r.id.nationality ?? null,
      r.agreement,
      now,
      expiresAt,
    ],
  );
  return {
    registrationToken: token,
    expiresAt: expiresAt.toISOString(),
    via: r.via,
    identity: {
      maskedName: maskName(r.id.name),
      idType: r.id.idType,
      maskedIdNumber: maskIdNumber(r.id.idNumber),
    },
  };
}

interface HallCodeDbRow {
  id: string;
  code_hash: string;
  name: string;
  nationality: string | null;
  expires_at: Date;
  tries: number;
  used_at: Date | null;
  voided_at: Date | null;
  void_reason: "reissued" | "tries" | null;
}

const toHallCode = (r: HallCodeDbRow): HallCodeRow => ({
  id: r.id,
  codeHash: r.code_hash,
  name: r.name,
  nationality: r.nationality,
  expiresAt: r.expires_at,
  tries: r.tries,
  usedAt: r.used_at,
  voidedAt: r.voided_at,
  voidReason: r.void_reason,
});

const HALL_CODE_COLUMNS =
  "id, code_hash, name, nationality, expires_at, tries, used_at, voided_at, void_reason";

type HallCodeOutcome =
  | { refused: Extract<ReturnType<typeof judgeHallCode>, { ok: false }> }
  | { verified: IdentityVerified };

/** Step 1, hall-code path (seed 2.1 ②, 2.2.1): every ID type. */
export function verifyByHallCode(deps: AccountsDeps, req: HallCodeVerifyRequest, actor: string) {
  const step = { actor, action: "register.hall_code", subject: identitySubject(req.idType, req.idNumber) };
  return auditRefusals(deps, step, async () => {
    const agreement = checkAgreement(req.agreementVersion);
    const id = checkIdentity(req);
    const code = must(checkHallCode(req.hallCode), "hallCode");
    const now = dateOf(deps.clock);
    const attempt = {
      codeHash: hallCodeHash(code, id.idType, id.idNumber),
      name: id.name,
      nationality: id.nationality,
    };
    const outcome = await deps.db.transaction<HallCodeOutcome>(async (tx) => {
      const rows = await tx.query<HallCodeDbRow>(
        `SELECT ${HALL_CODE_COLUMNS} FROM hall_codes WHERE id_type = $1 AND id_number = $2 FOR UPDATE`,
        [id.idType, id.idNumber],
      );
      // The code first (so a used code says so), then whether the identity has an account already.
      const judged = judgeHallCode(rows.map(toHallCode), attempt, now);
      if (!judged.ok) {
        if (judged.countTry) {
          const { id: codeId, voids } = judged.countTry;
          await tx.query(
            `UPDATE hall_codes SET tries = tries + 1,
               voided_at = CASE WHEN $2 THEN $3::timestamptz ELSE voided_at END,
               void_reason = CASE WHEN $2 THEN 'tries' ELSE void_reason END
             WHERE id = $1`,
            [codeId, voids, now],
          );
        }
        return { refused: judged }; // committed: the wrong try counts
      }
      await refuseIfRegistered(tx, id);
      const nationality = id.nationality ?? judged.code.nationality ?? undefined;
      const verified = await openRegistration(tx, deps, {
        id: { ...id, nationality },
        via: "hall_code",
        channel: req.channel,
        hallCodeId: judged.code.id,
        agreement,
      });
      await writeAudit(tx, auditRow(deps, step));
      return { verified };
    });
    if ("refused" in outcome) {
      const { error, attemptsLeft } = outcome.refused;
      throw new Refusal(
        error,
        attemptsLeft === undefined ? { path: "hallCode" } : { path: "hallCode", attemptsLeft },
      );
    }
    deps.events.emit("registration.verified", {
      via: "hall_code",
      idType: id.idType,
      idNumber: maskIdNumber(id.idNumber),
    });
    return outcome.verified;
  });
}

/** Step 1, face path (seed 2.2.2): 居民身份证 only, checked by the portrait service. */
export function verifyByFace(deps: AccountsDeps, req: FaceVerifyRequest, actor: string) {
  const step = { actor, action: "register.face", subject: identitySubject(req.idType, req.idNumber) };
  return auditRefusals(deps, step, async () => {
    const agreement = checkAgreement(req.agreementVersion);
    // seed 2.2: "人脸识别认证注册仅支持居民身份证，其他证件暂不支持"
    if (!canRegisterByFace(req.idType)) throw new Refusal("FACE_ID_TYPE_NOT_SUPPORTED", { path: "idType" });
    const id = checkIdentity(req);
    const capture = decodeCapture(req.capture);
    if (!capture) throw new Refusal("FACE_CAPTURE_INVALID", { path: "capture" });
    await refuseIfRegistered(deps.db, id);
    if (!deps.portrait) throw new Refusal("UNAVAILABLE");
    let result: PortraitResult;
    try {
      result = await deps.portrait.verify({ idNumber: id.idNumber, name: id.name, capture });
    } catch {
      throw new Refusal("UNAVAILABLE");
    }
    if (result !== "match") throw new Refusal("FACE_NOT_MATCHED");
    const verified = await deps.db.transaction(async (tx) => {
      const v = await openRegistration(tx, deps, {
        id,
        via: "face",
        channel: "app",
        hallCodeId: null,
        agreement,
      });
      await writeAudit(tx, auditRow(deps, step));
      return v;
    });
    deps.events.emit("registration.verified", {
      via: "face",
      idType: id.idType,
      idNumber: maskIdNumber(id.idNumber),
    });
    return verified;
  });
}

interface RegistrationRow {
  token_hash: string;
  via: "hall_code" | "face";
  channel: "portal" | "app";
  hall_code_id: string | null;
  name: string;
  id_type: IdType;
  id_number: string;
  nationality: string | null;
  agreement_version: string;
}

async function openedRegistration(q: Queryable, token: string, now: Date): Promise<RegistrationRow> {
  const rows = await q.query<RegistrationRow>(
    `SELECT token_hash, via, channel, hall_code_id, name, id_type, id_number, nationality, agreement_version
     FROM registrations WHERE token_hash = $1 AND completed_at IS NULL AND expires_at > $2`,
    [hashToken(token), now],
  );
  if (!rows[0]) throw new Refusal("REGISTRATION_EXPIRED", { path: "registrationToken" });
  return rows[0];
}

/** Step 2: an SMS code to the phone being registered (not one already registered). */
export function sendRegistrationSms(
  deps: AccountsDeps,
  req: RegisterSmsRequest,
  actor: string,
): Promise<SmsSent> {
  return auditRefusals(deps, { actor, action: "register.sms", subject: maskPhone(req.phone) }, async () => {
    await openedRegistration(deps.db, req.registrationToken, dateOf(deps.clock));
    const phone = must(checkMobile(req.phone), "phone");
    const taken = await deps.db.query("SELECT 1 FROM people WHERE phone = $1", [phone]);
    if (taken.length > 0) throw new Refusal("PHONE_TAKEN", { path: "phone" });
    const sent = await sendSmsCode(deps, phone, "register");
    await writeAudit(deps.db, auditRow(deps, { actor, action: "register.sms", subject: sent.maskedPhone }));
    return {
      maskedPhone: sent.maskedPhone,
      expiresAt: sent.expiresAt.toISOString(),
      resendAt: sent.resendAt.toISOString(),
    };
  });
}

/** 户籍所在地: a GB/T 2260 6-digit code; required on the portal (seed 2.1 ③), optional in the app. */
function checkHouseholdRegion(code: string | undefined, channel: "portal" | "app"): string | null {
  if (code === undefined) {
    if (channel === "portal") throw new Refusal("HOUSEHOLD_REGION_REQUIRED", { path: "householdRegion" });
    return null;
  }
  if (!/^\d{6}$/.test(code) || regionName(code) === undefined) {
    throw new Refusal("HOUSEHOLD_REGION_INVALID", { path: "householdRegion" });
  }
  return code;
}

const CLASHES: Record<string, ErrorCode> = {
  people_identity_key: "ID_ALREADY_REGISTERED",
  people_login_name_key: "LOGIN_NAME_TAKEN",
  people_phone_key: "PHONE_TAKEN",
};
const CLASH_PATHS: Partial<Record<ErrorCode, string>> = {
  ID_ALREADY_REGISTERED: "idNumber",
  LOGIN_NAME_TAKEN: "loginName",
  PHONE_TAKEN: "phone",
};

/** One account per identity; login name (case-sensitive) and phone unique — each clash its own code. */
async function refuseClashes(q: Queryable, reg: RegistrationRow, loginName: string, phone: string) {
  const rows = await q.query<{ login: boolean; phone: boolean; identity: boolean }>(
    `SELECT login_name = $1 AS login, phone = $2 AS phone, (id_type = $3 AND id_number = $4) AS identity
     FROM people WHERE login_name = $1 OR phone = $2 OR (id_type = $3 AND id_number = $4)`,
    [loginName, phone, reg.id_type, reg.id_number],
  );
  const clash: ErrorCode | undefined = rows.some((r) => r.identity)
    ? "ID_ALREADY_REGISTERED"
    : rows.some((r) => r.login)
      ? "LOGIN_NAME_TAKEN"
      : rows.some((r) => r.phone)
        ? "PHONE_TAKEN"
        : undefined;
  if (clash) throw new Refusal(clash, { path: CLASH_PATHS[clash] as string });
}

async function consumeHallCode(tx: Queryable, codeId: string, personId: string, now: Date): Promise<void> {
  const used = await tx.query(
    `UPDATE hall_codes SET used_at = $2, used_by = $3
     WHERE id = $1 AND used_at IS NULL AND voided_at IS NULL AND expires_at > $2 RETURNING id`,
    [codeId, now, personId],
  );
  if (used.length > 0) return;
  const rows = await tx.query<HallCodeDbRow>(`SELECT ${HALL_CODE_COLUMNS} FROM hall_codes WHERE id = $1`, [
    codeId,
  ]);
  const error = rows[0] ? hallCodeStateError(toHallCode(rows[0]), now) : undefined;
  throw new Refusal(error ?? "HALL_CODE_MISMATCH", { path: "hallCode" });
}

/** Step 3: the account, all or nothing. */
export function completeRegistration(
  deps: AccountsDeps,
  req: RegisterCompleteRequest,
  actor: string,
): Promise<Registered> {
  const step = { actor, action: "register.complete", subject: maskPhone(req.phone) };
  return auditRefusals(deps, step, async () => {
    const { db, clock } = deps;
    const reg = await openedRegistration(db, req.registrationToken, dateOf(clock));
    const subject = identitySubject(reg.id_type, reg.id_number);
    const loginName = must(checkLoginName(req.loginName), "loginName");
    const password = must(checkPassword(req.password), "password");
    const phone = must(checkMobile(req.phone), "phone");
    const householdRegion = checkHouseholdRegion(req.householdRegion, reg.channel);
    await refuseClashes(db, reg, loginName, phone);
    const smsId = await checkSmsCode(deps, phone, "register", req.smsCode);
    const passwordHash = await hashPassword(password);
    const now = dateOf(clock);
    try {
      await db.transaction(async (tx) => {
        const inserted = await tx.query<{ id: string }>(
          `INSERT INTO people (name, id_type, id_number, nationality, login_name, phone, password_hash,
             password_changed_at, household_region, agreement_version, registered_via, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $8) RETURNING id`,
          [
            reg.name,
            reg.id_type,
            reg.id_number,
            reg.nationality,
            loginName,
            phone,
            passwordHash,
            now,
            householdRegion,
            reg.agreement_version,
            reg.via,
          ],
        );
        const personId = (inserted[0] as { id: string }).id;
        if (reg.hall_code_id) await consumeHallCode(tx, reg.hall_code_id, personId, now);
        await consumeSmsCode(tx, smsId, now);
        const done = await tx.query(
          `UPDATE registrations SET completed_at = $2, person_id = $3
           WHERE token_hash = $1 AND completed_at IS NULL RETURNING token_hash`,
          [reg.token_hash, now, personId],
        );
        if (done.length === 0) throw new Refusal("REGISTRATION_EXPIRED", { path: "registrationToken" });
        await writeAudit(
          tx,
          auditRow(deps, {
            ...step,
            subject,
            detail: { personId, via: reg.via, channel: reg.channel, agreementVersion: reg.agreement_version },
          }),
        );
      });
    } catch (err) {
      const constraint = uniqueViolation(err);
      const clash = constraint === undefined ? undefined : CLASHES[constraint];
      if (clash) throw new Refusal(clash, { path: CLASH_PATHS[clash] as string });
      throw err;
    }
    deps.events.emit("registration.completed", {
      via: reg.via,
      channel: reg.channel,
      idType: reg.id_type,
      idNumber: maskIdNumber(reg.id_number),
      name: maskName(reg.name),
    });
    return { loginName, maskedPhone: maskPhone(phone), via: reg.via };
  });
}
