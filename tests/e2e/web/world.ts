import { existsSync } from "node:fs";
import { request } from "node:http";
import { resolve } from "node:path";
import type { Page } from "playwright-core";
import { issueHallCode } from "../../../server/hall/service";
import type { Hub } from "../../../server/hub";
import { type Clock, systemClock } from "../../../server/kernel/clock";
import { verifyPassword } from "../../../server/people/passwords";
import { findPersonByAccount, type Person } from "../../../server/people/store";
import { maskPhone } from "../../../shared/mask";
import { gb11643CheckChar } from "../../../shared/rules/id-number";
import type { IdType } from "../../../shared/rules/id-types";
import { eventually, testHub } from "../../support/hub-nodes";

// The world the page tests run in: one in-process hub serving the built pages, a clock the test can move
// forward (QR expiry without sleeping), the tax hall's counter, and the development SMS sender's codes
// read off the event stream — the pages never show them.

/** Real time plus an offset the test moves forward. */
export class ShiftClock implements Clock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  setTimer(ms: number, fn: () => void): () => void {
    return systemClock.setTimer(ms, fn);
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}

/** Every captcha these hubs draw shows this text, so a test can type it. */
export const CAPTCHA_TEXT = "ACEF";

export interface PagesHub {
  hub: Hub;
  clock: ShiftClock;
  url: string;
  close(): Promise<void>;
}

/** A hub for the page tests. `faceIds`: the 居民身份证 numbers the development portrait check accepts. */
export async function pagesHub(
  o: { faceIds?: string[]; env?: Record<string, string> } = {},
): Promise<PagesHub> {
  if (!existsSync(resolve(".output/web/app/index.html")))
    throw new Error("the phone pages are not built: run `npm run build:web` first");
  // The adapters read their test identities from the environment when the hub starts.
  process.env.DEV_FACE_ID_NUMBERS = (o.faceIds ?? []).join(",");
  const clock = new ShiftClock();
  const hub = await testHub(o.env ?? {}, { clock, captchaText: () => CAPTCHA_TEXT });
  return { hub, clock, url: hub.url, close: () => hub.close() };
}

let serial = 0;

/** A valid 居民身份证 number (Beijing 东城区, born 1990-03-07), different on every call in this run. */
export function residentId(): string {
  const seq = String((process.pid * 7 + ++serial) % 1000).padStart(3, "0");
  const first17 = `11010119900307${seq}`;
  return first17 + gb11643CheckChar(first17);
}

/** A mobile number of its own for each call. */
export function phoneNumber(): string {
  return `139${String((process.pid * 13 + ++serial * 7919) % 100_000_000).padStart(8, "0")}`;
}

export interface Identity {
  name: string;
  idType: IdType;
  idNumber: string;
  nationality?: string;
}

/** The hall gives this person a registration code (seed 2: 6 letters/digits, 7 days). */
export async function hallCode(w: PagesHub, who: Identity): Promise<string> {
  const issued = await issueHallCode(
    { db: w.hub.db, clock: w.clock, nodeId: "test", operator: "test-hall" },
    who,
  );
  return issued.code;
}

/** The SMS code the development sender last sent to `phone` (read from the event stream). */
export async function smsCode(w: PagesHub, phone: string, purpose?: string): Promise<string> {
  const masked = maskPhone(phone);
  const event = await eventually(async () =>
    (await w.hub.events.recent(200))
      .filter(
        (e) => e.kind === "sms.sent" && e.data.phone === masked && (!purpose || e.data.purpose === purpose),
      )
      .at(-1),
  );
  return String(event.data.code);
}

/** How many SMS codes went to `phone` so far. */
export async function smsCount(w: PagesHub, phone: string): Promise<number> {
  const masked = maskPhone(phone);
  return (await w.hub.events.recent(200)).filter((e) => e.kind === "sms.sent" && e.data.phone === masked)
    .length;
}

export interface Account extends Identity {
  loginName: string;
  password: string;
  phone: string;
}

/** Registers a person through the accounts API, as a test's given (the page tests do it on the pages). */
export async function registered(w: PagesHub, who: Partial<Account> = {}): Promise<Account> {
  const n = ++serial;
  const a: Account = {
    name: who.name ?? "王五",
    idType: who.idType ?? "居民身份证",
    idNumber: who.idNumber ?? residentId(),
    loginName: who.loginName ?? `user_${process.pid % 1000}_${n}`,
    password: who.password ?? "Passw0rd!",
    phone: who.phone ?? phoneNumber(),
    ...(who.nationality ? { nationality: who.nationality } : {}),
  };
  const post = (path: string, body: unknown) => postFromAside(`${w.url}${path}`, body);
  const code = await hallCode(w, a);
  const identity = { name: a.name, idType: a.idType, idNumber: a.idNumber };
  const verified = await post("/api/register/hall-code", {
    agreementVersion: "2019-11-09",
    channel: "app",
    hallCode: code,
    ...identity,
  });
  const registrationToken = String(verified.registrationToken);
  await post("/api/register/sms", { registrationToken, phone: a.phone });
  await post("/api/register/complete", {
    registrationToken,
    loginName: a.loginName,
    password: a.password,
    phone: a.phone,
    smsCode: await smsCode(w, a.phone, "register"),
  });
  return a;
}

/**
 * POSTs JSON from another loopback address (127.0.0.2 and up, a new one each call): the hub's per-IP
 * limits (5 SMS a minute) then count only what the browser under test sends from 127.0.0.1, not the
 * test's own setting up.
 */
export function postFromAside(url: string, body: unknown): Promise<Record<string, unknown>> {
  const localAddress = `127.0.0.${2 + (++serial % 250)}`;
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        localAddress,
        headers: { "content-type": "application/json", "content-length": data.length },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => {
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`${url}: ${res.statusCode} ${text}`));
          else resolve(JSON.parse(text) as Record<string, unknown>);
        });
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

/** The app's login for an account through the API, from the side (for a second phone, a given). */
export async function appToken(w: PagesHub, a: { loginName: string; password: string }): Promise<string> {
  const r = await postFromAside(`${w.url}/api/app/login`, { account: a.loginName, password: a.password });
  return String(r.token);
}

/** Five wrong passwords through the app login API (each after the first with a captcha): locked. */
export async function lockAccount(w: PagesHub, a: { loginName: string }): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const captcha =
      i === 0
        ? {}
        : {
            captcha: {
              id: (await postFromAside(`${w.url}/api/app/captcha`, { purpose: "login" })).id,
              answer: CAPTCHA_TEXT,
            },
          };
    await postFromAside(`${w.url}/api/app/login`, {
      account: a.loginName,
      password: "Wrong#000",
      ...captcha,
    }).then(
      () => {
        throw new Error("a wrong password logged in");
      },
      (err: Error) => {
        if (!/ 40[13] | 423 /.test(err.message)) throw err;
      },
    );
  }
}

/** Logs in on the page's login form (the phone's /app/login or the portal's), as a person would. */
export async function logInOnForm(
  page: Page,
  a: { loginName: string; password: string },
  prefix = "login",
): Promise<void> {
  await page.fill(`#${prefix}-account`, a.loginName);
  await page.fill(`#${prefix}-password`, a.password);
  await page.getByRole("button", { name: "登录", exact: true }).click();
}

/** The stored person for an account, as login would find them. */
export async function personByAccount(w: PagesHub, account: string): Promise<Person | null> {
  const found = await findPersonByAccount(w.hub.db, account);
  return found.found ? found.person : null;
}

/** Whether `password` is now the person's password (what the login checks). */
export async function passwordWorks(w: PagesHub, account: string, password: string): Promise<boolean> {
  return verifyPassword(await personByAccount(w, account), password);
}

/** The text of the page's alert (the hub's message), once there is one. */
export async function alertText(page: Page): Promise<string> {
  const alert = page.locator("[role=alert]").first();
  await alert.waitFor();
  return (await alert.textContent()) ?? "";
}
