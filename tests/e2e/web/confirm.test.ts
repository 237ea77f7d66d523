import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeClient } from "../../support/fake-client";
import { launchPhone, launchPhoneSeeing, type PhoneBrowser } from "../../support/phone-browser";
import { type Account, appToken, logInOnForm, type PagesHub, pagesHub, registered } from "./world";

// seed 1.2 扫码登录 on the phone: /app/qr/<id> (scanned, or opened by a camera app following the QR's URL)
// → 登录 if need be → who asks → 「确认登录」 or 「取消」; the client hears each step on its socket.

let w: PagesHub;
let person: Account;
let other: Account;
let phone: PhoneBrowser;
let page: Page;
const clients: FakeClient[] = [];

beforeAll(async () => {
  w = await pagesHub();
  person = await registered(w, { name: "张三" });
  other = await registered(w, { name: "李四" });
  phone = await launchPhone({ camera: false });
  page = phone.page;
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.close();
});
afterAll(async () => {
  await phone?.close();
  await w?.close();
});

async function clientWithTicket() {
  const client = await FakeClient.connect(w.url, { label: "扣缴客户端" });
  clients.push(client);
  return { client, ticket: await client.issue() };
}

/** The app's login on this phone, on its login page. */
async function logIn(p: Page): Promise<void> {
  if (!new URL(p.url()).pathname.startsWith("/app/login")) await p.goto(`${w.url}/app/login`);
  await logInOnForm(p, person);
  await p.waitForURL((u) => !u.pathname.startsWith("/app/login"));
}

/** Logged in already (from an earlier test) or now. */
async function ensureLoggedIn(p: Page): Promise<void> {
  await p.goto(`${w.url}/app`);
  if (!(await p.evaluate(() => localStorage.getItem("shiming.app.session")))) await logIn(p);
  await p.waitForSelector("[data-testid=who]");
}

async function logOut(p: Page): Promise<void> {
  await p.goto(`${w.url}/app`);
  await p.evaluate(() => localStorage.clear());
}

/** Opened from a link: the page asks first; the person says it is them at the computer. */
async function continueFromLink(p: Page): Promise<void> {
  await p.waitForSelector("[data-state=link]");
  await p.getByRole("button", { name: "是我本人在电脑上操作，继续" }).click();
}

const facts = (p: Page) =>
  p.$$eval(".facts dt", (dts) =>
    Object.fromEntries(dts.map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])),
  );

describe("the confirm screen opened straight from the QR's URL", () => {
  it("asks for the login first and comes back to the same ticket", async () => {
    const { ticket } = await clientWithTicket();
    await logOut(page);
    await page.goto(ticket.url);
    await page.waitForURL(/\/app\/login\?next=/);
    expect(new URL(page.url()).searchParams.get("next")).toBe(`/app/qr/${ticket.ticketId}`);
    expect(await page.textContent(".notice")).toBe("登录后即可确认扫码登录扣缴客户端");
  });

  it("shows who asks before confirming, and the client is logged in after 确认登录", async () => {
    const { client, ticket } = await clientWithTicket();
    await logOut(page);
    await page.goto(ticket.url);
    await page.waitForURL(/\/app\/login/);
    await logInOnForm(page, person);
    await page.waitForURL(ticket.url);

    // Opened from a link, not from 扫一扫: a warning first, and nothing is sent until the person says so.
    await page.waitForSelector("[data-state=link]");
    expect(await page.textContent("[data-notice=link]")).toContain("此页面不是通过「扫一扫」打开的");
    expect(client.all("qr.state")).toEqual([]);
    await continueFromLink(page);
    await page.waitForSelector("[data-state=ask]");
    expect(await facts(page)).toMatchObject({
      客户端: "扣缴客户端",
      版本: "0.1.0",
      操作系统: "未说明",
      IP地址: "127.0.0.1",
      所在地: "本机",
      来源: "扣缴客户端扩展（Chrome）ID gemoagmjadfmmikgdackfaemdplgjkgk",
      登录账号: "张三",
    });
    expect((await facts(page)).请求时间).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    // Posted after the step: the client shows 已扫描 while the person reads (masked there: anyone may see a PC).
    expect((await client.state(ticket.ticketId, "scanned")).maskedName).toBe("*三");

    await page.getByRole("button", { name: "确认登录" }).click();
    await expect.poll(() => page.textContent("[role=status] h2")).toBe("登录成功");
    expect((await client.state(ticket.ticketId, "confirmed")).grant).toBeTruthy();
  });

  it("tells the client when the person cancels", async () => {
    await ensureLoggedIn(page);
    const { client, ticket } = await clientWithTicket();
    await page.goto(ticket.url);
    await continueFromLink(page);
    await page.waitForSelector("[data-state=ask]");
    await page.getByRole("button", { name: "取消" }).click();
    await expect.poll(() => page.textContent("[role=status] h2")).toBe("已取消登录");
    expect((await client.state(ticket.ticketId, "cancelled")).state).toBe("cancelled");
  });

  it("says a used QR has been used when it is opened again", async () => {
    await ensureLoggedIn(page);
    const { client, ticket } = await clientWithTicket();
    await page.goto(ticket.url);
    await continueFromLink(page);
    await page.getByRole("button", { name: "确认登录" }).click();
    await client.completeLogin(ticket);
    await page.goto(ticket.url);
    await expect.poll(() => page.textContent("[role=status] h2")).toBe("二维码已使用");
  });

  it("says an expired QR has expired", async () => {
    await ensureLoggedIn(page);
    const { client, ticket } = await clientWithTicket();
    w.clock.advance(121_000); // QR_TTL_S is 120
    await page.goto(ticket.url);
    await expect.poll(() => page.textContent("[role=status] h2")).toBe("二维码已失效");
    expect(await page.textContent(".outcome")).toContain("请在扣缴客户端刷新二维码后重新扫描");
    expect((await client.state(ticket.ticketId, "expired")).state).toBe("expired");
    expect(await page.$('button:has-text("确认登录")')).toBeNull();
  });

  it("says a QR another phone scanned cannot be confirmed here", async () => {
    await ensureLoggedIn(page);
    const { ticket } = await clientWithTicket();
    const scanned = await fetch(`${w.url}/api/app/qr/${ticket.ticketId}/scan`, {
      method: "POST",
      headers: { authorization: `Bearer ${await appToken(w, other)}` },
    });
    expect(scanned.status).toBe(200);
    await page.goto(ticket.url);
    await expect.poll(() => page.textContent("[role=status] h2")).toBe("二维码已被扫描");
  });
});

describe("scanning the client's QR with the phone camera", () => {
  it("reads the QR a client got and lands on its confirm screen", async () => {
    const { client, ticket } = await clientWithTicket();
    const camera = await launchPhoneSeeing(ticket.url);
    try {
      await logIn(camera.page);
      await camera.page.waitForSelector("[data-testid=who]");
      await camera.page.getByRole("link", { name: "扫一扫" }).first().click();
      await camera.page.waitForURL(ticket.url);
      await camera.page.waitForSelector("[data-state=ask]");
      await client.state(ticket.ticketId, "scanned");
      await camera.page.getByRole("button", { name: "确认登录" }).click();
      await client.state(ticket.ticketId, "confirmed");
    } finally {
      await camera.close();
    }
  });
});
