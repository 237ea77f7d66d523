import { describe, expect, it } from "vitest";
import {
  generateSmsCode,
  judgeSmsCode,
  judgeSmsSend,
  type SmsCodeRow,
  smsCodeHash,
} from "../../../server/accounts/sms-code";

const T0 = new Date("2026-03-02T01:00:00Z");
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const H = smsCodeHash("13812345678", "register", "123456");
const row = (over: Partial<SmsCodeRow> = {}): SmsCodeRow => ({
  id: "s1",
  codeHash: H,
  expiresAt: at(300),
  tries: 0,
  usedAt: null,
  ...over,
});

describe("SMS codes", () => {
  it("are 6 digits, zero-padded", () => {
    expect(generateSmsCode(() => 42)).toBe("000042");
    for (let i = 0; i < 100; i++) expect(generateSmsCode()).toMatch(/^\d{6}$/);
  });

  it("hash per phone and purpose, so a registration code cannot reset a password", () => {
    expect(smsCodeHash("13812345678", "reset_password", "123456")).not.toBe(H);
    expect(smsCodeHash("13812345670", "register", "123456")).not.toBe(H);
  });

  it.each([
    ["the first code", null, T0, { ok: true }],
    ["59 s after the last", T0, at(59), { ok: false, retryAfterS: 1 }],
    ["0.5 s after the last", T0, at(0.5), { ok: false, retryAfterS: 60 }],
    ["60 s after the last", T0, at(60), { ok: true }],
  ])("sends %s?", (_, last, now, expected) => {
    expect(judgeSmsSend(last, now)).toEqual(expected);
  });

  it.each<[string, SmsCodeRow | null, string, Date, object]>([
    ["the right code", row(), H, at(10), { ok: true, id: "s1" }],
    ["no code sent", null, H, at(10), { error: "SMS_CODE_NOT_SENT" }],
    ["the right code at 5 minutes", row(), H, at(300), { error: "SMS_CODE_EXPIRED" }],
    ["a used code", row({ usedAt: at(5) }), H, at(10), { error: "SMS_CODE_EXPIRED" }],
    ["a wrong code", row(), "x", at(10), { error: "SMS_CODE_WRONG", attemptsLeft: 4, countTry: "s1" }],
    [
      "the 5th wrong code",
      row({ tries: 4 }),
      "x",
      at(10),
      { error: "SMS_CODE_TOO_MANY_TRIES", attemptsLeft: 0, countTry: "s1" },
    ],
    [
      "the right code after 5 wrong",
      row({ tries: 5 }),
      H,
      at(10),
      { error: "SMS_CODE_TOO_MANY_TRIES", attemptsLeft: 0 },
    ],
  ])("judges %s", (_, latest, hash, now, expected) => {
    expect(judgeSmsCode(latest, hash, now)).toMatchObject(expected);
  });
});
