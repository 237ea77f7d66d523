import { z } from "zod";
import { CaptchaAnswer, isoTime, token, typed } from "../protocol/common";
import { EnterMethod } from "../protocol/company";
import { CaptchaPng, CaptchaPurpose } from "../protocol/login";
import { IdTypeSchema } from "../rules";
import { ApiError, SmsSent } from "./accounts";

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
//   GET    /api/app/companies/:taxId/records?before=&limit=          (legal rep / finance manager) → CompanyRecords
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

/** A person as their own screen shows them: their own name whole (only they hold the token), the ID
 *  number masked like everywhere else; `maskedName` for anywhere others may look. */
export const PersonView = z.strictObject({
  name: z.string(),
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

/** 办税记录: a page of the company's records, newest first; `before` is the `next` of the page before. */
export const CompanyRecordsQuery = z.strictObject({
  before: z
    .string()
    .regex(/^\d{1,15}-\d{1,19}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(50).optional(),
});
export type CompanyRecordsQuery = z.infer<typeof CompanyRecordsQuery>;

/** 办税记录 pages hold this many records unless `limit` says otherwise. */
export const RECORDS_PAGE = 20;

/**
 * One record: a handler entered the company (登录方式 + how they proved they may act for it), or typed
 * a wrong declaration password for it (`locked`: that try locked it). Who is masked as for anyone else;
 * the address masked as on the phone's confirm page, with its 所在地.
 */
export const CompanyRecord = z.strictObject({
  /** Stable across pages (a list key). */
  id: z.string(),
  kind: z.enum(["entered", "password_wrong"]),
  at: isoTime,
  who: z
    .strictObject({ maskedName: z.string(), idType: IdTypeSchema, maskedIdNumber: z.string() })
    .nullable(),
  /** How the client logged in (账号密码 / 扫码); null when not recorded. */
  login: z.enum(["password", "qr"]).nullable(),
  /** entered: 申报密码 / 办税授权 / CA. */
  via: EnterMethod.nullable(),
  locked: z.boolean(),
  /** e.g. 203.0.113.*; null when not recorded. */
  address: z.string().nullable(),
  /** 所在地: 「广东省 深圳市」, 「本机」, 「内网」; null when unknown. */
  region: z.string().nullable(),
});
export type CompanyRecord = z.infer<typeof CompanyRecord>;

export const CompanyRecords = z.strictObject({
  records: z.array(CompanyRecord).max(50),
  /** Pass as `before` for the next (older) page; null on the last one. */
  next: z.string().nullable(),
});
export type CompanyRecords = z.infer<typeof CompanyRecords>;

/** The body of every error answer: `{ code, message, ...data }` — the accounts API's, and the login's data. */
export const AppApiError = ApiError.extend({
  /** The next try must carry a captcha. */
  captchaRequired: z.boolean().optional(),
  lockedUntil: isoTime.optional(),
  minutesLeft: z.number().int().min(0).optional(),
  /** Where the person can go next (忘记密码, the reset pages). */
  links: z.array(z.strictObject({ label: z.string(), url: z.string() })).optional(),
});
export type AppApiError = z.infer<typeof AppApiError>;
