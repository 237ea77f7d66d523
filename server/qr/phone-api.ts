import { type Context, Hono } from "hono";
import type { Logger } from "pino";
import { z } from "zod";
import { errorBody } from "../../shared/errors";
import { maskName } from "../../shared/mask";
import { token } from "../../shared/protocol";
import type { EventSink } from "../events/sink";
import { type AnswerHeaders, wholeJson } from "../http/answer";
import { answerErrors, clientIp } from "../http/request";
import { type DevLogin, type PhoneAuth, phoneRef } from "./phone-auth";
import type { PhoneAt, QrService } from "./service";
import type { PhoneRef } from "./ticket";

// The phone's side of 扫码登录, under /api/app: look at a ticket (who asks: client, IP, place, time),
// scan it, then confirm or cancel. Every call needs the app's login (Authorization: Bearer <token>).

const DevLoginBody = z.strictObject({ personId: z.string().min(1).max(64).optional() });
/** `?s=`: the stamp a rotated QR carries besides the ticket id (server/qr/rotation.ts). */
const Stamp = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/);

export interface PhoneApiOptions {
  qr: QrService;
  auth: PhoneAuth;
  /** The development login, or null (production): then POST /dev-login is refused. */
  devAuth: DevLogin | null;
  events: EventSink;
  log: Logger;
  /** The headers of a whole answer (the ticket routes are the phone's hot path). */
  answers: AnswerHeaders;
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

  // Who holds the phone first (401 without the app's login), then the ticket. The phone's address
  // (through trusted proxies only) is compared with the asker's on the confirm page.
  const ticketRoute =
    (fn: (id: string, phone: PhoneRef, at: PhoneAt) => Promise<unknown>) => async (c: Context) => {
      const bearer = /^Bearer (\S+)$/.exec(c.req.header("authorization") ?? "")?.[1];
      const who = bearer ? await o.auth.authenticate(bearer) : null;
      if (!bearer || !who) return c.json(errorBody("PHONE_LOGIN_REQUIRED"), 401);
      const id = token.safeParse(c.req.param("id"));
      if (!id.success) return c.json(errorBody("TICKET_NOT_FOUND"), 404);
      const given = c.req.query("s");
      const stamp = given === undefined ? null : Stamp.safeParse(given);
      if (stamp && !stamp.success) return c.json(errorBody("TICKET_ROTATED"), 410);
      const at = { ip: clientIp(c), stamp: stamp ? stamp.data : null };
      return wholeJson(o.answers, await fn(id.data, phoneRef(bearer, who), at));
    };

  app.get(
    "/qr/:id",
    ticketRoute((id, phone, at) => o.qr.view(id, phone, at)),
  );
  app.post(
    "/qr/:id/scan",
    ticketRoute((id, phone, at) => o.qr.scan(id, phone, at)),
  );
  app.post(
    "/qr/:id/confirm",
    ticketRoute((id, phone, at) => o.qr.confirm(id, phone, at)),
  );
  app.post(
    "/qr/:id/cancel",
    ticketRoute((id, phone, at) => o.qr.cancelByPhone(id, phone, at)),
  );
  return app;
}
