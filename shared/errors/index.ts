import { ACCOUNTS_ERRORS } from "./accounts";
import { APP_ERRORS } from "./app";
import { COMMON_ERRORS } from "./common";
import { COMPANY_ERRORS } from "./company";
import { HANDSHAKE_ERRORS } from "./handshake";
import { LOGIN_ERRORS } from "./login";
import { QR_ERRORS } from "./qr";
import { RULE_ERRORS } from "./rules";

// One closed map, UPPER_SNAKE code → the Simplified Chinese message the UI shows as it is.
// Each capability keeps its own part in this folder; they are joined here.
export const ERRORS = {
  ...COMMON_ERRORS,
  ...LOGIN_ERRORS,
  ...QR_ERRORS,
  ...COMPANY_ERRORS,
  ...RULE_ERRORS,
  ...HANDSHAKE_ERRORS,
  ...ACCOUNTS_ERRORS,
  ...APP_ERRORS,
} as const;

export type ErrorCode = keyof typeof ERRORS;

export const ERROR_CODES = Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]];

/** Codes after which the same request may simply be tried again later. */
export const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "RATE_LIMITED",
  "UNAVAILABLE",
  "INTERNAL",
]);

export function errorMessage(code: ErrorCode): string {
  return ERRORS[code];
}

/** The error body both the socket and HTTP send: `{ code, message, ...data }`. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  retryable?: boolean;
  [extra: string]: unknown;
}

export function errorBody(code: ErrorCode, data: Record<string, unknown> = {}): ErrorBody {
  return { ...data, code, message: ERRORS[code], ...(RETRYABLE_CODES.has(code) ? { retryable: true } : {}) };
}
