import type { Queryable } from "./db";

// One row per thing done or refused. `subject` is already masked by the caller; `detail` must never
// hold a password, code, token, full ID number or phone.
export interface AuditEntry {
  at: Date;
  node: string;
  actor: string;
  action: string;
  subject?: string | undefined;
  outcome: string;
  detail?: Record<string, string | number | boolean | null>;
}

export async function writeAudit(q: Queryable, e: AuditEntry): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (at, node, actor, action, subject, outcome, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
    [e.at, e.node, e.actor, e.action, e.subject ?? null, e.outcome, JSON.stringify(e.detail ?? {})],
  );
}
