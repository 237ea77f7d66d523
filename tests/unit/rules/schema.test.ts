import { describe, expect, it } from "vitest";
import { z } from "zod";
import { errorBody, errorMessage } from "../../../shared/errors";
import { checkLoginName, checkMobile, checkTaxId, IdDocumentSchema, ruleSchema } from "../../../shared/rules";

describe("ruleSchema", () => {
  const Body = z.strictObject({ loginName: ruleSchema(checkLoginName), phone: ruleSchema(checkMobile) });

  it("outputs the rule's normalized value", () => {
    expect(Body.parse({ loginName: " 张三 ", phone: "+86 138-1234-5678" })).toEqual({
      loginName: "张三",
      phone: "13812345678",
    });
  });

  it("fails with the code in params and the Chinese text as the message, on the field's path", () => {
    const r = Body.safeParse({ loginName: "12345", phone: "13812345678" });
    expect(r.success).toBe(false);
    expect(r.error?.issues).toEqual([
      expect.objectContaining({
        code: "custom",
        path: ["loginName"],
        message: errorMessage("LOGIN_NAME_DIGITS_ONLY"),
        params: { code: "LOGIN_NAME_DIGITS_ONLY" },
      }),
    ]);
    const issue = r.error?.issues[0];
    if (issue?.code === "custom") expect(errorBody(issue.params?.code).message).toBe("登录名不支持纯数字");
  });

  it("still refuses what is not a string", () => {
    expect(ruleSchema(checkTaxId).safeParse(91350100).success).toBe(false);
    expect(ruleSchema(checkTaxId).safeParse(null).success).toBe(false);
  });
});

describe("IdDocumentSchema", () => {
  it("checks the number as its type expects and normalizes it", () => {
    expect(IdDocumentSchema.parse({ idType: "居民身份证", idNumber: "11010519491231002x" })).toEqual({
      idType: "居民身份证",
      idNumber: "11010519491231002X",
    });
    expect(IdDocumentSchema.parse({ idType: "中国护照", idNumber: "e12345678" })).toEqual({
      idType: "中国护照",
      idNumber: "E12345678",
    });
  });

  it("puts a bad number on the idNumber path with its code", () => {
    const r = IdDocumentSchema.safeParse({ idType: "居民身份证", idNumber: "110105194912310021" });
    expect(r.error?.issues).toEqual([
      expect.objectContaining({ path: ["idNumber"], params: { code: "ID_NUMBER_CHECKSUM" } }),
    ]);
  });

  it("refuses an unknown type or an extra key", () => {
    expect(IdDocumentSchema.safeParse({ idType: "军官证", idNumber: "12345678" }).success).toBe(false);
    expect(
      IdDocumentSchema.safeParse({ idType: "中国护照", idNumber: "E12345678", admin: true }).success,
    ).toBe(false);
  });
});
