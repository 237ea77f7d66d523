import { z } from "zod";
import {
  Agreement,
  type FaceVerifyRequest,
  type HallCodeVerifyRequest,
  IdentityVerified,
  PasswordReset,
  type PasswordResetRequest,
  type RecoverySmsRequest,
  type RegisterCompleteRequest,
  Registered,
  type RegisterSmsRequest,
  SmsSent,
} from "../../../shared/api/accounts";
import {
  AppLogin,
  type AppLoginRequest,
  AuthorizationList,
  AuthorizationView,
  CaptchaImage,
  type CaptchaRequestBody,
  CompanyRecords,
  DeclarationReset,
  type DeclarationResetRequest,
  DeclarationSmsSent,
  type GrantRequest,
  LoggedOut,
  Me,
  Revoked,
} from "../../../shared/api/app";
import { ERRORS } from "../../../shared/errors";
import { PhoneTicketView } from "../../../shared/protocol/qr";

// How the pages talk to the hub: JSON over fetch, every answer parsed with zod, every failure one
// `{ code, message }` whose message is the Chinese text to show as it is.

/** What a page shows when a call fails; the hub's error body, or one made here for the network. */
export interface ApiFailure {
  code: string;
  message: string;
  /** The input field at fault (accounts API). */
  path?: string;
  attemptsLeft?: number;
  retryAfterS?: number;
  /** Login: the next attempt must carry a captcha. */
  captchaRequired?: boolean;
  /** Login: how long the account stays locked. */
  minutesLeft?: number;
  lockedUntil?: string;
  /** Login: where the person may go instead (忘记密码…). */
  links?: { label: string; url: string }[];
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; error: ApiFailure };

// Read leniently: a newer hub may add fields; only these are used.
const FailureBody = z.object({
  code: z.string().min(1).max(64),
  message: z.string().min(1).max(500),
  path: z.string().optional(),
  attemptsLeft: z.number().optional(),
  retryAfterS: z.number().optional(),
  captchaRequired: z.boolean().optional(),
  minutesLeft: z.number().optional(),
  lockedUntil: z.string().optional(),
  links: z.array(z.object({ label: z.string(), url: z.string() })).optional(),
});

export const NETWORK_FAILURE: ApiFailure = { code: "NETWORK", message: "网络连接失败，请检查网络后重试" };
const BAD_ANSWER: ApiFailure = { code: "INTERNAL", message: ERRORS.INTERNAL };

export interface CallOptions<T> {
  method?: "GET" | "POST" | "DELETE";
  body?: unknown;
  /** The app session token, sent as `Authorization: Bearer`. */
  token?: string | null;
  /** The success body's shape; without it the body is not read (204, or nothing needed). */
  schema?: z.ZodType<T>;
  fetch?: typeof fetch;
}

export async function call<T = undefined>(path: string, o: CallOptions<T> = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (o.body !== undefined) headers["content-type"] = "application/json";
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  let res: Response;
  try {
    res = await (o.fetch ?? fetch)(path, {
      method: o.method ?? (o.body === undefined ? "GET" : "POST"),
      headers,
      body: o.body === undefined ? null : JSON.stringify(o.body),
      credentials: "same-origin",
    });
  } catch {
    return { ok: false, status: 0, error: NETWORK_FAILURE };
  }
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const body = FailureBody.safeParse(json);
    return { ok: false, status: res.status, error: body.success ? clean(body.data) : BAD_ANSWER };
  }
  if (!o.schema) return { ok: true, data: undefined as T };
  const parsed = o.schema.safeParse(json);
  return parsed.success
    ? { ok: true, data: parsed.data }
    : { ok: false, status: res.status, error: BAD_ANSWER };
}

/** Drops the keys zod left undefined, so a failure compares and spreads cleanly. */
function clean({ code, message, ...extra }: z.infer<typeof FailureBody>): ApiFailure {
  return { code, message, ...Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)) };
}

/** The failures that mean "this session is gone": the page forgets it and asks to log in again. */
export const LOGGED_OUT_CODES: ReadonlySet<string> = new Set([
  "PHONE_LOGIN_REQUIRED",
  "NOT_LOGGED_IN",
  "SESSION_EXPIRED",
]);

export function isLoggedOut(r: { ok: false; status: number; error: ApiFailure }): boolean {
  return r.status === 401 || LOGGED_OUT_CODES.has(r.error.code);
}

// ── The app's login and company API (/api/app/…, shapes in shared/api/app.ts) ───────────────────

export type {
  AppLogin,
  CaptchaImage as Captcha,
  CompanyRecord,
  CompanyRole,
  Me,
  PersonView as AppPerson,
} from "../../../shared/api/app";
export type Authorization = AuthorizationView;
export type MyCompany = Me["companies"][number];

const company = (taxId: string) => `/api/app/companies/${encodeURIComponent(taxId)}`;

export const appApi = {
  captcha: (purpose: CaptchaRequestBody["purpose"]) =>
    call("/api/app/captcha", { body: { purpose }, schema: CaptchaImage }),
  login: (body: AppLoginRequest) => call("/api/app/login", { body, schema: AppLogin }),
  logout: (token: string) => call("/api/app/logout", { token, body: {}, schema: LoggedOut }),
  me: (token: string) => call("/api/app/me", { token, schema: Me }),
  authorizations: (token: string, taxId: string) =>
    call(`${company(taxId)}/authorizations`, { token, schema: AuthorizationList }),
  grant: (token: string, taxId: string, body: GrantRequest) =>
    call(`${company(taxId)}/authorizations`, { token, body, schema: AuthorizationView }),
  revoke: (token: string, taxId: string, id: string) =>
    call(`${company(taxId)}/authorizations/${encodeURIComponent(id)}`, {
      token,
      method: "DELETE",
      schema: Revoked,
    }),
  declarationSms: (token: string, taxId: string) =>
    call(`${company(taxId)}/declaration-password/sms`, { token, body: {}, schema: DeclarationSmsSent }),
  resetDeclaration: (token: string, taxId: string, body: DeclarationResetRequest) =>
    call(`${company(taxId)}/declaration-password`, { token, body, schema: DeclarationReset }),
  /** 办税记录, newest first; `before`: the `next` of the page shown last. */
  records: (token: string, taxId: string, before?: string) =>
    call(`${company(taxId)}/records${before ? `?before=${encodeURIComponent(before)}` : ""}`, {
      token,
      schema: CompanyRecords,
    }),
};

// ── 扫码登录 on the phone (/api/app/qr/…) ───────────────────────────────────────────────────────────

const qr = (id: string) => `/api/app/qr/${encodeURIComponent(id)}`;
/** The rotating QR's stamp (`?s=`), when it carried one. */
const stamped = (stamp: string | null) => (stamp ? `?s=${encodeURIComponent(stamp)}` : "");

export const qrApi = {
  view: (token: string, id: string, stamp: string | null = null) =>
    call(`${qr(id)}${stamped(stamp)}`, { token, schema: PhoneTicketView }),
  scan: (token: string, id: string, stamp: string | null = null) =>
    call(`${qr(id)}/scan${stamped(stamp)}`, { token, body: {}, schema: PhoneTicketView }),
  confirm: (token: string, id: string) =>
    call(`${qr(id)}/confirm`, { token, body: {}, schema: PhoneTicketView }),
  cancel: (token: string, id: string) =>
    call(`${qr(id)}/cancel`, { token, body: {}, schema: PhoneTicketView }),
};

// ── Registration and recovery (/api/register/…, /api/password/…) ───────────────────────────────

export const accountsApi = {
  agreement: () => call("/api/register/agreement", { schema: Agreement }),
  verifyHallCode: (body: HallCodeVerifyRequest) =>
    call("/api/register/hall-code", { body, schema: IdentityVerified }),
  verifyFace: (body: FaceVerifyRequest) => call("/api/register/face", { body, schema: IdentityVerified }),
  registrationSms: (body: RegisterSmsRequest) => call("/api/register/sms", { body, schema: SmsSent }),
  complete: (body: RegisterCompleteRequest) => call("/api/register/complete", { body, schema: Registered }),
  recoverySms: (body: RecoverySmsRequest) => call("/api/password/sms", { body, schema: SmsSent }),
  resetPassword: (body: PasswordResetRequest) => call("/api/password/reset", { body, schema: PasswordReset }),
};
