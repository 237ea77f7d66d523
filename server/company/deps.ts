import type { Logger } from "pino";
import type { AccountsDeps } from "../accounts/deps";
import type { SmsSender } from "../adapters/sms";
import type { Bus } from "../bus/bus";
import type { CaptchaService } from "../captcha/service";
import type { EventSink } from "../events/sink";
import type { Clock } from "../kernel/clock";
import type { HubLimits } from "../limits";
import type { LockoutStore } from "../lockout/store";
import type { SessionEndNotifier } from "../sessions/notify";
import type { SessionStore } from "../sessions/store";
import type { Db } from "../store";
import type { CaVerifier } from "./ca/verifier";
import type { TimeGates } from "./rules";

/** What the company steps need: the socket's (seed 1.3) and the legal representative's routes. */
export interface CompanyDeps {
  nodeId: string;
  /** For the links a declaration lock answers with (the reset pages). */
  publicUrl: string;
  db: Db;
  sessions: SessionStore;
  notifier: SessionEndNotifier;
  lockouts: LockoutStore;
  captcha: CaptchaService;
  /** Null without CA_ROOTS_FILE: CA is then never offered. */
  ca: CaVerifier | null;
  gates: TimeGates;
  /** Tries by people with no link to a company, across companies, over all nodes (./strangers.ts). */
  bus: Bus;
  limits: HubLimits;
  /** Tells the legal representative when people with no link lock their company (none configured: audit only). */
  sms: SmsSender | undefined;
  events: EventSink;
  clock: Clock;
  log: Logger;
}

/** The routes also send SMS codes and check them (server/accounts). */
export type CompanyRoutesDeps = CompanyDeps & { accounts: AccountsDeps };
