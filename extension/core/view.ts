import type { HubMessage, TicketState } from "../../shared/protocol";

// What the popup sees: the worker's flow state without secrets (no session token, ticket secret,
// grant or captcha id). Type-only imports, so the popup bundle carries no zod.
export type Stage = "login" | "company" | "workspace";
export type LoginMode = "password" | "qr";
export type CaptchaPurpose = "login" | "declaration";
export type CompanyPane = "list" | "add" | "enter";
export type LinkStatus = "disconnected" | "connecting" | "connected";
export type { TicketState };
export type CompanyView = HubMessage<"company.list.result">["companies"][number];
export type HandlerView = HubMessage<"session">["handler"];
export type LoginMethod = HubMessage<"session">["method"];
export type EnterMethod = HubMessage<"company.entered">["via"];
export type SessionEndReason = HubMessage<"session.ended">["reason"];

export interface Link {
  status: LinkStatus;
  /** The socket was lost and a reconnect is under way: 「网络连接中断，正在重连…」. */
  away: boolean;
  /** The hub refused us for good (version, hello); shown with a 重新连接 button. */
  fatal?: string;
  /** The hub does not allow this browser's Origin (asked over HTTP while the socket keeps failing):
   *  the origin its operator must add to ALLOWED_ORIGINS. Retries go on, so adding it is enough. */
  refused?: string;
}

export interface HubOffer {
  caOffered: boolean;
  authorizationActive: boolean;
  qrTtlS: number;
  /** serverTime − local time at welcome, so countdowns follow the hub's clock. */
  clockOffsetMs: number;
}

/** A form the hub can refuse: the seed's captcha after a wrong try, tries left, the lock. */
export interface GateView {
  pending: boolean;
  error?: string;
  code?: string;
  captchaRequired: boolean;
  captchaImage?: string;
  attemptsLeft?: number;
  lockedMinutes?: number;
  links?: { label: string; url: string }[];
}

export interface QrView {
  state: TicketState | "none";
  url?: string;
  expiresAt?: string;
  maskedName?: string;
  error?: string;
}

export interface CaChallengeView {
  taxId: string;
  nonce: string;
  expiresAt: string;
}

export interface ClientView {
  hubUrl: string;
  link: Link;
  hub?: HubOffer;
  stage: Stage;
  mode: LoginMode;
  login: GateView;
  qr: QrView;
  session?: { method: LoginMethod; handler: HandlerView; expiresAt: string };
  /** Undefined while the list is on its way. */
  companies?: CompanyView[];
  pane: CompanyPane;
  selected?: string;
  declaration: GateView;
  ca?: CaChallengeView;
  add: GateView;
  entered?: { taxId: string; name: string; via: EnterMethod };
  /** A one-line message outside any form (e.g. why the session ended). */
  notice?: string;
}

/** What the person did in the popup; the worker turns it into protocol messages. */
export type UserAction =
  | { type: "mode"; mode: LoginMode }
  | { type: "login"; account: string; password: string; captcha?: string }
  | { type: "captcha.refresh"; purpose: CaptchaPurpose }
  | { type: "qr.refresh" }
  | { type: "company.open"; taxId: string }
  | { type: "company.list" }
  | { type: "company.addForm" }
  | { type: "company.add"; taxId: string; declarationPassword: string; captcha?: string }
  | { type: "declaration"; taxId: string; declarationPassword: string; captcha?: string }
  | { type: "authorization"; taxId: string }
  | { type: "ca.challenge"; taxId: string }
  | { type: "ca.verify"; taxId: string; certificate: string; signature: string }
  | { type: "company.switch" }
  | { type: "logout" }
  | { type: "reconnect" }
  | { type: "notice.dismiss" };
