import { getConnInfo } from "@hono/node-server/conninfo";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import {
  AppLoginRequest,
  CaptchaRequestBody,
  DeclarationResetRequest,
  GrantRequest,
} from "../../shared/api/app";
import { type ErrorCode, errorBody } from "../../shared/errors";
import { maskName } from "../../shared/mask";
import { BusUnavailable } from "../bus";
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
import { Refused } from "../kernel/refusal";
import { callerOf } from "../sessions/caller";
import { HubError } from "../ws/hub-error";
import { audit, nowOf } from "./deps";
import { passwordLogin } from "./password-login";
import { reportLogin } from "./socket";

// The phone app's and the portal's API under /api/app (shapes in shared/api/app.ts): login with the
// client's rules and lock, who is logged in, and 「企业办税权限」. The QR routes (scan / confirm) are
// mounted in here too. Every route parses with zod and answers errorBody(code) with a fitting status.

const STATUS: Partial<Record<ErrorCode, ContentfulStatusCode>> = {
  NOT_LOGGED_IN: 401,
  SESSION_EXPIRED: 401,
  ACCOUNT_OR_PASSWORD_WRONG: 401,
  CAPTCHA_REQUIRED: 401,
  CAPTCHA_WRONG: 401,
  CAPTCHA_EXPIRED: 401,
  ACCOUNT_LOCKED: 423,
  DECLARATION_LOCKED: 423,
  NOT_LEGAL_REP: 403,
  NOT_LEGAL_REP_OR_FINANCE: 403,
  AUTHORIZATION_NOT_ACTIVE: 403,
  COMPANY_NOT_FOUND: 404,
  AUTHORIZATION_NOT_FOUND: 404,
  HANDLER_NOT_FOUND: 404,
  AUTHORIZATION_EXISTS: 409,
  PHONE_NOT_BOUND: 409,
  FRAME_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  SMS_TOO_SOON: 429,
  SMS_CODE_EXPIRED: 410,
  SMS_CODE_TOO_MANY_TRIES: 410,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

export interface AppApiOptions {
  deps: AppDeps;
  bus: Bus;
  /** The QR phone routes (server/qr/phone-api.ts), served under the same path. */
  phone: Hono;
  /** The caller's address; by default the socket's peer address. */
  clientIp?: (c: Context) => string;
}

function peerAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address?.replace(/^::ffff:/, "") ?? "unknown";
  } catch {
    return "unknown"; // no socket (app.request in tests)
  }
}

const SMALL_BODY = 16 * 1024;
const AuthorizationId = z.uuid();

export function appApi(o: AppApiOptions): Hono {
  const d = o.deps;
  const clientIp = o.clientIp ?? peerAddress;
  const app = new Hono();

  app.onError((err, c) => {
    if (err instanceof HubError) return c.json(errorBody(err.code, err.data), STATUS[err.code] ?? 400);
    if (err instanceof Refused) {
      const body = errorBody(err.code, { ...err.data });
      if (err.detail) body.message = err.detail;
      return c.json(body, STATUS[err.code] ?? 400);
    }
    if (err instanceof BusUnavailable) return c.json(errorBody("UNAVAILABLE"), 503);
    d.log.error(
      { err: `${(err as Error).name}: ${(err as Error).message}`, path: c.req.path },
      "app api failed",
    );
    return c.json(errorBody("INTERNAL"), 500);
  });
  app.use(bodyLimit({ maxSize: SMALL_BODY, onError: (c) => c.json(errorBody("FRAME_TOO_LARGE"), 413) }));

  /** The request's JSON body through its schema, or BAD_MESSAGE naming the field. */
  async function body<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
    const parsed = schema.safeParse(await c.req.json().catch(() => undefined));
    if (parsed.success) return parsed.data;
    const path = parsed.error.issues[0]?.path.join(".") ?? "";
    throw new HubError("BAD_MESSAGE", path ? { path } : {});
  }

  /** Logins and captcha images per address per minute, over all nodes (the lock guards each account). */
  async function limit(c: Context, what: string): Promise<string> {
    const ip = clientIp(c);
    const n = await o.bus.hit(`app-${what}:${ip}`, 60_000, d.clock.now());
    if (n > d.limits.appLoginsPerIpPerMinute) {
      d.events.emit("limit.hit", { limit: "appLoginsPerIpPerMinute" });
      throw new HubError("RATE_LIMITED");
    }
    return ip;
  }

  const caller = (c: Context) => callerOf(d.db, d.sessions, c.req.header("authorization"), nowOf(d));

  app.post("/captcha", async (c) => {
    await limit(c, "captcha");
    const { purpose } = await body(c, CaptchaRequestBody);
    const issued = await d.captcha.issue(purpose, nowOf(d));
    return c.json({ id: issued.id, image: issued.image, expiresAt: issued.expiresAt });
  });

  // seed 1.1: the same account, captcha and lock as the client's login.
  app.post("/login", async (c) => {
    const ip = await limit(c, "login");
    const req = await body(c, AppLoginRequest);
    const channel = req.channel ?? "app";
    const now = nowOf(d);
    const r = await passwordLogin(d, req, now);
    await reportLogin(d, r, req.account, channel, `ip:${ip}`);
    if (!r.ok) throw new HubError(r.code, r.data);
    const created = await d.sessions.create({ personId: r.person.id, kind: channel }, now);
    return c.json({
      token: created.token,
      expiresAt: created.expiresAt.toISOString(),
      person: personView(r.person),
    });
  });

  app.post("/logout", async (c) => {
    const who = await caller(c);
    await d.sessions.end(who.session.id, "logout", nowOf(d));
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
    const req = await body(c, GrantRequest);
    return c.json(await grant(d, who, c.req.param("taxId"), req), 201);
  });

  app.delete("/companies/:taxId/authorizations/:id", async (c) => {
    const who = await caller(c);
    const id = AuthorizationId.safeParse(c.req.param("id"));
    if (!id.success) throw new HubError("AUTHORIZATION_NOT_FOUND");
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
    const req = await body(c, DeclarationResetRequest);
    return c.json(await resetDeclarationPassword(d, who, c.req.param("taxId"), req));
  });

  app.route("/", o.phone);
  return app;
}
