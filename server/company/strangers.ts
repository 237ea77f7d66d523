import { overLimit } from "../bus/limiter";
import { findPersonById, findPersonByIdentity } from "../people/store";
import { audit } from "../store/audit";
import type { CompanyDeps } from "./deps";
import { type CompanyRow, companyFacts } from "./store";

// Declaration-password tries by someone with no link to the company (not bound, not authorized, neither
// its legal representative nor its finance manager) — the only people who type one in 「添加单位」 and
// are not its handlers. Their wrong tries must not lock the company for its real handlers (seed 1.3.1's
// lock is theirs), so they count against the person instead:
//
//   per company      the person's own lock on that company: subject "<taxId>/by/<personId>", 5 wrong → 120 min
//   across companies declarationTriesPerPersonPerHour tries over all nodes (10 by default)
//   the company      locked for everyone (120 min) once declarationStrangersToLock distinct people (3) hold
//                    their own lock on it at the same time (then their locks are spent: after a reset it
//                    takes as many again); the legal representative is told (SMS, audit row on the
//                    company, the event stream); the hall or the reset lifts it as any lock.
// Why these figures: README, "Abuse limits (ASVS 6.1.1)".

/** The lockout subject of one person's tries on one company they have no link to. */
export const strangerSubject = (taxId: string, personId: string) => `${taxId}/by/${personId}`;

/** Bound, authorized, or the company's legal representative or finance manager of record. */
export async function linkedTo(d: CompanyDeps, personId: string, company: CompanyRow): Promise<boolean> {
  const [facts] = await companyFacts(d.db, personId, company.taxId);
  if (facts?.bound || facts?.authorized) return true;
  const p = await findPersonById(d.db, personId);
  if (!p) return false;
  const is = (who: { idType: string; idNumber: string } | null) =>
    who !== null && who.idType === p.idType && who.idNumber === p.idNumber;
  return is(company.legalRep) || is(company.financeManager);
}

/** One try by someone with no link, across every company, per hour: false once over. */
export async function strangerMayTry(d: CompanyDeps, personId: string): Promise<boolean> {
  const w = { max: d.limits.declarationTriesPerPersonPerHour, windowMs: 3_600_000 };
  if ((await overLimit(d.bus, `declaration-stranger:${personId}`, w, d.clock.now())) === null) return true;
  d.events.emit("limit.hit", { limit: "declarationTriesPerPersonPerHour" });
  return false;
}

/**
 * A person with no link just locked themselves out of `company`: when enough distinct people hold such a
 * lock at once, the company's own declaration password locks too, and the legal representative is told.
 */
export async function afterStrangerLock(d: CompanyDeps, company: CompanyRow, now: Date): Promise<void> {
  const people = await d.lockouts.countLocked("declaration", strangerSubject(company.taxId, ""), now);
  if (people < d.limits.declarationStrangersToLock) return;
  const locked = await d.lockouts.lock("declaration", company.taxId, now);
  if (locked.kind !== "locked" || !locked.justLocked) return;
  // Counted once: the company's lock now stops them all (checked before their own), and after a reset
  // it takes that many people again, not one more.
  await d.lockouts.clearPrefix("declaration", strangerSubject(company.taxId, ""), now);
  d.events.emit("declaration.locked", { taxId: company.taxId, minutesLeft: locked.minutesLeft });
  const told = await tellLegalRep(d, company);
  // For the legal representative (and the hall): who locked it, in numbers; the people are in the rows
  // of their own tries (action company.add, outcome DECLARATION_LOCKED).
  await audit(d, {
    actor: "hub",
    action: "declaration.locked_by_others",
    subject: company.taxId,
    outcome: "ok",
    detail: { people, lockedUntil: locked.lockedUntil.toISOString(), legalRepTold: told },
  });
}

/** An SMS to the legal representative's registered phone; false when there is none (or no SMS sender). */
async function tellLegalRep(d: CompanyDeps, company: CompanyRow): Promise<boolean> {
  const rep = await findPersonByIdentity(d.db, company.legalRep.idType, company.legalRep.idNumber);
  if (!rep || !d.sms) return false;
  const text = `您任法定代表人的${company.name}的申报密码因多人多次输错已锁定120分钟。如非本单位办税人员所为，请在个人所得税APP或WEB端重置申报密码。`;
  try {
    await d.sms.notify({ phone: rep.phone, kind: "declaration_locked_by_others", text });
    return true;
  } catch (err) {
    d.log.warn({ err: (err as Error).message, taxId: company.taxId }, "legal representative not told by SMS");
    return false;
  }
}
