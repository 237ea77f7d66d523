import { z } from "zod";
import { ERROR_CODES } from "../errors";
import { CaptchaAnswer, isoTime, token, typed } from "../protocol/common";
import { CaptchaPng, CaptchaPurpose } from "../protocol/login";
import { IdTypeSchema } from "../rules";
import { SmsSent } from "./accounts";

// The phone app's (个人所得税APP stand-in) and the web portal's own API under /api/app: their login,
// who is logged in, and what a legal representative or finance manager does for a company
// (「企业办税权限」: 办税授权, 重置申报密码). Calls after login carry `Authorization: Bearer <token>`.
//
//   POST   /api/app/captcha                                          {purpose}            → CaptchaImage
//   POST   /api/app/login                                            AppLoginRequest      → AppLogin
//   POST   /api/app/logout                                                                → LoggedOut
//   GET    /api/app/me                                                                    → Me
//   GET    /api/app/companies/:taxId/authorizations                  (legal rep)          → AuthorizationView[]
//   POST   /api/app/companies/:taxId/authorizations                  GrantRequest (legal rep) → 201 AuthorizationView
//   DELETE /api/app/companies/:taxId/authorizations/:id              (legal rep)          → Revoked
//   POST   /api/app/companies/:taxId/declaration-password/sms        (legal rep / finance manager) → SmsSent
//   POST   /api/app/companies/:taxId/declaration-password            DeclarationResetRequest → DeclarationReset
//
// The QR routes (/api/app/qr/:id…) are in shared/protocol/qr.ts. Errors answer AppApiError with a
// status that fits: 400 bad input, 401 not logged in / wrong password, 403 not your role, 404 unknown
// company or authorization, 409 already so, 423 locked, 429 too often, 503 unavailable.

export const CaptchaRequestBody = z.strictObject({ purpose: CaptchaPurpose });
export type CaptchaRequestBody = z.infer<typeof CaptchaRequestBody>;

export const CaptchaImage = z.strictObject({
  /** Send it back with the answer: `captcha: { id, answer }`. */
  id: token,
  image: CaptchaPng,
  expiresAt: isoTime,
});
export type CaptchaImage = z.infer<typeof CaptchaImage>;

/** seed 1.1: the account is the phone number, the login name or the ID number (居民身份证 only). The same
 *  account, captcha and lock as the client's login: five wrong tries anywhere lock it everywhere. */
export const AppLoginRequest = z.strictObject({
  account: typed(64),
  password: typed(64),
  captcha: CaptchaAnswer.optional(),
  /** Which front logs in: the phone pages (default) or the web portal. Both use this API. */
  channel: z.enum(["app", "portal"]).optional(),
});
export type AppLoginRequest = z.infer<typeof AppLoginRequest>;

/** A person as their own screen shows them: masked like everywhere else. */
export const PersonView = z.strictObject({
  maskedName: z.string(),
  maskedIdNumber: z.string(),
  idType: IdTypeSchema,
});
export type PersonView = z.infer<typeof PersonView>;

export const AppLogin = z.strictObject({
  /** The bearer token for every later call. Keep it out of logs and URLs. */
  token,
  /** The absolute end of the session; it also ends after 30 idle minutes. */
  expiresAt: isoTime,
  person: PersonView,
});
export type AppLogin = z.infer<typeof AppLogin>;

export const LoggedOut = z.strictObject({ ok: z.literal(true) });

/** What the person is to a company: 法定代表人, 财务经理 (both from the tax registration), a handler who
 *  added it with the declaration password, or a handler the legal representative authorized. */
export const CompanyRole = z.enum(["legal_rep", "finance_manager", "handler", "authorized"]);
export type CompanyRole = z.infer<typeof CompanyRole>;

export const MyCompany = z.strictObject({
  taxId: z.string(),
  name: z.string(),
  roles: z.array(CompanyRole).min(1),
});

export const Me = z.strictObject({
  person: PersonView,
  companies: z.array(MyCompany),
});
export type Me = z.infer<typeof Me>;

/** 办税授权: the legal representative names the handler exactly as registered (name + ID). */
export const GrantRequest = z.strictObject({
  name: typed(64),
  idType: IdTypeSchema,
  idNumber: typed(32),
});
export type GrantRequest = z.infer<typeof GrantRequest>;

export const AuthorizationView = z.strictObject({
  /** Use it to revoke. */
  id: z.uuid(),
  maskedName: z.string(),
  maskedIdNumber: z.string(),
  idType: IdTypeSchema,
  grantedAt: isoTime,
});
export type AuthorizationView = z.infer<typeof AuthorizationView>;

export const AuthorizationList = z.array(AuthorizationView);

export const Revoked = z.strictObject({
  /** The handler's client sessions on this company that were open and are now ended. */
  sessionsEnded: z.number().int().min(0),
});
export type Revoked = z.infer<typeof Revoked>;

/** 重置申报密码: an SMS code to the caller's own bound phone first. */
export const DeclarationSmsSent = SmsSent;

/** The new declaration password typed twice, and the SMS code. */
export const DeclarationResetRequest = z.strictObject({
  password: typed(64),
  confirm: typed(64),
  smsCode: typed(8),
});
export type DeclarationResetRequest = z.infer<typeof DeclarationResetRequest>;

export const DeclarationReset = z.strictObject({
  /** The company's declaration password was locked and now is not. */
  wasLocked: z.boolean(),
});
export type DeclarationReset = z.infer<typeof DeclarationReset>;

/** The body of every error answer: `{ code, message, ...data }`. */
export const AppApiError = z.strictObject({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  retryable: z.boolean().optional(),
  path: z.string().max(200).optional(),
  /** The next try must carry a captcha. */
  captchaRequired: z.boolean().optional(),
  attemptsLeft: z.number().int().min(0).optional(),
  lockedUntil: isoTime.optional(),
  minutesLeft: z.number().int().min(0).optional(),
  /** Where the person can go next (忘记密码, the reset pages). */
  links: z.array(z.strictObject({ label: z.string(), url: z.string() })).optional(),
  retryAfterS: z.number().int().min(0).optional(),
});
export type AppApiError = z.infer<typeof AppApiError>;
