import { type Context, Hono } from "hono";
import { AppLoginRequest, CaptchaRequestBody } from "../../shared/api/app";
import { maskName } from "../../shared/mask";
import type { Bus } from "../bus/bus";
import { overLimit } from "../bus/limiter";
import { answerErrors, clientIp, jsonBody, limitBody } from "../http/request";
import { dateOf } from "../kernel/clock";
import { Refusal } from "../kernel/refusal";
import { personView } from "../people/store";
import { callerOf } from "../sessions/caller";
import { busNotifier } from "../sessions/notify";
import { audit } from "../store/audit";
import type { LoginDeps } from "./deps";
import { failureHoldBack, loginTryCounter } from "./limits";
import { passwordLogin } from "./password-login";
import { reportLogin } from "./socket";

// The phone app's and the portal's login under /api/app (shapes in shared/api/app.ts): the client's
// rules, captcha and lock (server/login/password-login.ts), then an 'app' or 'portal' session.

export interface LoginRoutesOptions {
  deps: LoginDeps;
  bus: Bus;
  /** The caller's address; by default the socket's peer address. */
  clientIp?: (c: Context) => string;
}

/** POST /captcha, /login, /logout under /api/app: the phone app's and the portal's own login. */
export function loginRoutes(o: LoginRoutesOptions): Hono {
  const d = o.deps;
  const ipOf = o.clientIp ?? clientIp;
  const app = new Hono();

  app.onError(answerErrors((line) => d.log.error(line)));
  app.use(limitBody());

  /** Logins and captcha images per address per minute, over all nodes (the lock guards each account). */
  async function limit(c: Context, what: string): Promise<string> {
    const ip = ipOf(c);
    const perIp = { max: d.limits.appLoginsPerIpPerMinute, windowMs: 60_000 };
    if ((await overLimit(o.bus, `app-${what}:${ip}`, perIp, d.clock.now())) !== null) {
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
    const guard = { countTry: loginTryCounter({ ...d, bus: o.bus }, ip), holdBack: failureHoldBack(d) };
    const r = await passwordLogin({ ...d, ...guard }, req, now);
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
    // Every node forgets the phone session it remembers (qr/phone-auth.ts) at once.
    await busNotifier(o.bus).sessionsEnded([who.session.id], "logout");
    d.events.emit("session.logout", {
      channel: who.session.kind === "portal" ? "portal" : "app",
      person: maskName(who.person.name),
    });
    await audit(d, { actor: `person:${who.person.id}`, action: "logout", outcome: "ok" });
    return c.json({ ok: true });
  });

  return app;
}
