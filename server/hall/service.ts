import { maskIdNumber } from "../../shared/mask";
import {
  checkDeclarationPassword,
  checkIdNumber,
  checkPassword,
  checkTaxId,
  HALL_CODE_TTL_MS,
  type IdType,
} from "../../shared/rules";
import { generateHallCode, hallCodeHash } from "../accounts/hall-code";
import { replacePassword } from "../accounts/recovery";
import { checkIdentity } from "../accounts/registration";
import type { EventSink } from "../events/sink";
import { type Clock, dateOf } from "../kernel/clock";
import { must, Refusal } from "../kernel/refusal";
import { clearLockout } from "../lockout/store";
import { hashPassword } from "../people/passwords";
import { findPersonByIdentity } from "../people/store";
import { announceEnded } from "../sessions/end";
import type { SessionEndNotifier } from "../sessions/notify";
import { type Db, uniqueViolation } from "../store";
import { auditRow, identitySubject, writeAudit } from "../store/audit";

// What the tax hall's staff do for a person standing at the counter with their ID (the seed sends
// people to the hall for registration codes, password resets and declaration-password resets).
// The CLI (cli.ts) is a thin edge over these; tests and demos call them directly.

export interface HallDeps {
  db: Db;
  clock: Clock;
  /** Node name in audit rows, e.g. "hall-cli". */
  nodeId: string;
  /** Who at the hall did it, for the audit log. */
  operator: string;
  events?: EventSink;
  /** Closes the sockets of the sessions a reset ended, on every hub node (the CLI: through Redis when
   *  REDIS_URL is set). Without it they are refused at their next look. */
  notifier?: SessionEndNotifier;
}

/** A success row of a hall action, inside its transaction. */
function hallRow(deps: HallDeps, action: string, subject: string, detail = {}) {
  return auditRow(deps, { actor: `hall:${deps.operator}`, action, subject, detail });
}

export interface IssuedCode {
  /** Shown once to the person; only its hash is stored. */
  code: string;
  expiresAt: Date;
}

/**
 * seed 2: "注册码是由纳税人携带有效身份证件到办税服务厅获取的，注册码有效期7天，由6位的数字、字母随机组成".
 * A new code for the same identity voids the previous one.
 */
export async function issueHallCode(
  deps: HallDeps,
  input: { name: string; idType: IdType; idNumber: string; nationality?: string | undefined },
): Promise<IssuedCode> {
  const id = checkIdentity(input);
  if (await findPersonByIdentity(deps.db, id.idType, id.idNumber)) {
    throw new Refusal("ID_ALREADY_REGISTERED", { path: "idNumber" });
  }
  const now = dateOf(deps.clock);
  const code = generateHallCode();
  const expiresAt = new Date(now.getTime() + HALL_CODE_TTL_MS);
  await deps.db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`hall:${id.idType}:${id.idNumber}`]);
    await tx.query(
      `UPDATE hall_codes SET voided_at = $3, void_reason = 'reissued'
       WHERE id_type = $1 AND id_number = $2 AND used_at IS NULL AND voided_at IS NULL`,
      [id.idType, id.idNumber, now],
    );
    await tx.query(
      `INSERT INTO hall_codes (code_hash, name, id_type, id_number, nationality, issued_by, issued_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        hallCodeHash(code, id.idType, id.idNumber),
        id.name,
        id.idType,
        id.idNumber,
        id.nationality ?? null,
        deps.operator,
        now,
        expiresAt,
      ],
    );
    await writeAudit(
      tx,
      hallRow(deps, "hall.issue_code", identitySubject(id.idType, id.idNumber), {
        expiresAt: expiresAt.toISOString(),
      }),
    );
  });
  deps.events?.emit("hall.code_issued", { idType: id.idType, idNumber: maskIdNumber(id.idNumber) });
  return { code, expiresAt };
}

export interface PersonRef {
  idType: IdType;
  idNumber: string;
}

export interface NewCompany {
  taxId: string;
  name: string;
  legalRep: PersonRef;
  financeManager?: PersonRef | undefined;
  declarationPassword: string;
  /** 本市单位: may verify by CA until CA_CUTOFF (seed 1.3.1). */
  local: boolean;
}

export async function addCompany(deps: HallDeps, input: NewCompany): Promise<{ taxId: string }> {
  const taxId = must(checkTaxId(input.taxId), "taxId");
  const name = input.name.trim().normalize("NFC");
  if (!name || name.length > 100) throw new Refusal("BAD_MESSAGE", { path: "name" });
  const legalRep = must(checkIdNumber(input.legalRep.idType, input.legalRep.idNumber), "legalRep");
  const finance = input.financeManager
    ? must(checkIdNumber(input.financeManager.idType, input.financeManager.idNumber), "financeManager")
    : null;
  const password = must(checkDeclarationPassword(input.declarationPassword), "declarationPassword");
  const hash = await hashPassword(password);
  const now = dateOf(deps.clock);
  try {
    await deps.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO companies (tax_id, name, legal_rep_id_type, legal_rep_id_number, finance_manager_id_type,
           finance_manager_id_number, declaration_password_hash, declaration_password_changed_at, region_local, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8)`,
        [
          taxId,
          name,
          input.legalRep.idType,
          legalRep,
          finance ? input.financeManager?.idType : null,
          finance,
          hash,
          now,
          input.local,
        ],
      );
      await writeAudit(tx, hallRow(deps, "hall.add_company", taxId, { local: input.local }));
    });
  } catch (err) {
    if (uniqueViolation(err) === "companies_pkey") throw new Refusal("COMPANY_EXISTS", { path: "taxId" });
    throw err;
  }
  return { taxId };
}

/** seed 1.1: "若通过此功能仍无法找回密码，请携带有效身份证件到本地办税服务厅进行密码重置". */
export async function resetPassword(
  deps: HallDeps,
  input: PersonRef & { password: string },
): Promise<{ sessionsEnded: number; wasLocked: boolean }> {
  const idNumber = must(checkIdNumber(input.idType, input.idNumber), "idNumber");
  const password = must(checkPassword(input.password), "password");
  const person = await findPersonByIdentity(deps.db, input.idType, idNumber);
  if (!person) throw new Refusal("PERSON_NOT_FOUND");
  const hash = await hashPassword(password);
  const now = dateOf(deps.clock);
  const result = await deps.db.transaction(async (tx) => {
    const r = await replacePassword(tx, person.id, hash, now);
    await writeAudit(
      tx,
      hallRow(deps, "hall.reset_password", identitySubject(person.idType, person.idNumber), {
        personId: person.id,
        wasLocked: r.wasLocked,
        sessionsEnded: r.ended.length,
      }),
    );
    return r;
  });
  deps.events?.emit("password.reset", { personId: person.id, by: "hall", wasLocked: result.wasLocked });
  await announceEnded(deps, person.id, result.ended, "password_reset");
  return { sessionsEnded: result.ended.length, wasLocked: result.wasLocked };
}

/** seed 1.3.1: a locked declaration password "前往办税大厅进行重置"; the reset lifts the lock. */
export async function resetDeclarationPassword(
  deps: HallDeps,
  input: { taxId: string; password: string },
): Promise<{ wasLocked: boolean }> {
  const taxId = must(checkTaxId(input.taxId), "taxId");
  const password = must(checkDeclarationPassword(input.password), "password");
  const hash = await hashPassword(password);
  const now = dateOf(deps.clock);
  const wasLocked = await deps.db.transaction(async (tx) => {
    const rows = await tx.query(
      `UPDATE companies SET declaration_password_hash = $2, declaration_password_changed_at = $3
       WHERE tax_id = $1 RETURNING tax_id`,
      [taxId, hash, now],
    );
    if (rows.length === 0) throw new Refusal("COMPANY_NOT_FOUND", { path: "taxId" });
    const locked = await clearLockout(tx, "declaration", taxId, now);
    await writeAudit(tx, hallRow(deps, "hall.reset_declaration_password", taxId, { wasLocked: locked }));
    return locked;
  });
  deps.events?.emit("declaration.reset", { taxId, by: "hall", wasLocked });
  return { wasLocked };
}

/** Lifts a person's password lock. Without an ID type, the number must name exactly one person. */
export async function unlockPerson(
  deps: HallDeps,
  input: { idType?: IdType | undefined; idNumber: string },
): Promise<{ wasLocked: boolean }> {
  const number = input.idNumber.trim().toUpperCase();
  const people = await deps.db.query<{ id: string; id_type: string; id_number: string }>(
    `SELECT id, id_type, id_number FROM people WHERE id_number = $1 AND ($2::text IS NULL OR id_type = $2)`,
    [number, input.idType ?? null],
  );
  const person = people[0];
  if (!person) throw new Refusal("PERSON_NOT_FOUND");
  if (people.length > 1)
    throw new Refusal("BAD_MESSAGE", { path: "idType" }, "该证件号码对应多个证件类型，请指定证件类型");
  const now = dateOf(deps.clock);
  const wasLocked = await deps.db.transaction(async (tx) => {
    const locked = await clearLockout(tx, "password", person.id, now);
    await writeAudit(
      tx,
      hallRow(deps, "hall.unlock", identitySubject(person.id_type, person.id_number), { wasLocked: locked }),
    );
    return locked;
  });
  deps.events?.emit("lockout.cleared", { kind: "password", personId: person.id, by: "hall" });
  return { wasLocked };
}

export async function unlockCompany(
  deps: HallDeps,
  input: { taxId: string },
): Promise<{ wasLocked: boolean }> {
  const taxId = must(checkTaxId(input.taxId), "taxId");
  const now = dateOf(deps.clock);
  const wasLocked = await deps.db.transaction(async (tx) => {
    const found = await tx.query("SELECT 1 FROM companies WHERE tax_id = $1", [taxId]);
    if (found.length === 0) throw new Refusal("COMPANY_NOT_FOUND", { path: "taxId" });
    const locked = await clearLockout(tx, "declaration", taxId, now);
    await writeAudit(tx, hallRow(deps, "hall.unlock", taxId, { wasLocked: locked }));
    return locked;
  });
  deps.events?.emit("lockout.cleared", { kind: "declaration", taxId, by: "hall" });
  return { wasLocked };
}
