import { z } from "zod";
import { MAX_FRAME_BYTES } from "../shared/protocol";

// Every limit of the hub in one place, each with its default. HUB_LIMITS (JSON) overrides any of them,
// e.g. HUB_LIMITS='{"ticketsPerIpPerMinute":1000}' for a load test from one address.
const ms = z.number().int().min(1);
const count = z.number().int().min(1);
/** A delay that may be switched off (0). */
const delay = z.number().int().min(0);

export const HubLimits = z.strictObject({
  /** Largest client frame in bytes; bigger closes the socket with 1009. */
  maxPayload: count.default(MAX_FRAME_BYTES),
  /** The first message must be hello within this time. */
  helloTimeoutMs: ms.default(10_000),
  /** Ping every this often; a socket that missed the previous pong is terminated. */
  heartbeatMs: ms.default(30_000),
  /** After our close frame, wait this long for the client's before dropping the socket. */
  closeTimeoutMs: ms.default(5_000),
  /** Messages a socket may send per second; the excess is ignored with RATE_LIMITED. */
  messagesPerSecond: count.default(20),
  /** Past this many in one second the socket is closed (policy). */
  floodMessagesPerSecond: count.default(60),
  /** Malformed messages a socket may send before it is closed (policy). */
  badMessagesBeforeClose: count.default(10),
  /** QR tickets one client socket may ask for per minute (refreshes included). */
  ticketsPerConnectionPerMinute: count.default(6),
  /** QR tickets one IP address may ask for per minute, over all nodes. */
  ticketsPerIpPerMinute: count.default(30),
  /** While a ticket waits, its QR's content changes this often; the previous content is refused. */
  qrRotateMs: ms.default(30_000),
  /** Scans one phone session may make per minute, over all nodes. */
  scansPerPhonePerMinute: count.default(10),
  /** Captcha images one client socket may ask for per minute. */
  captchasPerConnectionPerMinute: count.default(20),
  /** App / portal logins (and captcha images) one IP address may ask for per minute, over all nodes. */
  appLoginsPerIpPerMinute: count.default(30),
  /** Accounts API, per IP address per minute over all nodes: hall-code and face attempts. */
  identityPerIpPerMinute: count.default(10),
  /** … SMS sends (each phone also has its own 60 s interval). */
  smsPerIpPerMinute: count.default(5),
  /** … registration completions. */
  completionsPerIpPerMinute: count.default(10),
  /** … password resets by SMS (忘记密码). */
  recoveriesPerIpPerMinute: count.default(10),
  /** On SIGTERM / SIGINT, requests in flight (and each socket's message in progress) may finish this long. */
  drainMs: ms.default(10_000),
  /** Client sockets one node holds at most. */
  maxConnections: count.default(20_000),
  /** Client sockets one IP address may hold on one node, so one address cannot take every slot. */
  connectionsPerIp: count.default(200),
  // Password logins (socket `login.password` and POST /api/app/login alike). Every try counts, whatever
  // its answer (unknown account, wrong password, disallowed ID-number login, right password), before
  // the account is even looked up; see the README's "Abuse limits (ASVS 6.1.1)".
  /** … per IP address per minute, over all nodes and both fronts. */
  loginsPerIpPerMinute: count.default(10),
  /** … per IP address per hour, over all nodes and both fronts (a patient attacker). */
  loginsPerIpPerHour: count.default(100),
  /** … per account (the person, or what was typed when no one has it) per minute, over all nodes. */
  loginsPerAccountPerMinute: count.default(10),
  /** … per client socket per minute. */
  loginsPerConnectionPerMinute: count.default(6),
  /** A wrong password's answer waits this long times 2^(wrong tries before it), capped below. */
  loginFailureDelayMs: delay.default(250),
  /** The longest a wrong password's answer waits. */
  loginFailureDelayMaxMs: delay.default(2_000),
  /** Declaration passwords a person may try, per hour over all nodes, for companies they have no link to. */
  declarationTriesPerPersonPerHour: count.default(10),
  /** Distinct people with no link to a company who locked themselves out of it (5 wrong each) that lock it. */
  declarationStrangersToLock: count.default(3),
});
export type HubLimits = z.infer<typeof HubLimits>;

export const DEFAULT_LIMITS: HubLimits = HubLimits.parse({});

/** Partial overrides, as HUB_LIMITS carries them. */
export const HubLimitsOverride = HubLimits.partial();
export type HubLimitsOverride = z.infer<typeof HubLimitsOverride>;

export function resolveLimits(...overrides: (HubLimitsOverride | undefined)[]): HubLimits {
  return HubLimits.parse(Object.assign({}, ...overrides.filter(Boolean)));
}
