// TEMP rules stub (accounts branch): just what the accounts code needs, with the agreed signatures.
// The rules helper's real module replaces this file; the lead drops this commit when merging.
import { z } from "zod";
import type { ErrorCode } from "../errors";
import { isKnownRegionPrefix } from "./regions";

export type RuleResult<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

const ok = <T>(value: T): RuleResult<T> => ({ ok: true, value });
const no = (message: string, code: ErrorCode = "BAD_MESSAGE"): RuleResult<never> => ({
  ok: false,
  code,
  message,
});

export const ID_TYPES = [
  "居民身份证",
  "中国护照",
  "港澳居民来往内地通行证",
  "台湾居民来往大陆通行证",
  "外国护照",
  "外国人永久居留身份证",
] as const;
export const IdTypeSchema = z.enum(ID_TYPES);
export type IdType = z.infer<typeof IdTypeSchema>;

export const canLoginByIdNumber = (idType: IdType): boolean => idType === "居民身份证";
export const canRegisterByFace = (idType: IdType): boolean => idType === "居民身份证";

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = "10X98765432";

export function checkResidentIdNumber(s: string): RuleResult<string> {
  const v = s.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(v)) return no("证件号码格式不正确");
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(v[i]), 0);
  if (CHECK[sum % 11] !== v[17]) return no("证件号码格式不正确");
  if (!isKnownRegionPrefix(v.slice(0, 6))) return no("证件号码格式不正确");
  return ok(v);
}

export function checkIdNumber(idType: IdType, s: string): RuleResult<string> {
  if (idType === "居民身份证") return checkResidentIdNumber(s);
  const v = s.trim().toUpperCase();
  return /^[A-Z0-9]{5,20}$/.test(v) ? ok(v) : no("证件号码格式不正确");
}

export function checkLoginName(s: string): RuleResult<string> {
  if (!/^[A-Za-z0-9_\p{Script=Han}]{2,16}$/u.test(s) || /^\d+$/.test(s)) {
    return no("登录名应为2-16位字符，可由大小写字母、数字、中文、下划线构成，不支持纯数字");
  }
  return ok(s);
}

export function checkPassword(s: string): RuleResult<string> {
  const kinds = [/[A-Z]/, /[a-z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(s)).length;
  if (s.length < 8 || s.length > 15 || /\s/.test(s) || kinds < 3) {
    return no("密码由8-15位的字母大小写、数字、特殊字符其中三种或以上组成，不允许空格");
  }
  return ok(s);
}

export function checkDeclarationPassword(s: string): RuleResult<string> {
  return /^[A-Za-z0-9]{8,20}$/.test(s) ? ok(s) : no("申报密码格式不正确", "DECLARATION_PASSWORD_FORMAT");
}

export function checkTaxId(s: string): RuleResult<string> {
  const v = s.trim().toUpperCase();
  return /^[0-9A-HJ-NPQRTUWXY]{18}$/.test(v) ? ok(v) : no("纳税人识别号格式不正确", "TAX_ID_INVALID");
}

export const HALL_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const HALL_CODE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const normalizeHallCode = (s: string): string => s.trim().toUpperCase();

export function checkHallCode(s: string): RuleResult<string> {
  const v = normalizeHallCode(s);
  const re = new RegExp(`^[${HALL_CODE_ALPHABET}]{6}$`);
  return re.test(v) ? ok(v) : no("注册码为6位数字、字母");
}

export function checkMobile(s: string): RuleResult<string> {
  const v = s.trim();
  return /^1[3-9]\d{9}$/.test(v) ? ok(v) : no("手机号码格式不正确");
}

export function checkPersonName(s: string): RuleResult<string> {
  const v = s.trim().normalize("NFC");
  return v.length >= 1 && [...v].length <= 50 ? ok(v) : no("姓名格式不正确");
}

export function checkNationality(s: string): RuleResult<string> {
  const v = s.trim();
  return v.length >= 1 && v.length <= 50 ? ok(v) : no("国籍不正确");
}
