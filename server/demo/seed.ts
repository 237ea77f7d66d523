import { z } from "zod";
import { CURRENT_AGREEMENT } from "../../shared/api/accounts";
import { ERRORS } from "../../shared/errors";
import { completeRegistration, sendRegistrationSms, verifyByHallCode } from "../accounts/registration";
import type { SmsMessage, SmsSender } from "../adapters/sms";
import type { EventSink } from "../events/sink";
import type { AdminAction } from "../hall/admin";
import { addCompany, type HallDeps, issueHallCode } from "../hall/service";
import { type Clock, dateOf } from "../kernel/clock";
import { Refusal } from "../kernel/refusal";
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
    const rows = await tx.query<{ id: string }>(
      "SELECT id FROM people WHERE id_type || ':' || id_number = ANY($1::text[])",
      [identities],
    );
    const ids = rows.map((r) => r.id);
    const steps: [string, unknown[]][] = [
      ["DELETE FROM sessions WHERE person_id = ANY($1::uuid[]) OR tax_id = ANY($2::text[])", [ids, taxIds]],
      [
        `DELETE FROM authorizations WHERE handler_person_id = ANY($1::uuid[]) OR granted_by = ANY($1::uuid[])
           OR tax_id = ANY($2::text[])`,
        [ids, taxIds],
      ],
      [
        "DELETE FROM company_bindings WHERE person_id = ANY($1::uuid[]) OR tax_id = ANY($2::text[])",
        [ids, taxIds],
      ],
      [
        `DELETE FROM lockouts WHERE (subject_kind = 'password' AND subject_id = ANY($1::text[]))
           OR (subject_kind = 'declaration' AND subject_id = ANY($2::text[]))`,
        [ids, taxIds],
      ],
      [
        "DELETE FROM registrations WHERE person_id = ANY($1::uuid[]) OR id_type || ':' || id_number = ANY($2::text[])",
        [ids, identities],
      ],
      [
        "DELETE FROM hall_codes WHERE used_by = ANY($1::uuid[]) OR id_type || ':' || id_number = ANY($2::text[])",
        [ids, identities],
      ],
      ["DELETE FROM sms_codes WHERE phone = ANY($1::text[])", [phones]],
      ["DELETE FROM companies WHERE tax_id = ANY($1::text[])", [taxIds]],
      ["DELETE FROM people WHERE id = ANY($1::uuid[])", [ids]],
    ];
    for (const [sql, params] of steps) await tx.query(sql, params);
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
  const rows = await deps.db.query<{ id: string }>(
    "SELECT id FROM people WHERE id_type = $1 AND id_number = $2",
    [p.idType, p.idNumber],
  );
  return (rows[0] as { id: string }).id;
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
    for (const [who, which] of BINDINGS) {
      await tx.query("INSERT INTO company_bindings (person_id, tax_id, created_at) VALUES ($1, $2, $3)", [
        ids.get(who),
        company(which).taxId,
        now,
      ]);
    }
    // The grant API is another capability's; the demo only needs the row it would write.
    await tx.query(
      "INSERT INTO authorizations (tax_id, handler_person_id, granted_by, granted_at) VALUES ($1, $2, $3, $4)",
      [
        company(AUTHORIZATION.company).taxId,
        ids.get(AUTHORIZATION.handler),
        ids.get(AUTHORIZATION.grantedBy),
        now,
      ],
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
