// Small text helpers the rules share. Pure string work, nothing from Node or the DOM.

/** Any input longer than this is refused before any pattern runs: no rule needs more, and it bounds the work. */
export const MAX_INPUT = 256;

/**
 * Full-width digits and Latin letters (０-９ Ａ-Ｚ ａ-ｚ, what a Chinese input method types) as ASCII,
 * so "１１０１０５…" is the same ID number as "110105…".
 */
export function halfWidthAlnum(s: string): string {
  return s.replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (c) =>
    String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

/** Upper-case ASCII letters only (String#toUpperCase would also turn "ß" into "SS"). */
export function upperAscii(s: string): string {
  return s.replace(/[a-z]/g, (c) => c.toUpperCase());
}

/** The identifier-like inputs (ID numbers, tax IDs, codes): trimmed, half-width, upper case. */
export function normalizeCode(s: string): string {
  return upperAscii(halfWidthAlnum(s.trim()));
}

/** Length in code points: a character outside the BMP (𠀀 U+20000) counts as one. */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
