import { type Context, Hono } from "hono";
import { z } from "zod";
import {
  AppLoginRequest,
  CaptchaRequestBody,
  DeclarationResetRequest,
  GrantRequest,
} from "../../shared/api/app";
import { maskName } from "../../shared/mask";
import type { Bus } from "../bus/bus";
import {
  type AppDeps,
  grant,
  listAuthorizations,
  me,
  personView,
  resetDeclarationPassword,
  revoke,
  sendDeclarationSms,
} from "../company/admin";
import { answerErrors, jsonBody, limitBody, peerAddress } from "../http/request";
import { dateOf } from "../kernel/clock";
import { Refusal } from "../kernel/refusal";
import { callerOf } from "../sessions/caller";
import { audit } from "../store/audit";
import { passwordLogin } from "./password-login";
import { reportLogin } from "./socket";

// The phone app's and the portal's API under /api/app (shapes in shared/api/app.ts): login with the
// client's rules and lock, who is logged in, and 「企业办税权限」. The QR routes (scan / confirm) are
// mounted in here too. Every route parses with zod and answers errorBody(code) with a fitting status.

export interface AppApiOptions {
  deps: AppDeps;
  bus: Bus;
  /** The QR phone routes (server/qr/phone-api.ts), served under the same path. */
  phone: Hono;
  /** The caller's address; by default the socket's peer address. */
  clientIp?: (c: Context) => string;
}

const AuthorizationId = z.uuid();

export function appApi(o: AppApiOptions): Hono {
  const d = o.deps;
  const clientIp = o.clientIp ?? peerAddress;
  const app = new Hono();

  app.onError(answerErrors((line) => d.log.error(line)));
  app.use(limitBody());

  /** Logins and captcha images per address per minute, over all nodes (the lock guards each account). */
  async function limit(c: Context, what: string): Promise<string> {
    const ip = clientIp(c);
    const n = await o.bus.hit(`app-${what}:${ip}`, 60_000, d.clock.now());
    if (n > d.limits.appLoginsPerIpPerMinute) {
      d.events.emit("limit.hit", { limit: "appLoginsPerIpPerMinute" });
      throw new Refusal("RATE_LIMITED");
    }
    return ip;
  }

  const caller = (c: Context) => callerOf(d.db, d.sessions, c.req.header("authorization"), dateOf(d.clock));

  app.post("/captcha", async (c) => {
    await limit(c, "captcha");
    const { purpose } = await jsonBody(c, CaptchaRequestBody);
    const issued = await d.captcha.issue(purpose, dateOf(d.clock));
    return c.json({ id: issued.id, image: issued.image, expiresAt: issued.expiresAt });
  });

  // seed 1.1: the same account, captcha and lock as the client's login.
  app.post("/login", async (c) => {
    const ip = await limit(c, "login");
    const req = await jsonBody(c, AppLoginRequest);
    const channel = req.channel ?? "app";
    const now = dateOf(d.clock);
    const r = await passwordLogin(d, req, now);
    await reportLogin(d, r, req.account, channel, `ip:${ip}`);
    if (!r.ok) throw new Refusal(r.code, r.data);
    const created = await d.sessions.create({ personId: r.person.id, kind: channel }, now);
    return c.json({
      token: created.token,
      expiresAt: created.expiresAt.toISOString(),
      person: personView(r.person),
    });
  });

  app.post("/logout", async (c) => {
    const who = await caller(c);
    await d.sessions.end(who.session.id, "logout", dateOf(d.clock));
    d.events.emit("session.logout", {
      channel: who.session.kind === "portal" ? "portal" : "app",
      person: maskName(who.person.name),
    });
    await audit(d, { actor: `person:${who.person.id}`, action: "logout", outcome: "ok" });
    return c.json({ ok: true });
  });

  app.get("/me", async (c) => c.json(await me(d, await caller(c))));

  app.get("/companies/:taxId/authorizations", async (c) =>
    c.json(await listAuthorizations(d, await caller(c), c.req.param("taxId"))),
  );

  app.post("/companies/:taxId/authorizations", async (c) => {
    const who = await caller(c);
    const req = await jsonBody(c, GrantRequest);
    return c.json(await grant(d, who, c.req.param("taxId"), req), 201);
  });

  app.delete("/companies/:taxId/authorizations/:id", async (c) => {
    const who = await caller(c);
    const id = AuthorizationId.safeParse(c.req.param("id"));
    if (!id.success) throw new Refusal("AUTHORIZATION_NOT_FOUND");
    return c.json(await revoke(d, who, c.req.param("taxId"), id.data));
  });

  app.post("/companies/:taxId/declaration-password/sms", async (c) => {
    const sent = await sendDeclarationSms(d, await caller(c), c.req.param("taxId"));
    return c.json({
      maskedPhone: sent.maskedPhone,
      expiresAt: sent.expiresAt.toISOString(),
      resendAt: sent.resendAt.toISOString(),
    });
  });

  app.post("/companies/:taxId/declaration-password", async (c) => {
    const who = await caller(c);
    const req = await jsonBody(c, DeclarationResetRequest);
    return c.json(await resetDeclarationPassword(d, who, c.req.param("taxId"), req));
  });

  app.route("/", o.phone);
  return app;
}
