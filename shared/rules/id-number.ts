import { type IdType, isIdType } from "./id-types";
import { isKnownRegionPrefix } from "./regions";
import { fail, ok, type RuleResult } from "./result";
import { MAX_INPUT, normalizeCode } from "./text";

// GB 11643-1999 citizen identity number, 18 characters:
//   RRRRRR   the county (GB/T 2260) where the number was first issued
//   YYYYMMDD birth date
//   SSS      sequence; odd for men, even for women
//   C        check character, ISO 7064 MOD 11-2 over the 17 digits before it (0-9 or X for 10)
// The residence permits for Hong Kong, Macao and Taiwan residents and the 2017 foreign permanent residence
// card use the same layout and check character with their own first six digits.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = "10X98765432";

/** The MOD 11-2 check character for 17 digits: Σ(digit × 2^(17-i) mod 11), then 12 - sum mod 11. */
export function gb11643CheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? "";
}

/** The earliest birth date accepted: nobody alive and registering was born before it. */
const EARLIEST_BIRTH = "19000101";

/** Today in Beijing (UTC+8) as YYYYMMDD: a child born today in Beijing is not "in the future". */
function beijingToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll("-", "");
}

/** A real calendar date (no 19490230), not before 1900, not after today. */
export function isPlausibleBirthDate(yyyymmdd: string, now: Date = new Date()): boolean {
  if (!/^\d{8}$/.test(yyyymmdd) || Number.isNaN(now.getTime())) return false;
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  return real && yyyymmdd >= EARLIEST_BIRTH && yyyymmdd <= beijingToday(now);
}

/**
 * Check the 17 digits + check character shape shared by the resident ID, the residence permits and the new
 * permanent residence card; `prefixOk` tests the first six digits. Checksum first: any single
 * mistyped digit breaks it, and "校验位不正确" is the right hint for a typo.
 */
function checkGb11643(id: string, now: Date, prefixOk: (code6: string) => boolean): RuleResult {
  if (!/^\d{17}[\dX]$/.test(id)) return fail("ID_NUMBER_FORMAT");
  if (gb11643CheckChar(id) !== id[17]) return fail("ID_NUMBER_CHECKSUM");
  if (!isPlausibleBirthDate(id.slice(6, 14), now)) return fail("ID_NUMBER_BIRTH_DATE");
  if (!prefixOk(id.slice(0, 6))) return fail("ID_NUMBER_REGION");
  return ok(id);
}

/** Trimmed, half-width, upper case (a trailing x becomes X). Over-long input is refused before any work. */
function normalize(s: string): string {
  return s.length > MAX_INPUT ? "" : normalizeCode(s);
}

/** 居民身份证: 18 characters, MOD 11-2 check, real birth date, known region (see `isKnownRegionPrefix`). */
export function checkResidentIdNumber(s: string, now: Date = new Date()): RuleResult {
  return checkGb11643(normalize(s), now, isKnownRegionPrefix);
}

export interface ResidentIdInfo {
  regionCode: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: "M" | "F";
}

/** What a valid resident ID number says of its holder; null when it does not pass `checkResidentIdNumber`. */
export function parseResidentIdNumber(s: string, now: Date = new Date()): ResidentIdInfo | null {
  const r = checkResidentIdNumber(s, now);
  if (!r.ok) return null;
  const id = r.value;
  return {
    regionCode: id.slice(0, 6),
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    sex: Number(id[16]) % 2 === 1 ? "M" : "F",
  };
}

/** A format given only by a pattern over the normalized (trimmed, half-width, upper-case) input. */
function byPattern(s: string, pattern: RegExp): RuleResult {
  const id = normalize(s);
  return pattern.test(id) ? ok(id) : fail("ID_NUMBER_FORMAT");
}

// 中国护照: E + 8 digits (electronic, 2012 on); E + a letter (not I or O) + 7 digits once the E-digit series
// ran out (2017 on, e.g. EA1234567); G + 8 digits (older ordinary passports, still on file).
const CHINESE_PASSPORT = /^(E[0-9A-HJ-NP-Z]\d{7}|G\d{8})$/;
// 港澳居民来往内地通行证 (回乡证): H (Hong Kong) or M (Macao) + 8 digits; the 2013 card adds 2 digits
// counting re-issues, printed or not.
const HK_MO_PERMIT = /^[HM]\d{8}(\d{2})?$/;
// 台湾居民来往大陆通行证 (台胞证): 8 digits on the 2015 card; 10 on the older booklet.
const TW_PERMIT = /^\d{8}(\d{2})?$/;
// 外国护照: issuing countries differ; ICAO 9303 allows up to 9 characters in the MRZ and longer numbers
// elsewhere, so 5–20 letters and digits.
const FOREIGN_PASSPORT = /^[A-Z0-9]{5,20}$/;
// 外国人永久居留身份证, 2004 card: 15 characters, ISO 3166 alpha-3 nationality + 12 digits (issuing place,
// birth date YYMMDD, sequence, check). Its check algorithm is not public, so only the shape is checked.
const PR_CARD_2004 = /^[A-Z]{3}\d{12}$/;

/** 2017 card: 9 + issuing province (2) + nationality (3, ISO 3166 numeric) + birth date (8) + sequence (3) + check. */
function checkPermanentResidence(s: string, now: Date): RuleResult {
  const id = normalize(s);
  if (PR_CARD_2004.test(id)) return ok(id);
  if (!id.startsWith("9")) return fail("ID_NUMBER_FORMAT");
  return checkGb11643(id, now, () => true);
}

/**
 * 港澳居民居住证 / 台湾居民居住证 (2018): a resident ID layout whose region is 810000 (Hong Kong),
 * 820000 (Macao) or 830000 (Taiwan).
 */
function checkResidencePermit(s: string, now: Date, prefixes: readonly string[]): RuleResult {
  return checkGb11643(normalize(s), now, (code6) => prefixes.includes(code6));
}

/** How each ID type's number is checked (a Record, so a new ID type cannot be forgotten here). */
const CHECKS: Record<IdType, (s: string, now: Date) => RuleResult> = {
  居民身份证: checkResidentIdNumber,
  中国护照: (s) => byPattern(s, CHINESE_PASSPORT),
  港澳居民来往内地通行证: (s) => byPattern(s, HK_MO_PERMIT),
  台湾居民来往大陆通行证: (s) => byPattern(s, TW_PERMIT),
  外国护照: (s) => byPattern(s, FOREIGN_PASSPORT),
  外国人永久居留身份证: checkPermanentResidence,
  港澳居民居住证: (s, now) => checkResidencePermit(s, now, ["810000", "820000"]),
  台湾居民居住证: (s, now) => checkResidencePermit(s, now, ["830000"]),
};

/** The ID number of a person as their ID type expects it; returns it normalized. */
export function checkIdNumber(idType: IdType, s: string, now: Date = new Date()): RuleResult {
  if (!isIdType(idType)) return fail("ID_TYPE_INVALID");
  return CHECKS[idType](s, now);
}
