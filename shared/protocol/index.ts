import { z } from "zod";
import { rid } from "./common";
import {
  AuthorizationEnter,
  CaChallenge,
  CaChallengeRequest,
  CaVerify,
  CompanyAdd,
  CompanyEntered,
  CompanyList,
  CompanyListRequest,
  CompanySwitch,
  DeclarationVerify,
} from "./company";
import { ErrorMessage } from "./error";
import { Hello, Ping, Pong, Welcome } from "./hello";
import { Captcha, CaptchaRequest, Logout, PasswordLogin, Session, SessionEnded } from "./login";
import { QrCancel, QrIssue, QrRedeem, QrRotated, QrState, QrTicket } from "./qr";

export * from "./close-codes";
export * from "./common";
export * from "./company";
export * from "./error";
export * from "./hello";
export * from "./login";
export * from "./qr";

/** Everything a client may send on its socket. */
export const ClientToHub = z.discriminatedUnion("type", [
  Hello,
  Ping,
  PasswordLogin,
  CaptchaRequest,
  Logout,
  QrIssue,
  QrCancel,
  QrRedeem,
  CompanyListRequest,
  CompanyAdd,
  DeclarationVerify,
  AuthorizationEnter,
  CaChallengeRequest,
  CaVerify,
  CompanySwitch,
]);
export type ClientToHub = z.infer<typeof ClientToHub>;

/** Everything the hub may send to a client. */
export const HubToClient = z.discriminatedUnion("type", [
  Welcome,
  Pong,
  ErrorMessage,
  Captcha,
  Session,
  SessionEnded,
  QrTicket,
  QrState,
  QrRotated,
  CompanyList,
  CompanyEntered,
  CaChallenge,
]);
export type HubToClient = z.infer<typeof HubToClient>;

export type ClientMessage<T extends ClientToHub["type"]> = Extract<ClientToHub, { type: T }>;
export type HubMessage<T extends HubToClient["type"]> = Extract<HubToClient, { type: T }>;

/** A frame that failed still yields its `rid` when it has a readable one, so its error can carry it. */
export type ParseResult<T> =
  | { ok: true; value: T }
  | { ok: false; path: string; detail: string; rid?: number };

function parseFrame<S extends z.ZodType>(schema: S, raw: string): ParseResult<z.infer<S>> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, path: "", detail: "not JSON" };
  }
  const r = schema.safeParse(json);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  const given = rid.safeParse((json as { rid?: unknown } | null)?.rid);
  return {
    ok: false,
    path: issue ? issue.path.map(String).join(".") : "",
    detail: issue?.message ?? "invalid",
    ...(given.success ? { rid: given.data } : {}),
  };
}

/** Parse a raw text frame from a client. Never throws. */
export const parseClientFrame = (raw: string): ParseResult<ClientToHub> => parseFrame(ClientToHub, raw);

/** Parse a raw text frame from the hub (the client's side). Never throws. */
export const parseHubFrame = (raw: string): ParseResult<HubToClient> => parseFrame(HubToClient, raw);
