import { getConnInfo } from "@hono/node-server/conninfo";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { z } from "zod";
import {
  CURRENT_AGREEMENT,
  FaceVerifyRequest,
  HallCodeVerifyRequest,
  MAX_CAPTURE_BYTES,
  PasswordResetRequest,
  RecoverySmsRequest,
  RegisterCompleteRequest,
  RegisterSmsRequest,
} from "../../shared/api/accounts";
import { type ErrorCode, errorBody } from "../../shared/errors";
import { Refused } from "../kernel/refusal";
import type { AccountsDeps } from "./deps";
import { resetPasswordBySms, sendRecoverySms } from "./recovery";
import { completeRegistration, sendRegistrationSms, verifyByFace, verifyByHallCode } from "./registration";

// The accounts HTTP API (shapes and paths in shared/api/accounts.ts). Each route: per-IP rate limit,
// body size limit, zod parse, call the flow, answer JSON — errors as errorBody(code) with a fitting
// status, never a stack trace.

export interface RateLimit {
  points: number;
  durationS: number;
}

/** Requests per IP address per window, by kind of step. */
export interface AccountsLimits {
  identity: RateLimit;
  sms: RateLimit;
  complete: RateLimit;
  recovery: RateLimit;
}

export const DEFAULT_LIMITS: AccountsLimits = {
  identity: { points: 10, durationS: 60 }, // hall code / face attempts
  sms: { points: 5, durationS: 60 }, // SMS sends (each phone also has its own 60 s interval)
  complete: { points: 10, durationS: 60 },
  recovery: { points: 10, durationS: 60 },
};

export interface AccountsRoutesOptions {
  limits?: Partial<AccountsLimits>;
  /** The caller's address; by default the socket's peer address. */
  clientIp?: (c: Context) => string;
  /** Where internal errors are reported (never with request bodies). */
  log?: (line: string) => void;
}

const STATUS: Partial<Record<ErrorCode, ContentfulStatusCode>> = {
  RATE_LIMITED: 429,
  SMS_TOO_SOON: 429,
  FRAME_TOO_LARGE: 413,
  UNAVAILABLE: 503,
  INTERNAL: 500,
  PERSON_NOT_FOUND: 404,
  FACE_NOT_MATCHED: 403,
  ID_ALREADY_REGISTERED: 409,
  LOGIN_NAME_TAKEN: 409,
  PHONE_TAKEN: 409,
  HALL_CODE_EXPIRED: 410,
  HALL_CODE_USED: 410,
  HALL_CODE_VOIDED: 410,
  HALL_CODE_TOO_MANY_TRIES: 410,
  REGISTRATION_EXPIRED: 410,
  SMS_CODE_EXPIRED: 410,
  SMS_CODE_TOO_MANY_TRIES: 410,
};

function refusal(c: Context, err: Refused) {
  const body = errorBody(err.code, { ...err.data });
  if (err.detail) body.message = err.detail;
  return c.json(body, STATUS[err.code] ?? 400);
}

function peerAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown"; // no socket (app.request in tests)
  }
}

const SMALL_BODY = 16 * 1024;

export function accountsRoutes(deps: AccountsDeps, options: AccountsRoutesOptions = {}): Hono {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const clientIp = options.clientIp ?? peerAddress;
  const log = options.log ?? ((line: string) => console.error(line));
  const limiters = Object.fromEntries(
    Object.entries(limits).map(([k, l]) => [
      k,
      new RateLimiterMemory({ keyPrefix: `accounts:${k}`, points: l.points, duration: l.durationS }),
    ]),
  ) as Record<keyof AccountsLimits, RateLimiterMemory>;

  const app = new Hono();
  app.onError((err, c) => {
    if (err instanceof Refused) return refusal(c, err);
    // Name and message only: a driver error object may carry the query's parameters.
    log(`[accounts] ${c.req.method} ${c.req.path} failed: ${err.name}: ${err.message}`);
    return c.json(errorBody("INTERNAL"), 500);
  });

  /** POST route: limit, parse, run; `ok` is the success status. */
  function post<S extends z.ZodType, R>(
    path: string,
    kind: keyof AccountsLimits,
    schema: S,
    run: (body: z.infer<S>, actor: string) => Promise<R>,
    { maxBytes = SMALL_BODY, ok = 200 as ContentfulStatusCode } = {},
  ) {
    const tooLarge = (c: Context) => c.json(errorBody("FRAME_TOO_LARGE"), 413);
    app.post(path, bodyLimit({ maxSize: maxBytes, onError: tooLarge }), async (c) => {
      const ip = clientIp(c);
      try {
        await limiters[kind].consume(ip);
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        return c.json(errorBody("RATE_LIMITED", { retryAfterS: Math.ceil(err.msBeforeNext / 1000) }), 429);
      }
      const json: unknown = await c.req.json().catch(() => undefined);
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        const path = parsed.error.issues[0]?.path.join(".") ?? "";
        return c.json(errorBody("BAD_MESSAGE", path ? { path } : {}), 400);
      }
      return c.json((await run(parsed.data, `ip:${ip}`)) as object, ok);
    });
  }

  app.get("/register/agreement", (c) => c.json(CURRENT_AGREEMENT));
  post("/register/hall-code", "identity", HallCodeVerifyRequest, (b, actor) =>
    verifyByHallCode(deps, b, actor),
  );
  post("/register/face", "identity", FaceVerifyRequest, (b, actor) => verifyByFace(deps, b, actor), {
    maxBytes: Math.ceil(MAX_CAPTURE_BYTES / 3) * 4 + 2048, // the capture plus the identity fields
  });
  post("/register/sms", "sms", RegisterSmsRequest, (b, actor) => sendRegistrationSms(deps, b, actor));
  post(
    "/register/complete",
    "complete",
    RegisterCompleteRequest,
    (b, actor) => completeRegistration(deps, b, actor),
    {
      ok: 201,
    },
  );
  post("/password/sms", "sms", RecoverySmsRequest, (b, actor) => sendRecoverySms(deps, b, actor));
  post("/password/reset", "recovery", PasswordResetRequest, (b, actor) => resetPasswordBySms(deps, b, actor));
  return app;
}
