import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkTaxId, orgCodeCheckChar, usccCheckChar } from "../../../shared/rules";
import { orgCheck, USCC_CHARS, usccCheck, withUsccChecks } from "./check-chars";
import { refusesWith } from "./tables";

describe("the unified social credit code's check characters", () => {
  // 91350100M000100Y43 by hand. Position 18, values from "0-9 A-H J-N P-R T U W-Y" (M=21, Y=30):
  //   9·1 + 1·3 + 3·9 + 5·27 + 0·19 + 1·26 + 0·16 + 0·17 + 21·20 + 0·29 + 0·25 + 0·13 + 1·8 + 0·24 + 0·10
  //   + 30·30 + 4·28 = 9+3+27+135+26+420+8+900+112 = 1640; 1640 mod 31 = 28; 31 - 28 = 3 ✓
  // Position 17, the organization code M000100Y with GB 11714's own values (M=22, Y=34), weights 3 7 9 10 5 8 4 2:
  //   22·3 + 1·5 + 34·2 = 66+5+68 = 139; 139 mod 11 = 7; 11 - 7 = 4 ✓
  it("are 4 and 3 for the standard example 91350100M000100Y43", () => {
    expect(orgCodeCheckChar("M000100Y")).toBe("4");
    expect(usccCheckChar("91350100M000100Y4")).toBe("3");
    expect(orgCheck("M000100Y")).toBe("4");
    expect(usccCheck("91350100M000100Y4")).toBe("3");
  });
});

describe("checkTaxId", () => {
  // The standard's example, then codes of registered bodies printed in public documents; each passes both
  // check characters (a chance pass of both is 1 in 341), computed by ./check-chars as well.
  it.each([
    ["91350100M000100Y43", "9 工商 / 1 企业, the GB 32100 example"],
    ["914403001922038216", "a 深圳 company"],
    ["9144030071526726XG", "a 深圳 company, org-code check X"],
    ["91110108551385082Q", "a 北京 海淀 company"],
    ["91330100716105852F", "a 杭州 company"],
    ["92510100MA61WJ3204", "9 / 2 个体工商户 (individual business), 成都"],
    ["52610500MJU60350X1", "5 民政 / 2 民办非企业单位"],
    ["51100000500019541K", "5 民政 / 1 社会团体, registered nationally (100000)"],
    ["11610923MB2900168E", "1 机构编制 / 1 机关"],
    ["121526004609138637", "1 机构编制 / 2 事业单位"],
    ["1134082855783407XL", "1 / 1, org-code check X"],
  ])("accepts %s (%s)", (code) => {
    expect(checkTaxId(code)).toEqual({ ok: true, value: code });
    expect(usccCheck(code.slice(0, 17))).toBe(code[17]);
    expect(orgCheck(code.slice(8, 16))).toBe(code[16]);
  });

  it("returns the code trimmed, half-width and in upper case", () => {
    expect(checkTaxId(" 91350100m000100y43 ")).toEqual({ ok: true, value: "91350100M000100Y43" });
    expect(checkTaxId("９１３５０１００Ｍ０００１００Ｙ４３")).toEqual({
      ok: true,
      value: "91350100M000100Y43",
    });
  });

  refusesWith(
    checkTaxId,
    [
      ["91350100M000100Y44", "TAX_ID_CHECKSUM", "check character 4 where 3 is due"],
      ["91350100M000100Y53", "TAX_ID_CHECKSUM", "organization code check 5 where 4 is due"],
      [
        "123456789012345678",
        "TAX_ID_CHECKSUM",
        "its 18th character happens to fit; the organization code's does not",
      ],
      ["91350100M000100Y4", "TAX_ID_INVALID", "17 characters"],
      ["91350100M000100Y431", "TAX_ID_INVALID", "19 characters"],
      ["91350100I000100Y43", "TAX_ID_INVALID", "I is not in the character set"],
      ["91350100M000100Y4O", "TAX_ID_INVALID", "O is not in the character set"],
      ["91350100M0S0100Y43", "TAX_ID_INVALID", "S is not in the character set"],
      ["91350100M000100V43", "TAX_ID_INVALID", "V is not in the character set"],
      ["91350100M000100Z43", "TAX_ID_INVALID", "Z is not in the character set"],
      ["01350100M000100Y43", "TAX_ID_INVALID", "registration authority 0"],
      ["B1350100M000100Y43", "TAX_ID_INVALID", "registration authority B"],
      ["9A350100M000100Y43", "TAX_ID_INVALID", "organization type A"],
      ["91A50100M000100Y43", "TAX_ID_INVALID", "a letter in the region"],
      ["9135 0100M000100Y43", "TAX_ID_INVALID", "a space inside"],
      ["350100M000100Y4", "TAX_ID_INVALID", "the old 15-character business registration number"],
      ["", "TAX_ID_INVALID", "nothing"],
    ],
    "refuses %s with %s (%s)",
  );
});

const usccChar = fc.constantFrom(...USCC_CHARS);
const validTaxId = fc
  .tuple(
    fc.constantFrom(..."123456789ANY"),
    fc.constantFrom(..."123456789"),
    fc.stringMatching(/^\d{6}$/),
    fc.array(usccChar, { minLength: 8, maxLength: 8 }),
  )
  .map(([authority, type, region, body]) => withUsccChecks(authority + type + region + body.join("")));

describe("generated unified social credit codes", () => {
  it("always pass", () => {
    fc.assert(
      fc.property(validTaxId, (code) => {
        expect(checkTaxId(code)).toEqual({ ok: true, value: code });
      }),
    );
  });

  it("always fail when a single character is changed", () => {
    const changed = fc.tuple(validTaxId, fc.nat(17), usccChar).filter(([code, at, ch]) => code[at] !== ch);
    fc.assert(
      fc.property(changed, ([code, at, ch]) => {
        expect(checkTaxId(code.slice(0, at) + ch + code.slice(at + 1)).ok).toBe(false);
      }),
    );
  });
});
