import type { Logger } from "pino";
import type { Bus } from "../bus/bus";
import type { CaptchaService } from "../captcha/service";
import type { EventSink } from "../events/sink";
import type { Clock } from "../kernel/clock";
import type { HubLimits } from "../limits";
import type { LockoutStore } from "../lockout/store";
import type { SessionIssuer } from "../sessions/issuer";
import type { SessionStore } from "../sessions/store";
import type { Db } from "../store";

/** What password login needs, on the socket and over HTTP. */
export interface LoginDeps {
  nodeId: string;
  /** For the 忘记密码 link a lock answers with. */
  publicUrl: string;
  db: Db;
  /** App and portal sessions (HTTP login). */
  sessions: SessionStore;
  /** Client sessions (socket login). */
  issuer: SessionIssuer;
  lockouts: LockoutStore;
  captcha: CaptchaService;
  limits: HubLimits;
  /** The login limits per IP and per account are counted here, over all nodes. */
  bus: Bus;
  events: EventSink;
  clock: Clock;
  log: Logger;
}
