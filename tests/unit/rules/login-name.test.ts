import { describe, expect, it } from "vitest";
import { checkLoginName, LOGIN_NAME_HINT } from "../../../shared/rules";
import { accepts, refusesWith } from "./tables";

describe("checkLoginName (seed 2.1)", () => {
  accepts(checkLoginName, [
    ["张三", "张三"],
    ["Zhang_San", "Zhang_San"],
    ["zhang_san", "zhang_san"],
    ["_1", "_1"],
    ["a1", "a1"],
    ["税务2019", "税务2019"],
    [" 李四 ", "李四"],
    ["𠀀𠀁", "𠀀𠀁"], // U+20000 U+20001, extension B: two characters
    ["a𠀀", "a𠀀"],
    ["王𪚥", "王𪚥"], // U+2A6A5, extension B
    ["李𰻞", "李𰻞"], // U+30EDE biáng, extension G
    ["赵𱍐", "赵𱍐"], // U+31350, extension H
    ["钱𮯰", "钱𮯰"], // U+2EBF0, extension I
    ["孙䶵", "孙䶵"], // U+4DB5, extension A
    ["a".repeat(16), "a".repeat(16)],
    ["𠀀".repeat(16), "𠀀".repeat(16)], // 32 UTF-16 units, 16 characters
    ["张".repeat(16), "张".repeat(16)],
    ["\uF900a", "\u8C48a"], // a compatibility ideograph is the same name as its unified twin (NFC)
  ]);

  it("keeps upper and lower case apart", () => {
    const a = checkLoginName("Zhang");
    const b = checkLoginName("zhang");
    expect(a.ok && b.ok && a.value !== b.value).toBe(true);
  });

  refusesWith(
    checkLoginName,
    [
      ["", "LOGIN_NAME_LENGTH"],
      ["a", "LOGIN_NAME_LENGTH"],
      ["𠀀", "LOGIN_NAME_LENGTH"], // U+20000 is one character, though two UTF-16 units
      ["a".repeat(17), "LOGIN_NAME_LENGTH"],
      ["𠀀".repeat(17), "LOGIN_NAME_LENGTH"],
      ["张".repeat(17), "LOGIN_NAME_LENGTH"],
      ["12", "LOGIN_NAME_DIGITS_ONLY"],
      ["13812345678", "LOGIN_NAME_DIGITS_ONLY"],
      ["1234567890123456", "LOGIN_NAME_DIGITS_ONLY"],
      ["zhang san", "LOGIN_NAME_CHARS"],
      ["zhang-san", "LOGIN_NAME_CHARS"],
      ["zhang.san", "LOGIN_NAME_CHARS"],
      ["张三!", "LOGIN_NAME_CHARS"],
      ["ｚｈａｎｇ", "LOGIN_NAME_CHARS"], // full-width letters
      ["１２ab", "LOGIN_NAME_CHARS"], // full-width digits
      ["Zoë_1", "LOGIN_NAME_CHARS"], // letters are A–Z a–z only
      ["😀a", "LOGIN_NAME_CHARS"],
      ["⺀a", "LOGIN_NAME_CHARS"], // a CJK radical, not a character
      ["々a", "LOGIN_NAME_CHARS"], // the iteration mark
      ["张·三", "LOGIN_NAME_CHARS"],
      ["a\u0000b", "LOGIN_NAME_CHARS"],
      ["a\u200Bb", "LOGIN_NAME_CHARS"], // zero-width space
      ["\uD840a", "LOGIN_NAME_CHARS"], // a lone high surrogate
      ["a\uDC00", "LOGIN_NAME_CHARS"], // a lone low surrogate
    ],
    "refuses %j with %s",
  );

  it("tells the rule in the seed's words", () => {
    expect(LOGIN_NAME_HINT).toContain(
      "登录名应为2-16位字符，可由大小写字母、数字、中文、下划线构成，不支持纯数字",
    );
  });
});
