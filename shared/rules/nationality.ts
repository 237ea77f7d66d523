import { fail, ok, type RuleResult } from "./result";
import { normalizeCode } from "./text";

/**
 * 国籍（地区）, asked by the phone app's registration (seed 2.2.1), as an ISO 3166-1 alpha-3 code. Not the
 * full ISO list: China and its special regions plus the countries most often seen among foreign taxpayers;
 * extend here when a user needs another (a full list would be data for its own module, like regions).
 */
export const NATIONALITIES = {
  CHN: "中国",
  HKG: "中国香港",
  MAC: "中国澳门",
  TWN: "中国台湾",
  USA: "美国",
  CAN: "加拿大",
  MEX: "墨西哥",
  BRA: "巴西",
  GBR: "英国",
  FRA: "法国",
  DEU: "德国",
  ITA: "意大利",
  ESP: "西班牙",
  NLD: "荷兰",
  CHE: "瑞士",
  SWE: "瑞典",
  RUS: "俄罗斯",
  JPN: "日本",
  KOR: "韩国",
  SGP: "新加坡",
  MYS: "马来西亚",
  THA: "泰国",
  VNM: "越南",
  PHL: "菲律宾",
  IDN: "印度尼西亚",
  IND: "印度",
  PAK: "巴基斯坦",
  SAU: "沙特阿拉伯",
  AUS: "澳大利亚",
  NZL: "新西兰",
  ZAF: "南非",
} as const;

export type Nationality = keyof typeof NATIONALITIES;

/** An alpha-3 code from the list above (trimmed, upper case). */
export function checkNationality(s: string): RuleResult<Nationality> {
  const code = s.length > 8 ? "" : normalizeCode(s);
  return Object.hasOwn(NATIONALITIES, code) ? ok(code as Nationality) : fail("NATIONALITY_INVALID");
}

export function nationalityName(code: Nationality): string {
  return NATIONALITIES[code];
}
