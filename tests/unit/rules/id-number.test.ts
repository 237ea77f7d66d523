import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ErrorCode, errorMessage } from "../../../shared/errors";
import {
  checkIdNumber,
  checkResidentIdNumber,
  gb11643CheckChar,
  type IdType,
  parseResidentIdNumber,
} from "../../../shared/rules";
import { citiesOf, countiesOf, provinces } from "../../../shared/rules/regions";
import { idCheck, withIdCheck } from "./check-chars";
import { refusesWith } from "./tables";

// A fixed clock: 2025-03-15 16:30 UTC is already 2025-03-16 00:30 in Beijing.
const now = new Date("2025-03-15T16:30:00Z");

describe("the GB 11643 check character", () => {
  // By hand, weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, check chars "10X98765432"[sum mod 11]:
  // 11010519491231002X (the standard's own example):
  //   1·7 + 1·9 + 0·10 + 1·5 + 0·8 + 5·4 + 1·2 + 9·1 + 4·6 + 9·3 + 1·7 + 2·9 + 3·10 + 1·5 + 0·8 + 0·4 + 2·2
  //   = 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 → X
  // 440301199003071230:
  //   28+36+0+15+0+4+2+9+54+0+0+27+0+35+8+8+6 = 232; 232 mod 11 = 1 → 0
  // 650102198606132346:
  //   42+45+0+5+0+8+2+9+48+18+0+54+10+15+16+12+8 = 292; 292 mod 11 = 6 → 6
  it.each([
    ["11010519491231002", "X"],
    ["44030119900307123", "0"],
    ["65010219860613234", "6"],
  ])("is %s + %s", (first17, check) => {
    expect(gb11643CheckChar(first17)).toBe(check);
    expect(idCheck(first17)).toBe(check);
  });
});

describe("checkResidentIdNumber", () => {
  it.each([
    ["11010519491231002X", "GB 11643's example: 北京 朝阳区, 1949-12-31"],
    ["11010519491231002x", "the same with a lower-case x"],
    [" 11010519491231002X\t", "the same with spaces around"],
    ["１１０１０５１９４９１２３１００２Ｘ", "the same typed in full-width characters"],
    ["440301199003071230", "440301, 深圳's former 市辖区: county gone, city 4403 known"],
    ["110103200002291232", "110103 崇文区 (merged into 东城区 in 2010), born on leap day 2000-02-29"],
    ["441900198511110040", "441900 东莞市, a city without counties"],
    ["650102198606132346", "乌鲁木齐 天山区"],
    ["540102197507152886", "拉萨 城关区"],
    ["350102197001010519", "福州 鼓楼区"],
    ["11010519000101001X", "born 1900-01-01, the earliest day accepted"],
    ["110105202503160013", "born today in Beijing (the UTC date is still the 15th)"],
  ])("accepts %s (%s)", (input, _why) => {
    const r = checkResidentIdNumber(input, now);
    expect(r.ok).toBe(true);
    expect(r.ok && r.value).toMatch(/^\d{17}[\dX]$/);
  });

  it("returns the number trimmed, half-width and with an upper-case X", () => {
    expect(checkResidentIdNumber(" 11010519491231002x ", now)).toEqual({
      ok: true,
      value: "11010519491231002X",
    });
    expect(checkResidentIdNumber("１１０１０５１９４９１２３１００２ｘ", now)).toEqual({
      ok: true,
      value: "11010519491231002X",
    });
  });

  refusesWith(
    (input) => checkResidentIdNumber(input, now),
    [
      ["110105194912310021", "ID_NUMBER_CHECKSUM", "check character 1 where X is due"],
      ["11010519491231002Y", "ID_NUMBER_FORMAT", "a letter other than X"],
      ["1101051949123100", "ID_NUMBER_FORMAT", "16 characters"],
      ["11010519491231002X1", "ID_NUMBER_FORMAT", "19 characters"],
      ["110105491231002", "ID_NUMBER_FORMAT", "the first-generation 15-digit number"],
      ["11010519491231X02X", "ID_NUMBER_FORMAT", "an X before the end"],
      ["1101 0519491231002X", "ID_NUMBER_FORMAT", "a space inside"],
      ["", "ID_NUMBER_FORMAT", "nothing"],
      ["110105194902300020", "ID_NUMBER_BIRTH_DATE", "February 30 (its check character is right)"],
      ["110105190002290017", "ID_NUMBER_BIRTH_DATE", "1900-02-29: 1900 was no leap year"],
      ["110105189912310015", "ID_NUMBER_BIRTH_DATE", "born 1899, before 1900"],
      ["110105202503170019", "ID_NUMBER_BIRTH_DATE", "born tomorrow in Beijing"],
      ["110105209912310029", "ID_NUMBER_BIRTH_DATE", "born in 2099"],
      ["990105194912310023", "ID_NUMBER_REGION", "province 99 does not exist"],
      ["810000199001010027", "ID_NUMBER_REGION", "810000 belongs to the Hong Kong residence permit"],
    ],
    "refuses %s with %s (%s)",
  );

  it("tells the holder's region, birth date and sex", () => {
    expect(parseResidentIdNumber("11010519491231002X", now)).toEqual({
      regionCode: "110105",
      birthDate: "1949-12-31",
      sex: "F", // sequence 002: even
    });
    expect(parseResidentIdNumber("440301199003071230", now)).toEqual({
      regionCode: "440301",
      birthDate: "1990-03-07",
      sex: "M", // sequence 123: odd
    });
    expect(parseResidentIdNumber("110105194912310021", now)).toBeNull();
  });
});

// Random numbers built from real counties (all 2,978 in the data), real dates and any sequence.
const COUNTIES = provinces()
  .flatMap((p) => citiesOf(p.code))
  .flatMap((c) => countiesOf(c.code))
  .map((c) => c.code);
const county = fc.constantFrom(...COUNTIES);
const birthDate = fc
  .date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2025-03-15T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replaceAll("-", ""));
const sequence = fc.integer({ min: 0, max: 999 }).map((n) => String(n).padStart(3, "0"));
const validId = fc.tuple(county, birthDate, sequence).map(([r, d, s]) => withIdCheck(r + d + s));

describe("generated resident ID numbers", () => {
  it("always pass when built from a real county, a real date and the check character", () => {
    fc.assert(
      fc.property(validId, (id) => {
        expect(checkResidentIdNumber(id, now)).toEqual({ ok: true, value: id });
      }),
    );
  });

  it("always fail when a single character is changed", () => {
    const changed = fc
      .tuple(validId, fc.nat(17), fc.constantFrom(..."0123456789X"))
      .filter(([id, at, ch]) => id[at] !== ch && (ch !== "X" || at === 17));
    fc.assert(
      fc.property(changed, ([id, at, ch]) => {
        const typo = id.slice(0, at) + ch + id.slice(at + 1);
        expect(checkResidentIdNumber(typo, now)).toMatchObject({ ok: false, code: "ID_NUMBER_CHECKSUM" });
      }),
    );
  });
});

describe("checkIdNumber", () => {
  it.each<[IdType, string, string]>([
    ["居民身份证", "11010519491231002x", "11010519491231002X"],
    ["中国护照", "E12345678", "E12345678"],
    ["中国护照", "ea1234567", "EA1234567"],
    ["中国护照", "G12345678", "G12345678"],
    ["港澳居民来往内地通行证", "H12345678", "H12345678"],
    ["港澳居民来往内地通行证", "m1234567890", "M1234567890"],
    ["台湾居民来往大陆通行证", "12345678", "12345678"],
    ["台湾居民来往大陆通行证", "1234567890", "1234567890"],
    ["外国护照", "ab12345", "AB12345"],
    ["外国护照", "X".repeat(20), "X".repeat(20)],
    ["外国人永久居留身份证", "can110019810803", "CAN110019810803"],
    // The National Immigration Administration's own samples of the 2017 card: a Saudi man born 1985-01-01,
    // filed in 江苏 (32, nationality 682); a Canadian woman born 1981-08-03, filed in 北京 (11, 124).
    ["外国人永久居留身份证", "932682198501010017", "932682198501010017"],
    ["外国人永久居留身份证", "911124198108030024", "911124198108030024"],
    ["港澳居民居住证", "810000199001010027", "810000199001010027"],
    ["港澳居民居住证", "82000019951231004x", "82000019951231004X"],
    ["台湾居民居住证", "830000199001010020", "830000199001010020"],
  ])("accepts a %s numbered %s as %s", (idType, input, value) => {
    expect(checkIdNumber(idType, input, now)).toEqual({ ok: true, value });
  });

  it.each<[IdType, string, ErrorCode]>([
    ["中国护照", "E1234567", "ID_NUMBER_FORMAT"],
    ["中国护照", "EI1234567", "ID_NUMBER_FORMAT"],
    ["中国护照", "P12345678", "ID_NUMBER_FORMAT"],
    ["港澳居民来往内地通行证", "H123456789", "ID_NUMBER_FORMAT"],
    ["港澳居民来往内地通行证", "A12345678", "ID_NUMBER_FORMAT"],
    ["台湾居民来往大陆通行证", "123456789", "ID_NUMBER_FORMAT"],
    ["台湾居民来往大陆通行证", "1234567A", "ID_NUMBER_FORMAT"],
    ["外国护照", "A123", "ID_NUMBER_FORMAT"],
    ["外国护照", "X".repeat(21), "ID_NUMBER_FORMAT"],
    ["外国护照", "AB-12345", "ID_NUMBER_FORMAT"],
    ["外国人永久居留身份证", "932682198501010018", "ID_NUMBER_CHECKSUM"],
    ["外国人永久居留身份证", "832682198501010017", "ID_NUMBER_FORMAT"],
    ["外国人永久居留身份证", "932682198502300016", "ID_NUMBER_BIRTH_DATE"],
    ["外国人永久居留身份证", "CA1100198108031", "ID_NUMBER_FORMAT"],
    ["港澳居民居住证", "830000199001010020", "ID_NUMBER_REGION"],
    ["港澳居民居住证", "11010519491231002X", "ID_NUMBER_REGION"],
    ["台湾居民居住证", "810000199001010027", "ID_NUMBER_REGION"],
    ["居民身份证", "830000199001010020", "ID_NUMBER_REGION"],
  ])("refuses a %s numbered %s with %s", (idType, input, code) => {
    expect(checkIdNumber(idType, input, now)).toEqual({ ok: false, code, message: errorMessage(code) });
  });

  it("refuses an ID type that is not on the list", () => {
    expect(checkIdNumber("军官证" as IdType, "12345678", now)).toMatchObject({ code: "ID_TYPE_INVALID" });
  });
});
