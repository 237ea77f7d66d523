import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
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
import { errorBody } from "../../shared/errors";
import type { Bus } from "../bus";
import { overLimit } from "../bus/limiter";
import { answerErrors, clientIp, jsonBody, limitBody, SMALL_BODY } from "../http/request";
import type { HubLimits } from "../limits";
import type { AccountsDeps } from "./deps";
import { resetPasswordBySms, sendRecoverySms } from "./recovery";
import { completeRegistration, sendRegistrationSms, verifyByFace, verifyByHallCode } from "./registration";

// The accounts HTTP API (shapes and paths in shared/api/accounts.ts). Each route: per-IP rate limit,
// body size limit, zod parse, call the flow, answer JSON — errors as errorBody(code) with a fitting
// status, never a stack trace.

/** Which of the hub's named limits (server/limits.ts) counts each kind of step, per IP per minute. */
const LIMIT_OF = {
  identity: "identityPerIpPerMinute",
  sms: "smsPerIpPerMinute",
  complete: "completionsPerIpPerMinute",
  recovery: "recoveriesPerIpPerMinute",
} as const satisfies Record<string, keyof HubLimits>;

export interface AccountsRoutesOptions {
  /** Counts the per-IP limits, across nodes on Redis. */
  bus: Bus;
  limits: HubLimits;
  /** The caller's address; by default the socket's peer address. */
  clientIp?: (c: Context) => string;
  /** Where internal errors are reported (never with request bodies). */
  log?: (line: string) => void;
}

export function accountsRoutes(deps: AccountsDeps, options: AccountsRoutesOptions): Hono {
  const ipOf = options.clientIp ?? clientIp;
  const log = options.log ?? ((line: string) => console.error(line));
  const app = new Hono();
  app.onError(answerErrors((line) => log(`[accounts] ${line}`)));

  /** POST route: limit, parse, run; `ok` is the success status. */
  function post<S extends z.ZodType, R>(
    path: string,
    kind: keyof typeof LIMIT_OF,
    schema: S,
    run: (body: z.infer<S>, actor: string) => Promise<R>,
    { maxBytes = SMALL_BODY, ok = 200 as ContentfulStatusCode } = {},
  ) {
    app.post(path, limitBody(maxBytes), async (c) => {
      const ip = ipOf(c);
      const window = { max: options.limits[LIMIT_OF[kind]], windowMs: 60_000 };
      const retryAfterS = await overLimit(options.bus, `accounts-${kind}:${ip}`, window, deps.clock.now());
      if (retryAfterS !== null) return c.json(errorBody("RATE_LIMITED", { retryAfterS }), 429);
      const body = await jsonBody(c, schema);
      return c.json((await run(body, `ip:${ip}`)) as object, ok);
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
