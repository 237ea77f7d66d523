import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ERRORS } from "../../../shared/errors";
import { RULE_ERRORS } from "../../../shared/errors/rules";
import {
  checkDeclarationPassword,
  checkHallCode,
  checkIdNumber,
  checkIdType,
  checkLoginName,
  checkMobile,
  checkNationality,
  checkPassword,
  checkPersonName,
  checkResidentIdNumber,
  checkTaxId,
  ID_TYPES,
  type RuleResult,
} from "../../../shared/rules";

const VALIDATORS: [string, (s: string) => RuleResult<string>][] = [
  ["checkResidentIdNumber", (s) => checkResidentIdNumber(s)],
  ...ID_TYPES.map((t): [string, (s: string) => RuleResult<string>] => [
    `checkIdNumber(${t})`,
    (s) => checkIdNumber(t, s),
  ]),
  ["checkIdType", checkIdType],
  ["checkTaxId", checkTaxId],
  ["checkLoginName", checkLoginName],
  ["checkPassword", checkPassword],
  ["checkDeclarationPassword", checkDeclarationPassword],
  ["checkHallCode", checkHallCode],
  ["checkMobile", checkMobile],
  ["checkPersonName", checkPersonName],
  ["checkNationality", checkNationality],
];

/** A result is well formed; an ok value checks again to itself (normalizing twice changes nothing). */
function wellFormedAndIdempotent(check: (s: string) => RuleResult<string>, input: string): void {
  const r = check(input);
  if (r.ok) {
    expect(typeof r.value).toBe("string");
    expect(check(r.value)).toEqual(r);
  } else {
    expect(Object.hasOwn(ERRORS, r.code)).toBe(true);
    expect(r.message).toBe(ERRORS[r.code]);
  }
}

// UTF-16 code units one by one: lone surrogates and broken pairs come up often.
const utf16 = fc.string({ unit: fc.nat(0xffff).map((n) => String.fromCharCode(n)), maxLength: 40 });
const loneSurrogates = fc.string({
  unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((n) => String.fromCharCode(n)),
  maxLength: 20,
});
// Pieces each rule cares about, so that ok results come up too and their normalization is exercised.
const pieces = fc.string({
  unit: fc.constantFrom(
    ..."0123456789Xx aAzZ_-+·•・．'.張张𠀀𰻞〇\t\u3000\uFF10\uFF21\uF900\uD800ä\u0301",
    "E",
    "H",
    "86",
    "110105",
    "19491231",
    "CHN",
  ),
  maxLength: 24,
});
const inputs = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary-ascii" }),
  utf16,
  loneSurrogates,
  pieces,
  fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "\u0000"),
);

// Long inputs of the kinds that make a careless pattern backtrack or a careless loop crawl.
const HUGE = [
  "1".repeat(100_000),
  `${"1".repeat(100_000)}X`,
  `${"a".repeat(100_000)}!`,
  " ".repeat(100_000),
  `${" ".repeat(100_000)}11010519491231002X`,
  "张".repeat(100_000),
  "𠀀".repeat(100_000),
  "·".repeat(100_000),
  "a ".repeat(50_000),
  "\uD800".repeat(100_000),
  "Aa1!".repeat(25_000),
  "+86".repeat(33_334),
];

describe.each(VALIDATORS)("%s", (_name, check) => {
  it("never throws, answers a known code or a value that checks again to itself", () => {
    fc.assert(
      fc.property(inputs, (s) => wellFormedAndIdempotent(check, s)),
      { numRuns: 300 },
    );
  });

  // The bound is the test's own timeout: every rule refuses an over-long input before any pattern runs.
  it("refuses 100,000-character inputs without throwing", { timeout: 1_000 }, () => {
    for (const s of HUGE) {
      const r = check(s);
      expect(r.ok).toBe(false);
      wellFormedAndIdempotent(check, s);
    }
  });
});

describe("the rule error codes", () => {
  it("each have a Chinese message in the closed map", () => {
    for (const [code, message] of Object.entries(RULE_ERRORS)) {
      expect(ERRORS[code as keyof typeof ERRORS]).toBe(message);
      expect(message).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
