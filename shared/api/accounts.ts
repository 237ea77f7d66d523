import { z } from "zod";
import { ERROR_CODES } from "../errors";
import { isoTime, plain, token, typed } from "../protocol/common";
import { IdTypeSchema } from "../rules";

// The accounts HTTP API (seed 2: registration; seed 1.1: forgot password), as the phone pages and the
// web portal call it. Shapes only: the content rules (ID number, login name, password…) are checked by
// the server with shared/rules, so each gets its own error code.
//
//   POST /api/register/hall-code   identity + hall code        → IdentityVerified
//   POST /api/register/face        identity + camera capture   → IdentityVerified   (居民身份证 only)
//   POST /api/register/sms         token + phone               → SmsSent
//   POST /api/register/complete    token + login name, password, phone, SMS code (+ 户籍所在地) → Registered
//   POST /api/password/sms         identity                    → SmsSent (to the registered phone)
//   POST /api/password/reset       identity + SMS code + new password → PasswordReset
//   GET  /api/register/agreement                               → Agreement
// Every error answers ApiError with an HTTP status that fits.

/** The user agreement the pages show before anything else; registrations record the version accepted. */
export const CURRENT_AGREEMENT = { version: "2019-11-09", title: "用户注册协议" } as const;
export const Agreement = z.strictObject({ version: z.string(), title: z.string() });

/** Where the person registers: the web portal asks for 户籍所在地, the app asks for nationality. */
export const Channel = z.enum(["portal", "app"]);
export type Channel = z.infer<typeof Channel>;
export const RegisteredVia = z.enum(["hall_code", "face"]);
export type RegisteredVia = z.infer<typeof RegisteredVia>;

/** Largest camera capture the face path takes (decoded JPEG bytes). */
export const MAX_CAPTURE_BYTES = 2 * 1024 * 1024;

const identity = {
  name: typed(64),
  idType: IdTypeSchema,
  idNumber: typed(32),
};
/** Missing → AGREEMENT_REQUIRED; another version → AGREEMENT_OUTDATED. */
const agreementVersion = typed(32).optional();

export const HallCodeVerifyRequest = z.strictObject({
  agreementVersion,
  channel: Channel,
  hallCode: typed(16),
  ...identity,
  nationality: typed(64).optional(),
});
export type HallCodeVerifyRequest = z.infer<typeof HallCodeVerifyRequest>;

export const FaceVerifyRequest = z.strictObject({
  agreementVersion,
  ...identity,
  nationality: typed(64).optional(),
  /** A JPEG from the camera, base64 (a `data:image/jpeg;base64,` prefix is allowed). */
  capture: plain(Math.ceil(MAX_CAPTURE_BYTES / 3) * 4 + 32).min(1),
});
export type FaceVerifyRequest = z.infer<typeof FaceVerifyRequest>;

export const IdentityView = z.strictObject({
  maskedName: z.string(),
  idType: IdTypeSchema,
  maskedIdNumber: z.string(),
});

export const IdentityVerified = z.strictObject({
  /** Carries the verified identity to the next steps; valid until expiresAt. */
  registrationToken: token,
  expiresAt: isoTime,
  via: RegisteredVia,
  identity: IdentityView,
});
export type IdentityVerified = z.infer<typeof IdentityVerified>;

export const RegisterSmsRequest = z.strictObject({ registrationToken: token, phone: typed(20) });
export type RegisterSmsRequest = z.infer<typeof RegisterSmsRequest>;

export const SmsSent = z.strictObject({
  maskedPhone: z.string(),
  /** The code stops working then. */
  expiresAt: isoTime,
  /** No new code before then (60-second resend interval). */
  resendAt: isoTime,
});
export type SmsSent = z.infer<typeof SmsSent>;

export const RegisterCompleteRequest = z.strictObject({
  registrationToken: token,
  loginName: typed(32),
  password: typed(64),
  phone: typed(20),
  smsCode: typed(8),
  /** 户籍所在地, a GB/T 2260 6-digit code: required on the portal, optional in the app. */
  householdRegion: typed(12).optional(),
});
export type RegisterCompleteRequest = z.infer<typeof RegisterCompleteRequest>;

export const Registered = z.strictObject({
  loginName: z.string(),
  maskedPhone: z.string(),
  via: RegisteredVia,
});
export type Registered = z.infer<typeof Registered>;

export const RecoverySmsRequest = z.strictObject(identity);
export type RecoverySmsRequest = z.infer<typeof RecoverySmsRequest>;

export const PasswordResetRequest = z.strictObject({
  ...identity,
  smsCode: typed(8),
  password: typed(64),
});
export type PasswordResetRequest = z.infer<typeof PasswordResetRequest>;

export const PasswordReset = z.strictObject({
  /** Sessions of this person that were open and are now ended. */
  sessionsEnded: z.number().int().min(0),
});
export type PasswordReset = z.infer<typeof PasswordReset>;

/** The body of every error answer. */
export const ApiError = z.strictObject({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  retryable: z.boolean().optional(),
  /** The input field at fault. */
  path: z.string().max(200).optional(),
  /** Tries left on this code before it stops working. */
  attemptsLeft: z.number().int().min(0).optional(),
  /** Seconds until the next SMS code may be requested. */
  retryAfterS: z.number().int().min(0).optional(),
});
export type ApiError = z.infer<typeof ApiError>;
