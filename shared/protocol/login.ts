import { z } from "zod";
import { CaptchaAnswer, message, token, typed } from "./common";

// seed 1.1 — account (phone / login name / ID number) + password; captcha after a wrong one.
export const PasswordLogin = message("login.password", {
  account: typed(64),
  password: typed(64),
  captcha: CaptchaAnswer.optional(),
});

export const CaptchaPurpose = z.enum(["login", "declaration"]);

/** The captcha picture: a PNG as a data: URL (a raster, so no glyph outline travels with it), ~10 KB. */
export const CaptchaPng = z
  .string()
  .max(64 * 1024)
  .regex(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);

/** Ask for a (new) captcha image, e.g. when the person clicks the image to change it. */
export const CaptchaRequest = message("captcha.new", { purpose: CaptchaPurpose });

export const Captcha = message("captcha", {
  purpose: CaptchaPurpose,
  id: token,
  image: CaptchaPng,
  expiresAt: z.iso.datetime({ offset: true }),
});

export const Logout = message("logout", {});

export const LoginMethod = z.enum(["password", "qr"]);

/** The handler as the client shows them: never a full ID number or phone. */
export const HandlerView = z.strictObject({
  maskedName: z.string(),
  maskedIdNumber: z.string(),
  idType: z.string(),
});

/** The person is logged in (stage 1 done); the company step comes next. */
export const Session = message("session", {
  token,
  method: LoginMethod,
  handler: HandlerView,
  expiresAt: z.iso.datetime({ offset: true }),
  idleExpiresAt: z.iso.datetime({ offset: true }),
});

export const SessionEndReason = z.enum([
  "logout",
  "expired",
  "password_reset",
  "authorization_revoked",
  "replaced",
]);

export type SessionEndReason = z.infer<typeof SessionEndReason>;

/** What the client shows when its session ends, per reason (the hub sends it with `session.ended`). */
export const SESSION_END_MESSAGES: Record<SessionEndReason, string> = {
  logout: "您已退出登录",
  expired: "登录已过期，请重新登录",
  password_reset: "密码已重置，请重新登录",
  authorization_revoked: "办税授权已被撤销，请重新登录",
  replaced: "您的账号已在其他地方登录，请重新登录",
};

/** The session ended (logout, idle or lifetime over, password reset, revoked authorization, replaced).
 *  `message` is the Chinese text the client shows as it is. */
export const SessionEnded = message("session.ended", { reason: SessionEndReason, message: z.string() });
