import { describe, expect, it } from "vitest";
import {
  checkDeclarationPassword,
  checkPassword,
  PASSWORD_HINT,
  passwordClasses,
} from "../../../shared/rules";
import { accepts, refuses, refusesWith } from "./tables";

describe("checkPassword (seed 2.1)", () => {
  it.each([
    ["Abcdef1!", "all four kinds, 8 characters"],
    ["Abcdefg1", "upper, lower, digit"],
    ["abcdef1!", "lower, digit, special"],
    ["ABCDEF1!", "upper, digit, special"],
    ["Abcdefg!", "upper, lower, special"],
    ["Abcdefgh1234567", "15 characters"],
    ["a1~`\\|{}", "lower, digit and the rarer specials"],
  ])("accepts %s (%s) unchanged", (password) => {
    expect(checkPassword(password)).toEqual({ ok: true, value: password });
  });

  refusesWith(checkPassword, [
    ["", "PASSWORD_LENGTH", "nothing"],
    ["Abc1!xy", "PASSWORD_LENGTH", "7 characters"],
    ["Abcdefgh12345678", "PASSWORD_LENGTH", "16 characters"],
    ["abcdefgh", "PASSWORD_CLASSES", "lower case only"],
    ["abcdefg1", "PASSWORD_CLASSES", "two kinds: lower, digit"],
    ["abcd!@#$", "PASSWORD_CLASSES", "two kinds: lower, special"],
    ["12345678", "PASSWORD_CLASSES", "digits only"],
    ["Abc 123!", "PASSWORD_WHITESPACE", "a space"],
    [" Abc123!x", "PASSWORD_WHITESPACE", "a leading space (never trimmed)"],
    ["Abc\t123!", "PASSWORD_WHITESPACE", "a tab"],
    ["Abc\u3000123!", "PASSWORD_WHITESPACE", "an ideographic space"],
    ["Abc中文123!", "PASSWORD_CHARS", "Chinese characters"],
    ["Ａbcdefg1", "PASSWORD_CHARS", "a full-width letter"],
    ["Abcdéfg1", "PASSWORD_CHARS", "an accented letter"],
    ["Abcdefg1\u0000", "PASSWORD_CHARS", "a control character"],
    ["Abcdefg1\uD800", "PASSWORD_CHARS", "a lone surrogate"],
  ]);

  it("lists the kinds a password holds, for the checklist", () => {
    expect(passwordClasses("")).toEqual({ upper: false, lower: false, digit: false, special: false });
    expect(passwordClasses("Ab1!")).toEqual({ upper: true, lower: true, digit: true, special: true });
    expect(passwordClasses("abc中")).toEqual({ upper: false, lower: true, digit: false, special: false });
  });

  it("counts every printable ASCII punctuation mark as special, and nothing else", () => {
    const specials = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    for (const ch of specials) expect(passwordClasses(ch).special).toBe(true);
    for (const ch of " 中·。，！Ａ\u00A0") expect(passwordClasses(ch).special).toBe(false);
  });

  it("tells the rule in the seed's words", () => {
    expect(PASSWORD_HINT).toContain("密码由8-15位的字母大小写、数字、特殊字符其中三种或以上组成，不允许空格");
  });
});

describe("checkDeclarationPassword", () => {
  const unchanged = (p: string): [string, string] => [p, p];
  accepts(
    checkDeclarationPassword,
    ["Abcd1234", "abcdefgh", "12345678", "A1".repeat(10)].map(unchanged),
    "accepts %s unchanged",
  );

  refuses(checkDeclarationPassword, "DECLARATION_PASSWORD_FORMAT", [
    "",
    "Abc1234",
    `${"A1".repeat(10)}x`,
    "Abcd 1234",
    " Abcd1234",
    "Abcd_1234",
    "Abcd1234中",
    "Ａbcd1234",
  ]);
});
