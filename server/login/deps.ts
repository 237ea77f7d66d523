import type { Logger } from "pino";
import type { CaptchaService } from "../captcha/service";
import type { CaVerifier } from "../company/ca/verifier";
import type { TimeGates } from "../company/rules";
import type { EventSink } from "../events/sink";
import type { Clock } from "../kernel/clock";
import type { HubLimits } from "../limits";
import type { LockoutStore } from "../lockout/store";
import type { SessionEndNotifier } from "../sessions/notify";
import type { SessionIssuer } from "../sessions/seam";
import type { SessionStore } from "../sessions/store";
import type { Db } from "../store";

/** What the login and company steps need from the hub; the phone / portal API shares most of it. */
export interface HandshakeDeps {
  nodeId: string;
  /** For the links a lock answers with (忘记密码, the reset pages). */
  publicUrl: string;
  db: Db;
  sessions: SessionStore;
  issuer: SessionIssuer;
  notifier: SessionEndNotifier;
  lockouts: LockoutStore;
  captcha: CaptchaService;
  /** Null without CA_ROOTS_FILE: CA is then never offered. */
  ca: CaVerifier | null;
  gates: TimeGates;
  limits: HubLimits;
  events: EventSink;
  clock: Clock;
  log: Logger;
}
