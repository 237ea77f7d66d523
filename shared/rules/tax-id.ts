import { fail, ok, type RuleResult } from "./result";
import { MAX_INPUT, normalizeCode } from "./text";

// The taxpayer identification number of a company is its unified social credit code (统一社会信用代码,
// GB 32100-2015), 18 characters from the 31 below (no I O Z S V, which read like 1 0 2 5 U):
//   1      registration authority: 1 机构编制 2 外交 3 司法行政 4 文化 5 民政 6 旅游 7 宗教 8 工会 9 工商
//          (市场监管) A 中央军委改革和编制办公室 N 农业 Y 其他
//   2      organization type within that authority (9 工商: 1 企业 2 个体工商户 3 农民专业合作社 …), a digit
//   3–8    the registering authority's region, 6 digits (GB/T 2260; national bodies use 100000)
//   9–17   organization code (GB 11714-1997): 8 body characters + its own check character
//   18     check character: 31 - Σ(value × weight) mod 31, weights 3^(i) mod 31, 0 for 31

const CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[1-9ANY][1-9]\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$/;

/** The check character (position 18) of the first 17 characters of a unified social credit code. */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17[i] ?? "") * (WEIGHTS[i] ?? 0);
  return CHARSET[(31 - (sum % 31)) % 31] ?? "";
}

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/**
 * The GB 11714 check character of an 8-character organization code body: 11 - Σ(value × weight) mod 11,
 * X for 10, 0 for 11. Its letters count A=10 … Z=35 (its own alphabet, not the USCC's 31 characters).
 */
export function orgCodeCheckChar(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number.parseInt(body8[i] ?? "", 36) * (ORG_WEIGHTS[i] ?? 0);
  const c = 11 - (sum % 11);
  return c === 10 ? "X" : c === 11 ? "0" : String(c);
}

/** A company's taxpayer identification number (18-character USCC), normalized to upper case. */
export function checkTaxId(s: string): RuleResult {
  if (s.length > MAX_INPUT) return fail("TAX_ID_INVALID");
  const id = normalizeCode(s);
  if (!SHAPE.test(id)) return fail("TAX_ID_INVALID");
  if (orgCodeCheckChar(id.slice(8, 16)) !== id[16]) return fail("TAX_ID_CHECKSUM");
  if (usccCheckChar(id) !== id[17]) return fail("TAX_ID_CHECKSUM");
  return ok(id);
}
