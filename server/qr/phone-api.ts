import { type Context, Hono } from "hono";
import type { Logger } from "pino";
import { z } from "zod";
import { errorBody } from "../../shared/errors";
import { maskName } from "../../shared/mask";
import { token } from "../../shared/protocol";
import type { EventSink } from "../events/sink";
import { answerErrors } from "../http/request";
import { type DevLogin, type PhoneAuth, phoneRef } from "./phone-auth";
import type { QrService } from "./service";
import type { PhoneRef } from "./ticket";

// The phone's side of 扫码登录, under /api/app: look at a ticket (who asks: client, IP, place, time),
// scan it, then confirm or cancel. Every call needs the app's login (Authorization: Bearer <token>).

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
  app.onError(answerErrors((line) => o.log.error(line)));

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
    return c.json(await fn(id.data, phoneRef(bearer, who)));
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
