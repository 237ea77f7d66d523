import { maskAccount, maskName } from "../../shared/mask";
import type { ClientMessage } from "../../shared/protocol";
import { dateOf } from "../kernel/clock";
import { Refusal } from "../kernel/refusal";
import { audit } from "../store/audit";
import type { Connection } from "../ws/connection";
import type { ClientSockets } from "../ws/server";
import type { LoginDeps } from "./deps";
import { failureHoldBack, loginTryCounter } from "./limits";
import { type PasswordLoginResult, passwordLogin } from "./password-login";

// seed 1.1 on the client socket: 账号密码登录 and its captcha. The rules are in server/login
// (passwordLogin: lookup, captcha, reserve-before-verify lockout); this is the socket's edge.

export async function loginByPassword(
  d: LoginDeps,
  sockets: ClientSockets,
  conn: Connection,
  msg: ClientMessage<"login.password">,
): Promise<void> {
  if (conn.session) throw new Refusal("WRONG_STEP", {}); // 退出 first
  if (conn.countInWindow("login", d.clock.now()) > d.limits.loginsPerConnectionPerMinute) {
    d.events.emit("limit.hit", { limit: "loginsPerConnectionPerMinute", conn: conn.id });
    throw new Refusal("RATE_LIMITED");
  }
  const now = dateOf(d.clock);
  const guard = { countTry: loginTryCounter(d, conn.ip), holdBack: failureHoldBack(d) };
  const r = await passwordLogin({ ...d, ...guard }, msg, now);
  await reportLogin(d, r, msg.account, "client", `ip:${conn.ip}`, conn.id);
  if (!r.ok) throw new Refusal(r.code, r.data);
  const issued = await d.issuer.issueClientSession(r.person.id, "password");
  sockets.loggedIn(conn, { id: issued.sessionId, personId: r.person.id, method: "password" });
  conn.send({ type: "session", ...(msg.rid === undefined ? {} : { rid: msg.rid }), ...issued.session });
}

/** One audit row and one event per try, for every front; the account is masked in both. */
export async function reportLogin(
  d: LoginDeps,
  r: PasswordLoginResult,
  account: string,
  channel: "client" | "app" | "portal",
  actor: string,
  conn?: string,
): Promise<void> {
  const masked = maskAccount(account.trim());
  if (r.ok) {
    d.events.emit("login.succeeded", {
      channel,
      by: r.by,
      person: maskName(r.person.name),
      ...(conn ? { conn } : {}),
    });
  } else if (r.code === "ACCOUNT_LOCKED") {
    d.events.emit("login.locked", { channel, account: masked, minutesLeft: Number(r.data.minutesLeft) });
  } else {
    const left = r.data.attemptsLeft;
    d.events.emit("login.refused", {
      channel,
      account: masked,
      code: r.code,
      verified: r.verified,
      ...(typeof left === "number" ? { attemptsLeft: left } : {}),
    });
  }
  await audit(d, {
    actor,
    action: "login.password",
    subject: masked,
    outcome: r.ok ? "ok" : r.code,
    detail: r.ok
      ? { channel, by: r.by, personId: r.person.id, verified: true }
      : { channel, verified: r.verified },
  });
}

/** A new captcha image (the client asks after captchaRequired, or when the person clicks the image). */
export async function newCaptcha(d: LoginDeps, conn: Connection, msg: ClientMessage<"captcha.new">) {
  const now = d.clock.now();
  if (conn.countInWindow("captcha", now) > d.limits.captchasPerConnectionPerMinute) {
    d.events.emit("limit.hit", { limit: "captchasPerConnectionPerMinute", conn: conn.id });
    throw new Refusal("RATE_LIMITED");
  }
  const issued = await d.captcha.issue(msg.purpose, new Date(now));
  conn.send({ type: "captcha", ...(msg.rid === undefined ? {} : { rid: msg.rid }), ...issued });
}
