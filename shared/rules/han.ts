// Chinese characters (汉字) as Unicode blocks: the CJK Unified Ideographs and every extension (A–I, as of
// Unicode 17) plus the two Compatibility Ideographs blocks. Ranges, not \p{Script=Han}, because that script
// also holds radicals (⺀ ⼀), iteration marks (々) and Hangzhou numerals that are not characters of a name.
// A block's unassigned tail is accepted too, so a character added in a later Unicode version is not refused.
export const HAN_RANGES = [
  [0x3400, 0x4dbf], // Extension A
  [0x4e00, 0x9fff], // CJK Unified Ideographs
  [0xf900, 0xfaff], // Compatibility Ideographs
  [0x20000, 0x2a6df], // Extension B
  [0x2a700, 0x2b73f], // Extension C
  [0x2b740, 0x2b81f], // Extension D
  [0x2b820, 0x2ceaf], // Extension E
  [0x2ceb0, 0x2ebef], // Extension F
  [0x2ebf0, 0x2ee5f], // Extension I
  [0x2f800, 0x2fa1f], // Compatibility Ideographs Supplement
  [0x30000, 0x3134f], // Extension G
  [0x31350, 0x323af], // Extension H
] as const;

const hex = (n: number) => `\\u{${n.toString(16)}}`;

/** A regex character-class body (without brackets) for the ranges, for the `u` flag. */
export const HAN_CLASS = HAN_RANGES.map(([a, b]) => `${hex(a)}-${hex(b)}`).join("");

export function isHan(codePoint: number): boolean {
  return HAN_RANGES.some(([a, b]) => codePoint >= a && codePoint <= b);
}
