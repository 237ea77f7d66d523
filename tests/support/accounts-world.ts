import type { Hono } from "hono";
import type { AccountsDeps } from "../../server/accounts/deps";
import { accountsRoutes } from "../../server/accounts/routes";
import { DevPortraitVerifier } from "../../server/adapters/portrait";
import { DevSmsSender } from "../../server/adapters/sms";
import { MemoryBus } from "../../server/bus/memory";
import { loadConfig } from "../../server/config";
import { MemorySink } from "../../server/events/sink";
import type { HallDeps } from "../../server/hall/service";
import { issueHallCode } from "../../server/hall/service";
import { answerHeaders } from "../../server/http/answer";
import { createApp } from "../../server/http/app";
import { ManualClock } from "../../server/kernel/clock";
import { type HubLimitsOverride, resolveLimits } from "../../server/limits";
import type { Db } from "../../server/store";
import { CURRENT_AGREEMENT } from "../../shared/api/accounts";

// A small world for driving the accounts API over HTTP (app.request) on a given store, with a clock
// the test moves and the dev adapters reporting into a MemorySink.

import type { Person } from "./people";

export { li, PASSPORT, type Person, RESIDENT, rare, residentId, smith, zhang } from "./people";

/** The hub's manual clock, started on a working morning, read as a Date where SQL rows are compared. */
export class TestClock extends ManualClock {
  constructor(start = new Date("2026-03-02T09:00:00+08:00")) {
    super(start.getTime());
  }
  date(): Date {
    return new Date(this.now());
  }
  /** Jumps to `at` (tests that switch to real time). */
  set t(at: Date) {
    this.current = at.getTime();
  }
}

const USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_W = [3, 7, 9, 10, 5, 8, 4, 2];
/** A valid unified social credit code (GB 32100, GB 11714 check characters) from 8 digits. */
export function taxId(org8: string): string {
  const o = 11 - ([...org8].reduce((acc, d, i) => acc + (ORG_W[i] as number) * Number(d), 0) % 11);
  const first17 = `91110105${org8}${o === 10 ? "X" : o === 11 ? "0" : String(o)}`;
  const c =
    31 - ([...first17].reduce((acc, ch, i) => acc + (USCC_W[i] as number) * USCC.indexOf(ch), 0) % 31);
  return first17 + USCC[c === 31 ? 0 : c];
}

/** A tiny JPEG-looking capture (the dev verifier only needs it non-empty and JPEG-marked). */
export const CAPTURE = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0xff, 0xd9,
]).toString("base64");

export const AGREEMENT = CURRENT_AGREEMENT.version;

/** The accounts API's per-IP limits, high enough that only a test that lowers one meets it. */
const PLENTY: HubLimitsOverride = {
  identityPerIpPerMinute: 10_000,
  smsPerIpPerMinute: 10_000,
  completionsPerIpPerMinute: 10_000,
  recoveriesPerIpPerMinute: 10_000,
};

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test answers are read loosely and asserted on
  body: any;
}

export interface World {
  db: Db;
  app: Hono;
  events: MemorySink;
  clock: TestClock;
  deps: AccountsDeps;
  hall: HallDeps;
  logs: string[];
  /** The caller's address the routes see (rate limits are per address). */
  ip: string;
  post(path: string, body: unknown): Promise<Answer>;
  /** The last SMS code the dev sender put in the event stream. */
  lastSmsCode(): string;
  issue(p: Person): Promise<string>;
  verify(p: Person, code: string, extra?: Record<string, unknown>): Promise<Answer>;
  /** Steps 2 and 3 with a registration token: SMS to the phone, then complete. */
  finish(token: string, account: Account): Promise<Answer>;
  /** The whole registration: hall code → SMS → complete. Returns the last answer. */
  register(p: Person, account: Account): Promise<Answer>;
}

export interface Account {
  loginName: string;
  phone: string;
  password?: string;
  householdRegion?: string;
}

export function makeWorld(
  db: Db,
  opts: {
    faces?: string[];
    limits?: HubLimitsOverride;
    adapters?: boolean;
    wrapDb?: (db: Db) => Db;
  } = {},
): World {
  const events = new MemorySink();
  const clock = new TestClock();
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  const adapters = opts.adapters ?? true;
  const deps: AccountsDeps = {
    db: opts.wrapDb ? opts.wrapDb(db) : db,
    events,
    clock,
    nodeId: "test-node",
    sms: adapters ? new DevSmsSender(events, log) : undefined,
    portrait: adapters ? new DevPortraitVerifier(opts.faces ?? [], events, log) : undefined,
  };
  const config = loadConfig({ NODE_ID: "test-node" });
  const app = createApp(config, answerHeaders(config), {
    "/api": accountsRoutes(deps, {
      bus: new MemoryBus(),
      limits: resolveLimits(PLENTY, opts.limits),
      clientIp: () => world.ip,
      log,
    }),
  });
  const hall: HallDeps = { db, clock, nodeId: "hall-test", operator: "counter-1", events };
  const world: World = {
    db,
    app,
    events,
    clock,
    deps,
    hall,
    logs,
    ip: "203.0.113.7",
    async post(path, body) {
      const res = await app.request(path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    },
    lastSmsCode() {
      const sent = events.ofKind("sms.sent");
      const code = sent[sent.length - 1]?.code;
      if (typeof code !== "string") throw new Error("no SMS code was sent");
      return code;
    },
    async issue(p) {
      return (await issueHallCode(hall, p)).code;
    },
    verify(p, code, extra = {}) {
      return world.post("/api/register/hall-code", {
        agreementVersion: AGREEMENT,
        channel: "portal",
        hallCode: code,
        ...p,
        ...extra,
      });
    },
    async finish(token, account) {
      const sms = await world.post("/api/register/sms", { registrationToken: token, phone: account.phone });
      if (sms.status !== 200) return sms;
      return world.post("/api/register/complete", {
        registrationToken: token,
        loginName: account.loginName,
        password: account.password ?? "Passw0rd!",
        phone: account.phone,
        smsCode: world.lastSmsCode(),
        householdRegion: account.householdRegion ?? "110101",
      });
    },
    async register(p, account) {
      const verified = await world.verify(p, await world.issue(p));
      if (verified.status !== 200) return verified;
      return world.finish(verified.body.registrationToken, account);
    },
  };
  return world;
}
