import type { Queryable } from "../store";
import type { CompanyFacts } from "./rules";

// The company step's reads and its one write (the binding), over the store. The rules (./rules.ts)
// decide what these facts allow.

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
