import { z } from "zod";
import { type EventData, EventKind } from "../../shared/events";

// The data each kind of event carries. Identifier fields only accept masked shapes, so a whole
// ticket id, token, name or address cannot slip into the stream by mistake.
const ticket = z.string().regex(/^[A-Za-z0-9_-]{0,6}…$/, "a masked token (maskToken)");
const person = z.string().regex(/^\*+.?$/u, "a masked name (maskName)");
const ip = z.string().regex(/^([\d.]+\.\*|[0-9a-f:]+:\*|\*)$/, "a masked address (maskIp)");
const conn = z.string().regex(/^[0-9a-f]{8}$/);
const state = z.enum(["waiting", "scanned", "confirmed", "cancelled", "expired"]);
const short = z.string().max(200);

const KINDS: Record<string, z.ZodType<EventData>> = {
  "qr.issued": z.strictObject({ ticket, conn, client: short, ip, ttlS: z.number() }),
  "qr.scanned": z.strictObject({ ticket, person, phone: ticket }),
  "qr.confirmed": z.strictObject({ ticket, person: person.nullable() }),
  "qr.redeemed": z.strictObject({ ticket, person, conn }),
  "qr.cancelled": z.strictObject({ ticket, by: z.enum(["client", "phone"]) }),
  "qr.expired": z.strictObject({ ticket, was: state }),
  "qr.replaced": z.strictObject({ ticket, by: ticket }),
  "qr.resumed": z.strictObject({ ticket, state, conn }),
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
};

/** Other capabilities declare their own kinds here (e.g. login.locked) before emitting them. */
export function defineEventKind(kind: string, schema: z.ZodType<EventData>): void {
  EventKind.parse(kind);
  if (KINDS[kind]) throw new Error(`event kind ${kind} is already defined`);
  KINDS[kind] = schema;
}

/** Checks an event's data against its kind; a kind nobody declared must still be well-formed. */
export function checkEvent(kind: string, data: EventData): { ok: true } | { ok: false; problem: string } {
  if (!EventKind.safeParse(kind).success) return { ok: false, problem: `bad kind ${kind}` };
  const schema = KINDS[kind];
  if (!schema) return { ok: true };
  const r = schema.safeParse(data);
  if (r.success) return { ok: true };
  const issue = r.error.issues[0];
  return { ok: false, problem: `${kind}.${issue?.path.join(".")}: ${issue?.message}` };
}
