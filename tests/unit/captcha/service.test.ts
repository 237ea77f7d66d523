import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { MemoryOneUseStore } from "../../../server/bus/one-use";
import { CAPTCHA_HEIGHT, CAPTCHA_WIDTH } from "../../../server/captcha/image";
import {
  CAPTCHA_ALPHABET,
  CAPTCHA_LENGTH,
  CAPTCHA_TTL_MS,
  CaptchaService,
  randomCaptchaText,
} from "../../../server/captcha/service";
import { Captcha } from "../../../shared/protocol";

const t0 = new Date("2024-03-01T08:00:00.000Z");

function setup(text = "AC7K") {
  let clock = t0.getTime();
  const store = new MemoryOneUseStore({ now: () => clock });
  const service = new CaptchaService({ store, newText: () => text });
  return { service, store, advance: (ms: number) => (clock += ms), now: () => new Date(clock) };
}

describe("captcha service", () => {
  it("issues a single-use PNG captcha the protocol accepts, expiring in 5 minutes", async () => {
    const { service } = setup();
    const issued = await service.issue("login", t0);
    expect(Captcha.safeParse({ type: "captcha", ...issued }).success).toBe(true);
    expect(issued.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(issued.expiresAt).toBe(new Date(t0.getTime() + CAPTCHA_TTL_MS).toISOString());
    const png = PNG.sync.read(Buffer.from(issued.image.replace("data:image/png;base64,", ""), "base64"));
    expect([png.width, png.height]).toEqual([CAPTCHA_WIDTH, CAPTCHA_HEIGHT]);
    expect(issued.image.length).toBeLessThan(32 * 1024);
  });

  it("accepts the right answer in any case, once", async () => {
    const { service } = setup();
    const { id } = await service.issue("login", t0);
    expect(await service.check("login", { id, answer: "ac7k" }, t0)).toEqual({ ok: true });
    expect(await service.check("login", { id, answer: "ac7k" }, t0)).toEqual({
      ok: false,
      code: "CAPTCHA_EXPIRED",
    });
  });

  it("accepts full-width letters typed with a Chinese input method", async () => {
    const { service } = setup();
    const { id } = await service.issue("declaration", t0);
    expect(await service.check("declaration", { id, answer: "ａｃ７ｋ" }, t0)).toEqual({ ok: true });
  });

  it("burns the captcha on a wrong answer, so the right one afterwards is refused", async () => {
    const { service } = setup();
    const { id } = await service.issue("login", t0);
    expect(await service.check("login", { id, answer: "AC7X" }, t0)).toEqual({
      ok: false,
      code: "CAPTCHA_WRONG",
    });
    expect(await service.check("login", { id, answer: "AC7K" }, t0)).toEqual({
      ok: false,
      code: "CAPTCHA_EXPIRED",
    });
  });

  it("refuses a captcha issued for the login when the declaration password step shows it", async () => {
    const { service } = setup();
    const { id } = await service.issue("login", t0);
    expect(await service.check("declaration", { id, answer: "AC7K" }, t0)).toEqual({
      ok: false,
      code: "CAPTCHA_WRONG",
    });
  });

  it.each([
    ["4:59.999", CAPTCHA_TTL_MS - 1, { ok: true }],
    ["5:00", CAPTCHA_TTL_MS, { ok: false, code: "CAPTCHA_EXPIRED" }],
  ])("at %s after issue the captcha is (not) expired", async (_label, elapsed, expected) => {
    const { service, advance, now } = setup();
    const { id } = await service.issue("login", t0);
    advance(elapsed);
    expect(await service.check("login", { id, answer: "AC7K" }, now())).toEqual(expected);
  });

  it("treats an id it never issued as expired", async () => {
    const { service } = setup();
    expect(await service.check("login", { id: "A".repeat(22), answer: "AC7K" }, t0)).toEqual({
      ok: false,
      code: "CAPTCHA_EXPIRED",
    });
  });

  it("keeps neither the id nor the answer readable in the store", async () => {
    const puts: [string, string][] = [];
    const store = new MemoryOneUseStore({ now: () => t0.getTime() });
    const spy = {
      put: (k: string, v: string, ttl: number) => {
        puts.push([k, v]);
        return store.put(k, v, ttl);
      },
      take: (k: string) => store.take(k),
    };
    const { id } = await new CaptchaService({ store: spy, newText: () => "AC7K" }).issue("login", t0);
    const [key, value] = puts[0] ?? ["", ""];
    expect(`${key}${value}`).not.toContain(id);
    expect(`${key}${value}`.toUpperCase()).not.toContain("AC7K");
  });

  it("draws its text from the alphabet without look-alikes", () => {
    for (let i = 0; i < 200; i++) {
      const text = randomCaptchaText();
      expect(text).toHaveLength(CAPTCHA_LENGTH);
      for (const ch of text) expect(CAPTCHA_ALPHABET).toContain(ch);
    }
    for (const group of ["0OQD", "1IL", "2Z7", "5S", "6G", "8B", "UV", "4A", "PR"]) {
      expect([...group].filter((ch) => CAPTCHA_ALPHABET.includes(ch)).length, group).toBeLessThanOrEqual(1);
    }
    expect(CAPTCHA_ALPHABET).toHaveLength(21); // bench/support/known-captcha.ts counts on 21
  });
});
