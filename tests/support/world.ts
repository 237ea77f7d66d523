import { addCompany } from "../../server/hall/service";
import type { Hub, HubOptions } from "../../server/hub";
import { systemClock } from "../../server/kernel/clock";
import { hashPassword } from "../../server/people/passwords";
import type { Db, Queryable } from "../../server/store";
import type { CaptchaAnswer, HubMessage, HubToClient } from "../../shared/protocol";
import { taxId } from "./accounts-world";
import { FakeClient } from "./fake-client";
import { testHub } from "./hub-nodes";
import { legalRep, type TestPerson } from "./people";
import { emptyTables } from "./stores";

// The companies and helpers of the handshake tests: registered people (from people.ts) and hall-added
// companies written straight into the hub's store, every captcha drawn with one known text, and a few
// steps of the client and the phone app spoken over the real socket and HTTP.

export {
  financeManager,
  handler,
  legalRep,
  PASSWORD,
  passportHolder,
  type TestPerson,
} from "./people";

/** What every captcha of these hubs reads. */
export const CAPTCHA_TEXT = "K7MX";
export const ACME = {
  taxId: taxId("10000001"),
  name: "福州甲科技有限公司",
  declarationPassword: "Acme2024pass",
};
export const BETA = {
  taxId: taxId("20000002"),
  name: "福州乙贸易有限公司",
  declarationPassword: "Beta2024pass",
};
/** A 本市单位: may verify by CA before the cut-off. */
export const LOCAL = {
  taxId: taxId("30000003"),
  name: "福州丙制造有限公司",
  declarationPassword: "Local2024pass",
};

export function handshakeHub(env: Record<string, string> = {}, options: HubOptions = {}): Promise<Hub> {
  return testHub({ NODE_ID: "handshake", ...env }, { captchaText: () => CAPTCHA_TEXT, ...options });
}

/** A registered person, as registration would leave them (argon2id password). Returns their id. */
export async function seedPerson(db: Queryable, p: TestPerson): Promise<string> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO people (name, id_type, id_number, login_name, phone, password_hash, password_changed_at,
       agreement_version, registered_via, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, now(), '2019-11-09', 'hall_code', now()) RETURNING id`,
    [p.name, p.idType, p.idNumber, p.loginName, p.phone, await hashPassword(p.password)],
  );
  return (rows[0] as { id: string }).id;
}

/** A company added at the hall, with its legal representative (and finance manager) by identity. */
export async function seedCompany(
  db: Db,
  c: { taxId: string; name: string; declarationPassword: string },
  o: { legal?: TestPerson; finance?: TestPerson; local?: boolean } = {},
): Promise<void> {
  const legal = o.legal ?? legalRep;
  await addCompany(
    { db, clock: systemClock, nodeId: "hall-test", operator: "counter-1" },
    {
      taxId: c.taxId,
      name: c.name,
      legalRep: { idType: legal.idType, idNumber: legal.idNumber },
      financeManager: o.finance ? { idType: o.finance.idType, idNumber: o.finance.idNumber } : undefined,
      declarationPassword: c.declarationPassword,
      local: o.local ?? false,
    },
  );
}

/** The handler added this company earlier (by default before anything the tests' clocks do). */
export async function bind(
  db: Queryable,
  personId: string,
  company: { taxId: string },
  at = new Date("2019-01-01T00:00:00+08:00"),
): Promise<void> {
  await db.query("INSERT INTO company_bindings (person_id, tax_id, created_at) VALUES ($1, $2, $3)", [
    personId,
    company.taxId,
    at,
  ]);
}

/** Every product table emptied (the one helper: tests/support/stores.ts). */
export const emptyStore = emptyTables;

/** A fresh captcha on this socket, answered right (or with `answer`). */
export async function solvedCaptcha(
  c: FakeClient,
  purpose: "login" | "declaration",
  answer = CAPTCHA_TEXT,
): Promise<CaptchaAnswer> {
  const r = await c.request({ type: "captcha.new", purpose });
  if (r.type !== "captcha") throw new Error(`captcha.new answered ${JSON.stringify(r)}`);
  return { id: r.id, answer };
}

export function passwordLogin(
  c: FakeClient,
  account: string,
  password: string,
  captcha?: CaptchaAnswer,
): Promise<HubToClient> {
  return c.request({ type: "login.password", account, password, ...(captcha ? { captcha } : {}) });
}

/** A client socket logged in by password. */
export async function loggedInClient(
  hubUrl: string,
  p: TestPerson,
): Promise<{ client: FakeClient; session: HubMessage<"session"> }> {
  const client = await FakeClient.connect(hubUrl);
  const r = await passwordLogin(client, p.loginName, p.password);
  if (r.type !== "session") throw new Error(`login answered ${JSON.stringify(r)}`);
  return { client, session: r };
}

export function asError(r: HubToClient): HubMessage<"error"> {
  if (r.type !== "error") throw new Error(`expected an error, got ${JSON.stringify(r)}`);
  return r;
}

export interface ApiReply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are read loosely and asserted on
  body: any;
}

/** The phone app (or portal) over /api/app: its own login, then bearer calls. */
export class AppUser {
  constructor(
    readonly hubUrl: string,
    readonly token: string,
  ) {}

  static async login(hubUrl: string, p: TestPerson, extra: Record<string, unknown> = {}): Promise<AppUser> {
    const r = await api(hubUrl, "POST", "/api/app/login", {
      account: p.phone,
      password: p.password,
      ...extra,
    });
    if (r.status !== 200) throw new Error(`app login answered ${r.status} ${JSON.stringify(r.body)}`);
    return new AppUser(hubUrl, r.body.token);
  }

  call(method: string, path: string, body?: unknown): Promise<ApiReply> {
    return api(this.hubUrl, method, path, body, this.token);
  }
}

export async function api(
  hubUrl: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<ApiReply> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${hubUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** The last SMS code the dev sender put in the hub's event stream. */
export async function lastSmsCode(hub: Hub): Promise<string> {
  const sent = (await hub.events.recent(500)).filter((e) => e.kind === "sms.sent");
  const code = sent.at(-1)?.data.code;
  if (typeof code !== "string") throw new Error("no SMS code was sent");
  return code;
}
