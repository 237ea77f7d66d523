import { maskIdNumber, maskPhone } from "../../shared/mask";
import { type Clock, dateOf } from "../kernel/clock";
import { Refusal } from "../kernel/refusal";
import type { Queryable } from "./db";

// The audit log: one row per thing done or refused. `subject` is already masked by the caller;
// `detail` must never hold a password, code, token, full ID number or phone.
export interface AuditEntry {
  at: Date;
  node: string;
  actor: string;
  action: string;
  subject?: string | undefined;
  outcome: string;
  detail?: Record<string, string | number | boolean | null>;
}

/** What writing a row needs: where, which node, what time it is, and where a failed write is told. */
export interface AuditDeps {
  db: Queryable;
  nodeId: string;
  clock: Pick<Clock, "now">;
  log?: { error(obj: object, msg: string): void } | undefined;
}

export type AuditStep = Omit<AuditEntry, "at" | "node" | "outcome">;

export const identitySubject = (idType: string, idNumber: string) => `${idType} ${maskIdNumber(idNumber)}`;
export const phoneSubject = (phone: string) => maskPhone(phone);

/** The one INSERT into audit_log; inside a transaction, pass its `tx`. */
export async function writeAudit(q: Queryable, e: AuditEntry): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (at, node, actor, action, subject, outcome, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
    [e.at, e.node, e.actor, e.action, e.subject ?? null, e.outcome, JSON.stringify(e.detail ?? {})],
  );
}

/** A row stamped now by this node. */
export function auditRow(d: Omit<AuditDeps, "db">, step: AuditStep, outcome = "ok"): AuditEntry {
  return { ...step, at: dateOf(d.clock), node: d.nodeId, outcome };
}

/** One row outside any transaction; a failing write is logged, never the reason a person's step fails. */
export async function audit(d: AuditDeps, e: AuditStep & { outcome: string }): Promise<void> {
  try {
    await writeAudit(d.db, auditRow(d, e, e.outcome));
  } catch (err) {
    d.log?.error({ err: (err as Error).message, action: e.action }, "audit write failed");
  }
}

/**
 * Runs a step and, if it is refused, records the refusal (outside the step's own transaction, which
 * was rolled back). Success rows are written by the step, inside its transaction (`auditRow`).
 */
export async function auditRefusals<T>(d: AuditDeps, step: AuditStep, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    await audit(d, { ...step, outcome: err instanceof Refusal ? err.code : "INTERNAL" });
    throw err;
  }
}
