import { describe, expect, it } from "vitest";
import {
  canLoginByIdNumber,
  canRegisterByFace,
  checkIdType,
  ID_TYPES,
  IdTypeSchema,
} from "../../../shared/rules";

describe("ID types", () => {
  it("are the eight the forms offer, in their order", () => {
    const asTheFormsList =
      "居民身份证 中国护照 港澳居民来往内地通行证 台湾居民来往大陆通行证 外国护照 外国人永久居留身份证 港澳居民居住证 台湾居民居住证";
    expect(ID_TYPES).toEqual(asTheFormsList.split(" "));
    expect(IdTypeSchema.options).toEqual([...ID_TYPES]);
  });

  it("let only resident identity card holders log in by ID number (seed 1.1)", () => {
    expect(ID_TYPES.filter(canLoginByIdNumber)).toEqual(["居民身份证"]);
  });

  it("let only resident identity card holders register by face (seed 2.2.2)", () => {
    expect(ID_TYPES.filter(canRegisterByFace)).toEqual(["居民身份证"]);
  });

  it("refuse a type not on the list", () => {
    expect(checkIdType("中国护照")).toEqual({ ok: true, value: "中国护照" });
    expect(checkIdType("护照")).toMatchObject({ ok: false, code: "ID_TYPE_INVALID" });
    expect(checkIdType("__proto__")).toMatchObject({ ok: false, code: "ID_TYPE_INVALID" });
    expect(IdTypeSchema.safeParse("军官证").success).toBe(false);
  });
});
