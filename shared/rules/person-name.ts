import { HAN_CLASS } from "./han";
import { fail, ok, type RuleResult } from "./result";
import { halfWidthAlnum, MAX_INPUT } from "./text";

/**
 * 50 characters: room for a long transliterated name ("克里斯蒂亚诺·罗纳尔多·多斯·桑托斯·阿韦罗" is 22) and for
 * a passport's Latin name (the machine-readable zone holds 39), far below anything abusive.
 */
export const NAME_MAX = 50;

/** The middle dot of minority and foreign names in Chinese (阿依古丽·买买提). */
export const NAME_DOT = "\u00B7";

// Dots typed by mistake for the middle dot: • bullet, ‧ hyphenation point, ・ katakana middle dot (Japanese
// input methods), ． full-width full stop, ･ half-width katakana middle dot.
const DOT_VARIANTS = /[\u2022\u2027\u30FB\uFF0E\uFF65]/g;
// Chinese characters, and 〇 (U+3007), which some given names carry.
const HAN = `${HAN_CLASS}\\u3007`;
// Latin letters with the accents of foreign names: Latin-1, Extended-A/B, Vietnamese (Extended Additional).
const LATIN = "A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F\\u1E00-\\u1EFF";
const SEPARATORS = "·-'. ";

const ALLOWED = new RegExp(`^[${HAN}${LATIN}·\\-'. ]+$`, "u");
const LETTER = new RegExp(`[${HAN}${LATIN}]`, "u");
const SPACE_BY_HAN = new RegExp(`(?<=[${HAN}·]) | (?=[${HAN}·])`, "gu");

/**
 * NFC, full-width letters to ASCII, dots unified to ·, ’ to ', runs of white space to one space, no space
 * beside a Chinese character (an ID never prints "张 三").
 */
function normalizeName(s: string): string {
  return halfWidthAlnum(s.normalize("NFC"))
    .replace(DOT_VARIANTS, NAME_DOT)
    .replace(/\u2019/g, "'")
    .replace(/\uFF0D/g, "-")
    .replace(/\s+/gu, " ")
    .trim()
    .replace(SPACE_BY_HAN, "");
}

/** Two separators in a row, except ". " as in "J. Smith". */
function hasDoubleSeparator(chars: string[]): boolean {
  for (let i = 1; i < chars.length; i++) {
    const a = chars[i - 1] ?? "";
    const b = chars[i] ?? "";
    if (SEPARATORS.includes(a) && SEPARATORS.includes(b) && !(a === "." && b === " ")) return true;
  }
  return false;
}

/**
 * A person's name as on their ID: Chinese characters of every extension (a 生僻字 like 𪚥 U+2A6A5 is one
 * character) with middle dots for minority and foreign names, or Latin letters with spaces, hyphens,
 * apostrophes and dots. It starts with a letter and ends with a letter or a dot ("Jr."); no two separators
 * in a row (so no "··"). Control characters and lone surrogates are not in the allowed set.
 */
export function checkPersonName(s: string): RuleResult {
  if (s.length > MAX_INPUT) return fail("NAME_INVALID");
  const name = normalizeName(s);
  if (!ALLOWED.test(name)) return fail("NAME_INVALID");
  const chars = [...name];
  if (chars.length < 1 || chars.length > NAME_MAX) return fail("NAME_INVALID");
  const first = chars[0] ?? "";
  const last = chars[chars.length - 1] ?? "";
  if (!LETTER.test(first) || !(LETTER.test(last) || last === ".")) return fail("NAME_INVALID");
  if (hasDoubleSeparator(chars)) return fail("NAME_INVALID");
  return ok(name);
}
