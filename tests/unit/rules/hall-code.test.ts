import { describe, expect, it } from "vitest";
import { errorMessage } from "../../../shared/errors";
import {
  checkHallCode,
  HALL_CODE_ALPHABET,
  HALL_CODE_TTL_MS,
  isHallCodeExpired,
  normalizeHallCode,
} from "../../../shared/rules";

describe("hall registration codes (seed 2.1: 6 random letters/digits, valid 7 days)", () => {
  it("draw from 31 characters that cannot be misread for one another", () => {
    expect(HALL_CODE_ALPHABET).toHaveLength(31);
    expect(new Set(HALL_CODE_ALPHABET).size).toBe(31);
    for (const lookAlike of "01OIL") expect(HALL_CODE_ALPHABET).not.toContain(lookAlike);
    expect(HALL_CODE_ALPHABET).toMatch(/^[0-9A-Z]+$/);
  });

  it("last exactly 7 days", () => {
    const issuedAt = new Date("2025-03-01T09:00:00+08:00");
    expect(HALL_CODE_TTL_MS).toBe(604_800_000);
    expect(isHallCodeExpired(issuedAt, new Date("2025-03-08T08:59:59.999+08:00"))).toBe(false);
    expect(isHallCodeExpired(issuedAt, new Date("2025-03-08T09:00:00+08:00"))).toBe(true);
  });

  it("compare case-insensitively: trimmed, half-width, upper case", () => {
    expect(normalizeHallCode(" ab2cd3 ")).toBe("AB2CD3");
    expect(normalizeHallCode("ＡＢ２ｃｄ３")).toBe("AB2CD3");
  });

  it.each([
    ["AB2CD3", "AB2CD3"],
    ["ab2cd3", "AB2CD3"],
    [" 789XYZ\n", "789XYZ"],
  ])("accepts %j as %s", (input, value) => {
    expect(checkHallCode(input)).toEqual({ ok: true, value });
  });

  it.each([
    "",
    "AB2CD",
    "AB2CD34",
    "AB0CD3",
    "ABOCD3",
    "AB1CD3",
    "ABICD3",
    "ABLCD3",
    "AB-CD3",
    "AB CD3",
    "张三李四王五",
  ])("refuses %j", (input) => {
    expect(checkHallCode(input)).toEqual({
      ok: false,
      code: "HALL_CODE_FORMAT",
      message: errorMessage("HALL_CODE_FORMAT"),
    });
  });
});
