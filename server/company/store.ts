import type { Queryable } from "../store";
import type { CompanyFacts } from "./rules";

// The only writer of `companies`, `company_bindings` and `authorizations`, and their reads. The rules
// (./rules.ts) decide what these facts allow; the hall, the app and the demo call these.

export interface CompanyRow {
  taxId: string;
  name: string;
  /** 本市单位: CA is offered until CA_CUTOFF. */
  local: boolean;
  declarationPasswordHash: string;
  legalRep: { idType: string; idNumber: string };
  financeManager: { idType: string; idNumber: string } | null;
}

interface Row {
  tax_id: string;
  name: string;
  region_local: boolean;
  declaration_password_hash: string;
  legal_rep_id_type: string;
  legal_rep_id_number: string;
  finance_manager_id_type: string | null;
  finance_manager_id_number: string | null;
}

export async function findCompany(q: Queryable, taxId: string): Promise<CompanyRow | null> {
  const rows = await q.query<Row>(
    `SELECT tax_id, name, region_local, declaration_password_hash, legal_rep_id_type, legal_rep_id_number,
       finance_manager_id_type, finance_manager_id_number
     FROM companies WHERE tax_id = $1`,
    [taxId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    taxId: r.tax_id,
    name: r.name,
    local: r.region_local,
    declarationPasswordHash: r.declaration_password_hash,
    legalRep: { idType: r.legal_rep_id_type, idNumber: r.legal_rep_id_number },
    financeManager:
      r.finance_manager_id_type && r.finance_manager_id_number
        ? { idType: r.finance_manager_id_type, idNumber: r.finance_manager_id_number }
        : null,
  };
}

/**
 * seed 1.3: the handler's companies — bound ones (added with the declaration password) and those whose
 * legal representative authorized them (active authorizations) — with the declaration password's lock,
 * in the order the handler got them. `taxId` narrows it to one.
 */
export async function companyFacts(q: Queryable, personId: string, taxId?: string): Promise<CompanyFacts[]> {
  const rows = await q.query<{
    tax_id: string;
    name: string;
    region_local: boolean;
    bound: boolean;
    authorized: boolean;
    locked_until: Date | string | null;
  }>(
    `WITH links AS (
       SELECT tax_id, true AS bound, false AS authorized, created_at AS since
       FROM company_bindings WHERE person_id = $1
       UNION ALL
       SELECT tax_id, false, true, granted_at
       FROM authorizations WHERE handler_person_id = $1 AND revoked_at IS NULL
     )
     SELECT c.tax_id, c.name, c.region_local, bool_or(l.bound) AS bound, bool_or(l.authorized) AS authorized,
       lo.locked_until
     FROM links l
     JOIN companies c ON c.tax_id = l.tax_id
     LEFT JOIN lockouts lo ON lo.subject_kind = 'declaration' AND lo.subject_id = c.tax_id
     WHERE ($2::text IS NULL OR c.tax_id = $2)
     GROUP BY c.tax_id, c.name, c.region_local, lo.locked_until
     ORDER BY min(l.since), c.tax_id`,
    [personId, taxId ?? null],
  );
  return rows.map((r) => ({
    taxId: r.tax_id,
    name: r.name,
    local: r.region_local,
    bound: r.bound,
    authorized: r.authorized,
    declarationLockedUntil: r.locked_until ? new Date(r.locked_until) : null,
  }));
}

/** seed 1.3: "首次…输入办税企业纳税人识别号和申报密码，提交并验证通过后" — only then is the company the handler's. */
export async function bindCompany(
  q: Queryable,
  personId: string,
  taxId: string,
  now: Date,
): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO company_bindings (person_id, tax_id, created_at) VALUES ($1, $2, $3)
     ON CONFLICT (person_id, tax_id) DO NOTHING RETURNING tax_id`,
    [personId, taxId, now],
  );
  return rows.length > 0;
}

export interface NewCompany {
  taxId: string;
  name: string;
  legalRep: { idType: string; idNumber: string };
  financeManager: { idType: string; idNumber: string } | null;
  declarationPasswordHash: string;
  local: boolean;
}

/** A company added at the hall (inside its transaction); the primary key refuses a second one. */
export async function insertCompany(q: Queryable, c: NewCompany, now: Date): Promise<void> {
  await q.query(
    `INSERT INTO companies (tax_id, name, legal_rep_id_type, legal_rep_id_number, finance_manager_id_type,
       finance_manager_id_number, declaration_password_hash, declaration_password_changed_at, region_local, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8)`,
    [
      c.taxId,
      c.name,
      c.legalRep.idType,
      c.legalRep.idNumber,
      c.financeManager?.idType ?? null,
      c.financeManager?.idNumber ?? null,
      c.declarationPasswordHash,
      now,
      c.local,
    ],
  );
}

/** The one declaration-password change (hall or app reset); false if there is no such company. */
export async function setDeclarationPassword(
  q: Queryable,
  taxId: string,
  hash: string,
  now: Date,
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE companies SET declaration_password_hash = $2, declaration_password_changed_at = $3
     WHERE tax_id = $1 RETURNING tax_id`,
    [taxId, hash, now],
  );
  return rows.length > 0;
}

/** 办税授权 from the legal representative; the partial unique index refuses a second active one. */
export async function insertAuthorization(
  q: Queryable,
  a: { taxId: string; handlerId: string; grantedBy: string },
  now: Date,
): Promise<{ id: string; grantedAt: Date }> {
  const rows = await q.query<{ id: string; granted_at: Date }>(
    `INSERT INTO authorizations (tax_id, handler_person_id, granted_by, granted_at)
     VALUES ($1, $2, $3, $4) RETURNING id, granted_at`,
    [a.taxId, a.handlerId, a.grantedBy, now],
  );
  const r = rows[0] as { id: string; granted_at: Date };
  return { id: r.id, grantedAt: r.granted_at };
}

/** Removes the companies (and every binding and authorization of them or of these people): the demo's reset. */
export async function forgetCompanies(q: Queryable, taxIds: readonly string[], personIds: readonly string[]) {
  await q.query(
    `DELETE FROM authorizations WHERE handler_person_id = ANY($1::uuid[]) OR granted_by = ANY($1::uuid[])
       OR tax_id = ANY($2::text[])`,
    [personIds, taxIds],
  );
  await q.query(
    "DELETE FROM company_bindings WHERE person_id = ANY($1::uuid[]) OR tax_id = ANY($2::text[])",
    [personIds, taxIds],
  );
}

export async function deleteCompanies(q: Queryable, taxIds: readonly string[]) {
  await q.query("DELETE FROM companies WHERE tax_id = ANY($1::text[])", [taxIds]);
}
