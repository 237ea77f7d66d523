import { z } from "zod";
import { type EventData, EventKind } from "../../shared/events";

// Every kind of event the hub emits, in one closed map, with the data each carries. A kind not in
// this map is refused (tests run the stream strict, so a new kind fails until it is declared here).
// Identifier fields only accept masked shapes, so a whole ticket id, token, name, ID number, phone
// or address cannot slip into the stream by mistake. Taxpayer IDs are a company's public
// registration number and appear whole.
const ticket = z.string().regex(/^[A-Za-z0-9_-]{0,6}…$/, "a masked token (maskToken)");
const person = z.string().regex(/^\*+.?$/u, "a masked name (maskName)");
const ip = z.string().regex(/^([\d.]+\.\*|[0-9a-f:]+:\*|\*)$/, "a masked address (maskIp)");
const conn = z.string().regex(/^[0-9a-f]{8}$/);
const state = z.enum(["waiting", "scanned", "confirmed", "cancelled", "expired"]);
const short = z.string().max(200);

const account = z.string().max(64);
const channel = z.enum(["client", "app", "portal"]);
const taxId = z.string().max(32);
const code = z.string().max(64);
const via = z.enum(["declaration_password", "authorization", "ca"]);
const idType = z.string().max(32);
const idNumber = z.string().regex(/^.{0,6}\*+.{0,4}$/u, "a masked ID number (maskIdNumber)");
const phone = z.string().regex(/^\d{3}\*{4}\d{4}$/, "a masked phone (maskPhone)");
const uuid = z.uuid();
const count = z.number().int().min(0);

const KINDS: Record<string, z.ZodType<EventData>> = {
  "qr.issued": z.strictObject({ ticket, conn, client: short, ip, ttlS: z.number() }),
  "qr.scanned": z.strictObject({ ticket, person, phone: ticket }),
  "qr.confirmed": z.strictObject({ ticket, person: person.nullable() }),
  "qr.redeemed": z.strictObject({ ticket, person, conn }),
  "qr.cancelled": z.strictObject({ ticket, by: z.enum(["client", "phone"]) }),
  "qr.expired": z.strictObject({ ticket, was: state }),
  "qr.replaced": z.strictObject({ ticket, by: ticket }),
  "qr.resumed": z.strictObject({ ticket, state, conn }),
  /** The store lost a ticket its client was waiting on (Redis restarted empty): the client is told expired. */
  "qr.vanished": z.strictObject({ ticket, conn }),
  "ws.refused": z.strictObject({ ip, origin: short.nullable(), status: z.number().int() }),
  "ws.connected": z.strictObject({ conn, ip, origin: short }),
  "ws.hello": z.strictObject({
    conn,
    client: short,
    version: short,
    resume: z.enum(["ticket", "session"]).nullable(),
  }),
  "ws.closed": z.strictObject({ conn, code: z.number().int(), seconds: z.number() }),
  "ws.bad_message": z.strictObject({ conn, path: short, count: z.number().int() }),
  "limit.hit": z.strictObject({
    limit: short,
    conn: conn.optional(),
    ip: ip.optional(),
    phone: ticket.optional(),
  }),
  "phone.dev_login": z.strictObject({ person }),
  // login (seed 1.1), on every front
  "login.succeeded": z.strictObject({
    channel,
    by: z.enum(["phone", "login_name", "id_number", "qr", "dev"]),
    person,
    conn: conn.optional(),
  }),
  "login.refused": z.strictObject({
    channel,
    account,
    code,
    attemptsLeft: z.number().int().optional(),
    /** The password was checked (a try was spent). */
    verified: z.boolean(),
  }),
  // seed 1.1: the 5th wrong password locks the account for 120 minutes.
  "login.locked": z.strictObject({ channel, account, minutesLeft: z.number().int() }),
  // sessions
  "session.resumed": z.strictObject({ conn, person }),
  "session.refused": z.strictObject({ conn, reason: code }),
  "session.logout": z.strictObject({ channel, person }),
  "session.expired": z.strictObject({ conn, person }),
  "session.ended": z.strictObject({ sessionId: uuid, personId: uuid, reason: code }),
  // companies (seed 1.3)
  "company.entered": z.strictObject({ conn, person, taxId, via }),
  "company.bound": z.strictObject({ person, taxId }),
  "company.switched": z.strictObject({ conn, person }),
  "company.refused": z.strictObject({
    conn,
    step: code,
    taxId,
    code,
    attemptsLeft: z.number().int().optional(),
  }),
  // seed 1.3.1: the 5th wrong declaration password locks that company's for 120 minutes.
  "declaration.locked": z.strictObject({ taxId, minutesLeft: z.number().int() }),
  "declaration.reset": z.strictObject({ taxId, by: z.enum(["hall", "app"]), wasLocked: z.boolean() }),
  "authorization.granted": z.strictObject({ taxId, handler: person, by: person }),
  "authorization.revoked": z.strictObject({ taxId, handler: person, by: person, sessionsEnded: count }),
  // accounts (seed 2) and the hall
  "registration.verified": z.strictObject({ via: z.enum(["hall_code", "face"]), idType, idNumber }),
  "registration.completed": z.strictObject({
    via: z.enum(["hall_code", "face"]),
    channel: z.enum(["portal", "app"]),
    idType,
    idNumber,
    name: person,
  }),
  "password.reset": z.strictObject({ personId: uuid, by: z.enum(["hall", "sms"]), wasLocked: z.boolean() }),
  "lockout.cleared": z.union([
    z.strictObject({ kind: z.literal("password"), personId: uuid, by: z.literal("hall") }),
    z.strictObject({ kind: z.literal("declaration"), taxId, by: z.literal("hall") }),
  ]),
  "hall.code_issued": z.strictObject({ idType, idNumber }),
  "demo.seeded": z.strictObject({ people: count, companies: count }),
  // development adapters (never in production): the SMS code is shown, for the developer to type
  "sms.sent": z.strictObject({
    sender: z.literal("dev"),
    dev: z.literal(true),
    phone,
    purpose: z.enum(["register", "reset_password", "reset_declaration_password"]),
    code: z.string().regex(/^\d{6}$/),
    ttlMinutes: z.number().int(),
  }),
  "sms.notice": z.strictObject({
    sender: z.literal("dev"),
    dev: z.literal(true),
    phone,
    kind: z.enum(["declaration_locked_by_others"]),
    text: z.string().max(200),
  }),
  "portrait.dev_verifier": z.strictObject({ dev: z.literal(true), testIdentities: count }),
  "portrait.checked": z.strictObject({
    verifier: z.literal("dev"),
    dev: z.literal(true),
    idNumber,
    result: z.enum(["match", "no_match", "no_record"]),
  }),
};

/** Checks an event's data against its kind; a kind not declared above is refused. */
export function checkEvent(kind: string, data: EventData): { ok: true } | { ok: false; problem: string } {
  if (!EventKind.safeParse(kind).success) return { ok: false, problem: `bad kind ${kind}` };
  const schema = KINDS[kind];
  if (!schema) return { ok: false, problem: `undeclared kind ${kind} (server/events/kinds.ts)` };
  const r = schema.safeParse(data);
  if (r.success) return { ok: true };
  const issue = r.error.issues[0];
  return { ok: false, problem: `${kind}.${issue?.path.join(".")}: ${issue?.message}` };
}
