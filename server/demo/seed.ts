import { z } from "zod";
import { CURRENT_AGREEMENT } from "../../shared/api/accounts";
import { ERRORS } from "../../shared/errors";
import {
  completeRegistration,
  forgetRegistrations,
  sendRegistrationSms,
  verifyByHallCode,
} from "../accounts/registration";
import type { SmsMessage, SmsSender } from "../adapters/sms";
import { bindCompany, deleteCompanies, forgetCompanies, insertAuthorization } from "../company/store";
import type { EventSink } from "../events/sink";
import type { AdminAction } from "../hall/admin";
import { addCompany, type HallDeps, issueHallCode } from "../hall/service";
import { type Clock, dateOf } from "../kernel/clock";
import { Refusal } from "../kernel/refusal";
import { forgetLockouts } from "../lockout/store";
import { findPersonByIdentity, forgetPeople, peopleWithIdentities } from "../people/store";
import { SessionStore } from "../sessions/store";
import type { Db } from "../store";
import {
  AUTHORIZATION,
  BINDINGS,
  COMPANIES,
  company,
  DEMO_PASSWORD,
  type DemoPerson,
  NEWCOMER,
  PEOPLE,
  person,
} from "./cast";

// `npm run demo`: puts the cast (cast.ts) in the store, in a known state every time. The people
// register the way a real person does — hall code, SMS code, account — through the accounts flows;
// the companies come from the hall; bindings and the authorization are written here directly.

export interface DemoDeps {
  db: Db;
  clock: Clock;
  /** The hub's stream when it runs the demo, so the event console shows the registrations. */
  events: EventSink;
  nodeId: string;
}

export const DemoResult = z.strictObject({
  /** The fresh hall code for NEWCOMER (shown once, like the hall's own printout). */
  hallCode: z.string(),
  hallCodeExpiresAt: z.iso.datetime(),
  people: z.number().int(),
  companies: z.number().int(),
});
export type DemoResult = z.infer<typeof DemoResult>;

const ACTOR = "demo";
const identityKey = (p: { idType: string; idNumber: string }) => `${p.idType}:${p.idNumber}`;

/** Deletes every row the demo owns or that points at it, so a second run starts from nothing. */
async function reset(db: Db): Promise<void> {
  const identities = [...PEOPLE, NEWCOMER].map(identityKey);
  const taxIds = COMPANIES.map((c) => c.taxId);
  const phones = PEOPLE.map((p) => p.phone);
  await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('shiming-demo'))");
    const ids = await peopleWithIdentities(tx, identities);
    // What points at a person or a company goes first, then the people and companies themselves.
    await new SessionStore(tx).forget(ids, taxIds);
    await forgetCompanies(tx, taxIds, ids);
    await forgetLockouts(tx, ids, taxIds);
    await forgetRegistrations(tx, { personIds: ids, identities, phones });
    await deleteCompanies(tx, taxIds);
    await forgetPeople(tx, ids);
  });
}

/** Registers one person as the portal (or, for a foreign passport, the app) would: hall code → SMS → account. */
async function register(deps: DemoDeps, hall: HallDeps, p: DemoPerson): Promise<string> {
  const sent = new Map<string, string>();
  const sms: SmsSender = {
    name: "demo",
    async send(m: SmsMessage) {
      sent.set(m.phone, m.code); // kept here only: the demo types it in for the person
    },
    async notify() {},
  };
  const accounts = { ...deps, sms, portrait: undefined };
  const { code } = await issueHallCode(hall, p);
  const channel = p.householdRegion ? "portal" : "app";
  const verified = await verifyByHallCode(
    accounts,
    {
      agreementVersion: CURRENT_AGREEMENT.version,
      channel,
      hallCode: code,
      name: p.name,
      idType: p.idType,
      idNumber: p.idNumber,
      nationality: p.nationality,
    },
    ACTOR,
  );
  const { registrationToken } = verified;
  await sendRegistrationSms(accounts, { registrationToken, phone: p.phone }, ACTOR);
  await completeRegistration(
    accounts,
    {
      registrationToken,
      loginName: p.loginName,
      password: DEMO_PASSWORD,
      phone: p.phone,
      smsCode: sent.get(p.phone) ?? "",
      householdRegion: p.householdRegion,
    },
    ACTOR,
  );
  const registered = await findPersonByIdentity(deps.db, p.idType, p.idNumber);
  if (!registered) throw new Error(`demo person ${p.loginName} was not registered`);
  return registered.id;
}

/** Resets the demo data and fills it in again; returns a fresh hall code for NEWCOMER. */
export async function seedDemo(deps: DemoDeps): Promise<DemoResult> {
  const hall: HallDeps = { ...deps, operator: ACTOR };
  await reset(deps.db);
  const ids = new Map<DemoPerson["key"], string>();
  for (const p of PEOPLE) {
    try {
      ids.set(p.key, await register(deps, hall, p));
    } catch (err) {
      // Someone outside the demo holds a demo login name or phone: say whose, not only the code.
      if (err instanceof Refusal) {
        throw new Refusal(
          err.code,
          err.data,
          `演示账号 ${p.loginName} 无法注册：${err.detail ?? ERRORS[err.code]}`,
        );
      }
      throw err;
    }
  }
  for (const c of COMPANIES) {
    const fm = c.financeManager ? person(c.financeManager) : undefined;
    await addCompany(hall, {
      taxId: c.taxId,
      name: c.name,
      legalRep: person(c.legalRep),
      financeManager: fm,
      declarationPassword: c.declarationPassword,
      local: c.local,
    });
  }
  const now = dateOf(deps.clock);
  await deps.db.transaction(async (tx) => {
    for (const [who, which] of BINDINGS)
      await bindCompany(tx, ids.get(who) as string, company(which).taxId, now);
    // The authorization as the legal representative's grant leaves it (the grant's own checks need a
    // logged-in legal representative, which the demo is not).
    await insertAuthorization(
      tx,
      {
        taxId: company(AUTHORIZATION.company).taxId,
        handlerId: ids.get(AUTHORIZATION.handler) as string,
        grantedBy: ids.get(AUTHORIZATION.grantedBy) as string,
      },
      now,
    );
  });
  const code = await issueHallCode(hall, NEWCOMER);
  deps.events.emit("demo.seeded", { people: PEOPLE.length, companies: COMPANIES.length });
  return {
    hallCode: code.code,
    hallCodeExpiresAt: code.expiresAt.toISOString(),
    people: PEOPLE.length,
    companies: COMPANIES.length,
  };
}

/** The demo as an admin action of a running hub (never mounted in production). */
export function demoAction(deps: DemoDeps): AdminAction {
  return async (body) => {
    z.strictObject({}).parse(body ?? {});
    return seedDemo(deps);
  };
}
