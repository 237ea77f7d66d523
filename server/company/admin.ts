import type {
  AuthorizationView,
  CompanyRole,
  DeclarationReset,
  GrantRequest,
  Me,
  Revoked,
} from "../../shared/api/app";
import { maskIdNumber, maskName } from "../../shared/mask";
import { checkDeclarationPassword, checkTaxId, type IdType } from "../../shared/rules";
import { checkIdentity } from "../accounts/registration";
import { checkSmsCode, consumeSmsCode, type SmsSentInfo, sendSmsCode } from "../accounts/sms";
import { dateOf } from "../kernel/clock";
import { must, Refusal } from "../kernel/refusal";
import { clearLockout } from "../lockout/store";
import { hashPassword } from "../people/passwords";
import { findPersonByIdentity, type Person, personView } from "../people/store";
import type { Caller } from "../sessions/caller";
import { uniqueViolation } from "../store";
import { audit, auditRow, identitySubject, writeAudit } from "../store/audit";
import type { CompanyRoutesDeps } from "./deps";
import { type CompanyRow, findCompany, insertAuthorization, setDeclarationPassword } from "./store";

// 「企业办税权限」 in the app and the portal: what the person is to each company, and what the legal
// representative (办税授权) or the finance manager (重置申报密码) may do for it. Both roles come from the
// tax registration (companies.legal_rep_* / finance_manager_*), matched by ID type and number.

const sameId = (p: Person, id: { idType: string; idNumber: string } | null) =>
  id !== null && id.idType === p.idType && id.idNumber === p.idNumber;

function rolesOf(p: Person, c: CompanyRow): { legalRep: boolean; financeManager: boolean } {
  return { legalRep: sameId(p, c.legalRep), financeManager: sameId(p, c.financeManager) };
}

/** The company named in the path, and the caller's role in it, or the refusal. */
export async function companyFor(
  d: CompanyRoutesDeps,
  caller: Caller,
  typedTaxId: string,
  may: "legal_rep" | "legal_rep_or_finance",
): Promise<CompanyRow> {
  const taxId = checkTaxId(typedTaxId);
  if (!taxId.ok) throw new Refusal(taxId.code, { path: "taxId" });
  const company = await findCompany(d.db, taxId.value);
  if (!company) throw new Refusal("COMPANY_NOT_FOUND");
  const r = rolesOf(caller.person, company);
  if (may === "legal_rep" && !r.legalRep) throw new Refusal("NOT_LEGAL_REP");
  if (may === "legal_rep_or_finance" && !r.legalRep && !r.financeManager)
    throw new Refusal("NOT_LEGAL_REP_OR_FINANCE");
  return company;
}

/** GET /me: the person, and every company they are something to. */
/** The audit step of something a logged-in person did to a company. */
const by = (caller: Caller, action: string, taxId: string) => ({
  actor: `person:${caller.person.id}`,
  action,
  subject: taxId,
});

export async function me(d: CompanyRoutesDeps, caller: Caller): Promise<Me> {
  const p = caller.person;
  const rows = await d.db.query<{
    tax_id: string;
    name: string;
    legal_rep: boolean;
    finance_manager: boolean;
    handler: boolean;
    authorized: boolean;
  }>(
    `SELECT c.tax_id, c.name,
       (c.legal_rep_id_type = $2 AND c.legal_rep_id_number = $3) AS legal_rep,
       COALESCE(c.finance_manager_id_type = $2 AND c.finance_manager_id_number = $3, false) AS finance_manager,
       EXISTS (SELECT 1 FROM company_bindings b WHERE b.tax_id = c.tax_id AND b.person_id = $1) AS handler,
       EXISTS (SELECT 1 FROM authorizations a WHERE a.tax_id = c.tax_id AND a.handler_person_id = $1
                 AND a.revoked_at IS NULL) AS authorized
     FROM companies c
     WHERE (c.legal_rep_id_type = $2 AND c.legal_rep_id_number = $3)
        OR (c.finance_manager_id_type = $2 AND c.finance_manager_id_number = $3)
        OR EXISTS (SELECT 1 FROM company_bindings b WHERE b.tax_id = c.tax_id AND b.person_id = $1)
        OR EXISTS (SELECT 1 FROM authorizations a WHERE a.tax_id = c.tax_id AND a.handler_person_id = $1
                     AND a.revoked_at IS NULL)
     ORDER BY c.name, c.tax_id`,
    [p.id, p.idType, p.idNumber],
  );
  const companies = rows.map((r) => {
    const roles: CompanyRole[] = [];
    if (r.legal_rep) roles.push("legal_rep");
    if (r.finance_manager) roles.push("finance_manager");
    if (r.handler) roles.push("handler");
    if (r.authorized) roles.push("authorized");
    return { taxId: r.tax_id, name: r.name, roles };
  });
  return { person: personView(p), companies };
}

interface AuthorizationRow {
  id: string;
  name: string;
  id_type: IdType;
  id_number: string;
  granted_at: Date | string;
}

function authorizationView(r: AuthorizationRow): AuthorizationView {
  return {
    id: r.id,
    maskedName: maskName(r.name),
    maskedIdNumber: maskIdNumber(r.id_number),
    idType: r.id_type,
    grantedAt: new Date(r.granted_at).toISOString(),
  };
}

/** The company's active authorizations (legal representative only). */
export async function listAuthorizations(
  d: CompanyRoutesDeps,
  caller: Caller,
  taxId: string,
): Promise<AuthorizationView[]> {
  const company = await companyFor(d, caller, taxId, "legal_rep");
  const rows = await d.db.query<AuthorizationRow>(
    `SELECT a.id, p.name, p.id_type, p.id_number, a.granted_at
     FROM authorizations a JOIN people p ON p.id = a.handler_person_id
     WHERE a.tax_id = $1 AND a.revoked_at IS NULL ORDER BY a.granted_at, a.id`,
    [company.taxId],
  );
  return rows.map(authorizationView);
}

/**
 * 办税授权 (seed: "企业法人代表可以授权给办税人员"): the handler is named as registered — name, ID type and
 * number must all match a registered person. From AUTHORIZATION_FROM on.
 */
export async function grant(
  d: CompanyRoutesDeps,
  caller: Caller,
  taxId: string,
  req: GrantRequest,
): Promise<AuthorizationView> {
  const company = await companyFor(d, caller, taxId, "legal_rep");
  const now = dateOf(d.clock);
  if (now.getTime() < d.gates.authorizationFrom.getTime()) throw new Refusal("AUTHORIZATION_NOT_ACTIVE");
  const id = checkIdentity(req);
  const handler = await findPersonByIdentity(d.db, id.idType, id.idNumber);
  if (!handler || handler.name.normalize("NFC") !== id.name) throw new Refusal("HANDLER_NOT_FOUND");
  let row: AuthorizationRow;
  try {
    row = await d.db.transaction(async (tx) => {
      const inserted = await insertAuthorization(
        tx,
        { taxId: company.taxId, handlerId: handler.id, grantedBy: caller.person.id },
        now,
      );
      const detail = {
        authorization: inserted.id,
        handler: identitySubject(handler.idType, handler.idNumber),
      };
      await writeAudit(tx, auditRow(d, { ...by(caller, "authorization.grant", company.taxId), detail }));
      return {
        id: inserted.id,
        granted_at: inserted.grantedAt,
        name: handler.name,
        id_type: handler.idType,
        id_number: handler.idNumber,
      };
    });
  } catch (err) {
    if (uniqueViolation(err) === "authorizations_active_key") throw new Refusal("AUTHORIZATION_EXISTS");
    throw err;
  }
  d.events.emit("authorization.granted", {
    taxId: company.taxId,
    handler: maskName(handler.name),
    by: maskName(caller.person.name),
  });
  return authorizationView(row);
}

/** Revoking ends the handler's live client sessions that entered this company by the authorization. */
export async function revoke(
  d: CompanyRoutesDeps,
  caller: Caller,
  taxId: string,
  authorizationId: string,
): Promise<Revoked> {
  const company = await companyFor(d, caller, taxId, "legal_rep");
  const now = dateOf(d.clock);
  const result = await d.db.transaction(async (tx) => {
    const rows = await tx.query<{ handler_person_id: string; name: string }>(
      `UPDATE authorizations a SET revoked_at = $3
       FROM people p
       WHERE a.id = $1::uuid AND a.tax_id = $2 AND a.revoked_at IS NULL AND p.id = a.handler_person_id
       RETURNING a.handler_person_id, p.name`,
      [authorizationId, company.taxId, now],
    );
    const revoked = rows[0];
    if (!revoked) throw new Refusal("AUTHORIZATION_NOT_FOUND");
    const ended = await d.sessions.endForPerson(
      revoked.handler_person_id,
      "authorization_revoked",
      now,
      { kind: "client", taxId: company.taxId, via: "authorization" },
      tx,
    );
    const detail = { authorization: authorizationId, sessionsEnded: ended.length };
    await writeAudit(tx, auditRow(d, { ...by(caller, "authorization.revoke", company.taxId), detail }));
    return { ended, handlerName: revoked.name };
  });
  await d.notifier.sessionsEnded(result.ended, "authorization_revoked");
  d.events.emit("authorization.revoked", {
    taxId: company.taxId,
    handler: maskName(result.handlerName),
    by: maskName(caller.person.name),
    sessionsEnded: result.ended.length,
  });
  return { sessionsEnded: result.ended.length };
}

/** The caller's bound phone, or the real portal's answer for none. */
function boundPhone(p: Person): string {
  if (!p.phone) throw new Refusal("PHONE_NOT_BOUND");
  return p.phone;
}

/** 重置申报密码, step 1: an SMS code to the caller's own bound phone. */
export async function sendDeclarationSms(
  d: CompanyRoutesDeps,
  caller: Caller,
  taxId: string,
): Promise<SmsSentInfo> {
  const company = await companyFor(d, caller, taxId, "legal_rep_or_finance");
  const phone = boundPhone(caller.person);
  try {
    const sent = await sendSmsCode(d.accounts, phone, "reset_declaration_password");
    await audit(d, {
      actor: `person:${caller.person.id}`,
      action: "declaration.sms",
      subject: company.taxId,
      outcome: "ok",
    });
    return sent;
  } catch (err) {
    const outcome = err instanceof Refusal ? err.code : "INTERNAL";
    await audit(d, {
      actor: `person:${caller.person.id}`,
      action: "declaration.sms",
      subject: company.taxId,
      outcome,
    });
    throw err;
  }
}

/**
 * 重置申报密码, step 2 (seed 1.3.1: "由税务登记的法定代表人或者财务经理通过个人所得税APP和WEB渠道…进行重置"):
 * the new password twice and the SMS code; the lock is lifted with it.
 */
export async function resetDeclarationPassword(
  d: CompanyRoutesDeps,
  caller: Caller,
  taxId: string,
  req: { password: string; confirm: string; smsCode: string },
): Promise<DeclarationReset> {
  const company = await companyFor(d, caller, taxId, "legal_rep_or_finance");
  const step = { actor: `person:${caller.person.id}`, action: "declaration.reset", subject: company.taxId };
  try {
    const password = must(checkDeclarationPassword(req.password), "password");
    if (req.confirm !== password) throw new Refusal("DECLARATION_PASSWORD_MISMATCH", { path: "confirm" });
    const phone = boundPhone(caller.person);
    const smsId = await checkSmsCode(d.accounts, phone, "reset_declaration_password", req.smsCode);
    const hash = await hashPassword(password);
    const now = dateOf(d.clock);
    const wasLocked = await d.db.transaction(async (tx) => {
      await consumeSmsCode(tx, smsId, now);
      await setDeclarationPassword(tx, company.taxId, hash, now);
      const locked = await clearLockout(tx, "declaration", company.taxId, now);
      await writeAudit(tx, auditRow(d, { ...step, detail: { wasLocked: locked } }));
      return locked;
    });
    d.events.emit("declaration.reset", { taxId: company.taxId, by: "app", wasLocked });
    return { wasLocked };
  } catch (err) {
    const outcome = err instanceof Refusal ? err.code : "INTERNAL";
    await audit(d, { ...step, outcome });
    throw err;
  }
}
