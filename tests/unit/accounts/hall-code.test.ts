import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  generateHallCode,
  type HallCodeRow,
  hallCodeHash,
  hallCodeStateError,
  judgeHallCode,
} from "../../../server/accounts/hall-code";
import { checkHallCode, HALL_CODE_ALPHABET } from "../../../shared/rules";

const NOW = new Date("2026-03-02T01:00:00Z");
const LATER = new Date("2026-03-09T01:00:00Z");
const H = hallCodeHash("K7M2QP", "居民身份证", "110101199003074514");

const row = (over: Partial<HallCodeRow> = {}): HallCodeRow => ({
  id: "c1",
  codeHash: H,
  name: "张三",
  nationality: null,
  expiresAt: LATER,
  tries: 0,
  usedAt: null,
  voidedAt: null,
  voidReason: null,
  ...over,
});
const attempt = (
  over: Partial<{ codeHash: string; name: string; nationality: string | undefined }> = {},
) => ({
  codeHash: H,
  name: "张三",
  nationality: undefined,
  ...over,
});

describe("hall codes", () => {
  it("are six characters of the rules' alphabet, from the picker given", () => {
    expect(generateHallCode(() => 0)).toBe(HALL_CODE_ALPHABET[0]?.repeat(6));
    for (let i = 0; i < 200; i++) {
      const code = generateHallCode();
      expect(checkHallCode(code)).toEqual({ ok: true, value: code });
    }
    fc.assert(
      fc.property(fc.array(fc.nat(30), { minLength: 6, maxLength: 6 }), (picks) => {
        const code = generateHallCode(() => picks.shift() ?? 0);
        expect(checkHallCode(code).ok).toBe(true);
      }),
    );
  });

  it("hash the same whatever the letter case and spacing, and differently per identity", () => {
    expect(hallCodeHash(" k7m2qp ", "居民身份证", "110101199003074514")).toBe(H);
    expect(hallCodeHash("K7M2QP", "居民身份证", "110105198512240024")).not.toBe(H);
    expect(hallCodeHash("K7M2QP", "外国护照", "110101199003074514")).not.toBe(H);
  });
});

describe("judging a registration attempt against the identity's codes", () => {
  const other = hallCodeHash("AAAAAA", "居民身份证", "110101199003074514");
  it.each<[string, HallCodeRow[], ReturnType<typeof attempt>, Date, object]>([
    ["a live matching code", [row()], attempt(), NOW, { ok: true }],
    [
      "a wrong code, 1st try",
      [row()],
      attempt({ codeHash: other }),
      NOW,
      { error: "HALL_CODE_MISMATCH", attemptsLeft: 4, countTry: { id: "c1", voids: false } },
    ],
    [
      "a wrong code, 5th try",
      [row({ tries: 4 })],
      attempt({ codeHash: other }),
      NOW,
      { error: "HALL_CODE_TOO_MANY_TRIES", attemptsLeft: 0, countTry: { id: "c1", voids: true } },
    ],
    ["the code at its expiry instant", [row()], attempt(), LATER, { error: "HALL_CODE_EXPIRED" }],
    ["a used code", [row({ usedAt: NOW })], attempt(), NOW, { error: "HALL_CODE_USED" }],
    [
      "a code voided by a new one",
      [row({ voidedAt: NOW, voidReason: "reissued" })],
      attempt(),
      NOW,
      { error: "HALL_CODE_VOIDED" },
    ],
    [
      "a code voided by wrong tries",
      [row({ voidedAt: NOW, voidReason: "tries" })],
      attempt(),
      NOW,
      { error: "HALL_CODE_TOO_MANY_TRIES" },
    ],
    [
      "another name",
      [row()],
      attempt({ name: "张叁" }),
      NOW,
      { error: "HALL_CODE_IDENTITY_MISMATCH", attemptsLeft: 4 },
    ],
    [
      "another nationality",
      [row({ nationality: "美国" })],
      attempt({ nationality: "英国" }),
      NOW,
      { error: "HALL_CODE_IDENTITY_MISMATCH" },
    ],
    ["no nationality typed (portal)", [row({ nationality: "美国" })], attempt(), NOW, { ok: true }],
    [
      "the new code after a reissue",
      [row({ voidedAt: NOW, voidReason: "reissued", codeHash: other }), row({ id: "c2" })],
      attempt(),
      NOW,
      { ok: true, code: { id: "c2" } },
    ],
  ])("%s", (_, rows, a, now, expected) => {
    expect(judgeHallCode(rows, a, now)).toMatchObject(expected);
  });

  it("counts no try when the identity has no live code to count it against", () => {
    const wrong = attempt({ codeHash: other });
    expect(judgeHallCode([], wrong, NOW)).toEqual({ ok: false, error: "HALL_CODE_MISMATCH" });
    expect(judgeHallCode([row({ usedAt: NOW })], wrong, NOW)).toEqual({
      ok: false,
      error: "HALL_CODE_MISMATCH",
    });
  });

  it("names why a code judged good can no longer be consumed", () => {
    expect(hallCodeStateError(row(), NOW)).toBeUndefined();
    expect(hallCodeStateError(row({ usedAt: NOW }), NOW)).toBe("HALL_CODE_USED");
    expect(hallCodeStateError(row({ voidedAt: NOW, voidReason: "reissued" }), NOW)).toBe("HALL_CODE_VOIDED");
    expect(hallCodeStateError(row(), LATER)).toBe("HALL_CODE_EXPIRED");
  });
});
