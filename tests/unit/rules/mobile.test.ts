import { describe, expect, it } from "vitest";
import { errorMessage } from "../../../shared/errors";
import { checkMobile } from "../../../shared/rules";

describe("checkMobile", () => {
  it.each([
    ["13812345678", "13812345678"],
    ["19912345678", "19912345678"],
    ["14712345678", "14712345678"],
    ["16612345678", "16612345678"],
    ["17012345678", "17012345678"],
    ["+8613812345678", "13812345678"],
    ["8613812345678", "13812345678"],
    ["008613812345678", "13812345678"],
    ["+86 138-1234-5678", "13812345678"],
    ["138 1234 5678", "13812345678"],
    [" 138-1234-5678 ", "13812345678"],
    ["＋86 １３８１２３４５６７８", "13812345678"],
  ])("accepts %j as %s", (input, value) => {
    expect(checkMobile(input)).toEqual({ ok: true, value });
  });

  it.each([
    "",
    "12812345678", // 12x is no mobile block
    "10012345678",
    "1381234567", // 10 digits
    "138123456789", // 12 digits
    "+85261234567", // Hong Kong
    "+8612812345678",
    "+86+8613812345678",
    "86",
    "1381234567a",
    "138_1234_5678",
    "138.1234.5678",
  ])("refuses %j", (input) => {
    expect(checkMobile(input)).toEqual({
      ok: false,
      code: "MOBILE_INVALID",
      message: errorMessage("MOBILE_INVALID"),
    });
  });
});
