import { type Context, Hono } from "hono";
import type { Logger } from "pino";
import { z } from "zod";
import { type ErrorCode, errorBody } from "../../shared/errors";
import { maskName } from "../../shared/mask";
import { token } from "../../shared/protocol";
import { BusUnavailable } from "../bus";
import type { EventSink } from "../events/sink";
import { Refusal } from "../kernel/refusal";
import { type DevLogin, type PhoneAuth, phoneRef } from "./phone-auth";
import type { QrService } from "./service";
import type { PhoneRef } from "./ticket";

// The phone's side of 扫码登录, under /api/app: look at a ticket (who asks: client, IP, place, time),
// scan it, then confirm or cancel. Every call needs the app's login (Authorization: Bearer <token>).

const STATUS: Partial<Record<ErrorCode, 400 | 401 | 404 | 409 | 410 | 429 | 503>> = {
  BAD_MESSAGE: 400,
  PHONE_LOGIN_REQUIRED: 401,
  TICKET_NOT_FOUND: 404,
  UNKNOWN_MESSAGE: 404,
  TICKET_EXPIRED: 410,
  TICKET_USED: 409,
  TICKET_CANCELLED: 409,
  TICKET_ALREADY_SCANNED: 409,
  WRONG_STEP: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

const DevLoginBody = z.strictObject({ personId: z.string().min(1).max(64).optional() });

export interface PhoneApiOptions {
  qr: QrService;
  auth: PhoneAuth;
  /** The development login, or null (production): then POST /dev-login is refused. */
  devAuth: DevLogin | null;
  events: EventSink;
  log: Logger;
}

export function phoneApi(o: PhoneApiOptions): Hono {
  const app = new Hono();

  app.post("/dev-login", async (c) => {
    if (!o.devAuth) return c.json(errorBody("UNKNOWN_MESSAGE"), 404); // no dev identities in production
    const body = DevLoginBody.safeParse(await c.req.json().catch(() => ({})));
    if (!body.success)
      return c.json(errorBody("BAD_MESSAGE", { path: body.error.issues[0]?.path.join(".") }), 400);
    const login = await o.devAuth.login(body.data.personId);
    if (!login) return c.json(errorBody("PHONE_LOGIN_REQUIRED"), 401);
    o.events.emit("phone.dev_login", { person: maskName(login.who.name) });
    return c.json({ token: login.token, personId: login.who.personId, maskedName: maskName(login.who.name) });
  });

  // Who holds the phone first (401 without the app's login), then the ticket.
  const ticketRoute = (fn: (id: string, phone: PhoneRef) => Promise<unknown>) => async (c: Context) => {
    const bearer = /^Bearer (\S+)$/.exec(c.req.header("authorization") ?? "")?.[1];
    const who = bearer ? await o.auth.authenticate(bearer) : null;
    if (!bearer || !who) return c.json(errorBody("PHONE_LOGIN_REQUIRED"), 401);
    const id = token.safeParse(c.req.param("id"));
    if (!id.success) return c.json(errorBody("TICKET_NOT_FOUND"), 404);
    try {
      return c.json(await fn(id.data, phoneRef(bearer, who)));
    } catch (err) {
      return failure(c, err, o.log);
    }
  };

  app.get(
    "/qr/:id",
    ticketRoute((id, phone) => o.qr.view(id, phone)),
  );
  app.post(
    "/qr/:id/scan",
    ticketRoute((id, phone) => o.qr.scan(id, phone)),
  );
  app.post(
    "/qr/:id/confirm",
    ticketRoute((id, phone) => o.qr.confirm(id, phone)),
  );
  app.post(
    "/qr/:id/cancel",
    ticketRoute((id, phone) => o.qr.cancelByPhone(id, phone)),
  );
  return app;
}

function failure(c: Context, err: unknown, log: Logger): Response {
  if (err instanceof Refusal) return c.json(errorBody(err.code, err.data), STATUS[err.code] ?? 400);
  if (err instanceof BusUnavailable) return c.json(errorBody("UNAVAILABLE"), 503);
  log.error({ err }, "phone api failed");
  return c.json(errorBody("INTERNAL"), 500);
}
