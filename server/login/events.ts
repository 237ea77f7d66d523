import { z } from "zod";
import { defineEventKind } from "../events/kinds";

// The event kinds of the login and company steps (client socket, phone app, portal). Identifiers are
// masked before they get here: accounts with maskAccount, names with maskName. Taxpayer IDs are a
// company's public registration number and appear whole.

const person = z.string().regex(/^\*+.?$/u, "a masked name (maskName)");
const account = z.string().max(64);
const conn = z.string().regex(/^[0-9a-f]{8}$/);
const channel = z.enum(["client", "app", "portal"]);
const taxId = z.string().max(32);
const code = z.string().max(64);
const via = z.enum(["declaration_password", "authorization", "ca"]);

defineEventKind(
  "login.succeeded",
  z.strictObject({
    channel,
    by: z.enum(["phone", "login_name", "id_number", "qr", "dev"]),
    person,
    conn: conn.optional(),
  }),
);
defineEventKind(
  "login.refused",
  z.strictObject({
    channel,
    account,
    code,
    attemptsLeft: z.number().int().optional(),
    /** The password was checked (a try was spent). */
    verified: z.boolean(),
  }),
);
// seed 1.1: the 5th wrong password locks the account for 120 minutes.
defineEventKind("login.locked", z.strictObject({ channel, account, minutesLeft: z.number().int() }));
defineEventKind("session.resumed", z.strictObject({ conn, person }));
defineEventKind("session.refused", z.strictObject({ conn, reason: code }));
defineEventKind("session.logout", z.strictObject({ channel, person }));
defineEventKind("session.expired", z.strictObject({ conn, person }));
defineEventKind("company.entered", z.strictObject({ conn, person, taxId, via }));
defineEventKind("company.bound", z.strictObject({ person, taxId }));
defineEventKind("company.switched", z.strictObject({ conn, person }));
defineEventKind(
  "company.refused",
  z.strictObject({ conn, step: code, taxId, code, attemptsLeft: z.number().int().optional() }),
);
// seed 1.3.1: the 5th wrong declaration password locks that company's for 120 minutes.
defineEventKind("declaration.locked", z.strictObject({ taxId, minutesLeft: z.number().int() }));
defineEventKind("authorization.granted", z.strictObject({ taxId, handler: person, by: person }));
defineEventKind(
  "authorization.revoked",
  z.strictObject({ taxId, handler: person, by: person, sessionsEnded: z.number().int() }),
);
