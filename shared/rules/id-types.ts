import { z } from "zod";
import { fail, ok, type RuleResult } from "./result";

/** The ID types the registration forms offer, in the order they list them. */
export const ID_TYPES = [
  "居民身份证",
  "中国护照",
  "港澳居民来往内地通行证",
  "台湾居民来往大陆通行证",
  "外国护照",
  "外国人永久居留身份证",
  "港澳居民居住证",
  "台湾居民居住证",
] as const;

export const IdTypeSchema = z.enum(ID_TYPES);
export type IdType = z.infer<typeof IdTypeSchema>;

export function isIdType(s: unknown): s is IdType {
  return typeof s === "string" && (ID_TYPES as readonly string[]).includes(s);
}

/** An ID type as the form sends it: exactly one of the names above. */
export function checkIdType(s: string): RuleResult<IdType> {
  return isIdType(s) ? ok(s) : fail("ID_TYPE_INVALID");
}

/** seed 1.1: people registered with any other ID type "请使用登录名或手机号码登录". */
export function canLoginByIdNumber(t: IdType): boolean {
  return t === "居民身份证";
}

/** seed 2.2.2: "人脸识别认证注册……仅支持居民身份证". */
export function canRegisterByFace(t: IdType): boolean {
  return t === "居民身份证";
}
