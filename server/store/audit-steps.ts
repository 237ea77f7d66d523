import { maskIdNumber, maskPhone } from "../../shared/mask";
import type { AccountsDeps } from "../accounts/deps";
import { Refused } from "../kernel/refusal";
import { type AuditEntry, writeAudit } from "./audit";

export const identitySubject = (idType: string, idNumber: string) => `${idType} ${maskIdNumber(idNumber)}`;
export const phoneSubject = (phone: string) => maskPhone(phone);

type Step = Omit<AuditEntry, "at" | "node" | "outcome">;

/**
 * Runs a step and, if it is refused, records the refusal in the audit log (outside the step's own
 * transaction, which was rolled back). Success rows are written by the step, inside its transaction.
 */
export async function auditRefusals<T>(deps: AccountsDeps, step: Step, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const outcome = err instanceof Refused ? err.code : "INTERNAL";
    await writeAudit(deps.db, { ...step, at: deps.clock.now(), node: deps.nodeId, outcome }).catch(() => {});
    throw err;
  }
}

export function auditOk(deps: AccountsDeps, step: Step): AuditEntry {
  return { ...step, at: deps.clock.now(), node: deps.nodeId, outcome: "ok" };
}
