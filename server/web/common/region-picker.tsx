import { useEffect, useState } from "preact/hooks";
import type { Region } from "./regions-data";

// 户籍所在地 (seed 2.1, web portal registration): province → city → county, three native selects so a
// phone shows its own wheel. The data (≈ 30 KB gzipped) loads when the picker first shows.

export type { Region };

export interface RegionChoice {
  province: Region;
  city: Region;
  county: Region;
}

export interface RegionsData {
  provinces(): Region[];
  citiesOf(provinceCode: string): Region[];
  countiesOf(cityCode: string): Region[];
}

export interface RegionSelection {
  province: string;
  city: string;
  county: string;
}

const EMPTY: RegionSelection = { province: "", city: "", county: "" };

let loading: Promise<RegionsData> | undefined;

export function loadRegions(): Promise<RegionsData> {
  loading ??= import("./regions-data").catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

/**
 * The selection after choosing `code` at `level`: the levels below reset, and a level with a single
 * option (北京市 → 市辖区, 东莞市 → 东莞市) is chosen at once.
 */
export function selectRegion(
  data: RegionsData,
  current: RegionSelection,
  level: keyof RegionSelection,
  code: string,
): RegionSelection {
  if (level === "county") return { ...current, county: code };
  const next =
    level === "province" ? { province: code, city: "", county: "" } : { ...current, city: code, county: "" };
  if (level === "province" && code) {
    const cities = data.citiesOf(code);
    if (cities.length === 1 && cities[0]) next.city = cities[0].code;
  }
  if (next.city) {
    const counties = data.countiesOf(next.city);
    if (counties.length === 1 && counties[0]) next.county = counties[0].code;
  }
  return next;
}

/** The full choice once all three levels are set, else null. */
export function regionChoice(data: RegionsData, sel: RegionSelection): RegionChoice | null {
  const province = data.provinces().find((p) => p.code === sel.province);
  const city = data.citiesOf(sel.province).find((c) => c.code === sel.city);
  const county = data.countiesOf(sel.city).find((c) => c.code === sel.county);
  return province && city && county ? { province, city, county } : null;
}

// GB/T 2260 names that stand for a level, not a place: a person writes "北京市东城区".
const LEVEL_NAMES = new Set(["市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"]);

/** "广东省广州市天河区", "北京市东城区", "广东省东莞市". */
export function formatRegion(choice: RegionChoice): string {
  const parts = [choice.province.name, choice.city.name, choice.county.name].filter(
    (name, i, all) => !LEVEL_NAMES.has(name) && all.indexOf(name) === i,
  );
  return parts.join("");
}

export interface RegionPickerProps {
  /** Prefix of the three selects' ids: `${idPrefix}-province`, `-city`, `-county`. */
  idPrefix: string;
  /** The choice to start from (a form coming back to this step); later changes come through onChange. */
  initial?: RegionChoice | null;
  /** The full choice, or null while a level is still open. */
  onChange(choice: RegionChoice | null): void;
  label?: string;
  required?: boolean;
  load?: () => Promise<RegionsData>;
}

export function RegionPicker({
  idPrefix,
  initial,
  onChange,
  label = "户籍所在地",
  required,
  load = loadRegions,
}: RegionPickerProps) {
  const [data, setData] = useState<RegionsData | null>(null);
  const [failed, setFailed] = useState(false);
  const [sel, setSel] = useState<RegionSelection>(() =>
    initial
      ? { province: initial.province.code, city: initial.city.code, county: initial.county.code }
      : EMPTY,
  );

  useEffect(() => {
    let live = true;
    load().then(
      (d) => live && setData(d),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [load]);

  const choose = (level: keyof RegionSelection, code: string) => {
    if (!data) return;
    const next = selectRegion(data, sel, level, code);
    setSel(next);
    onChange(regionChoice(data, next));
  };

  const levels: [keyof RegionSelection, string, Region[]][] = [
    ["province", "省/直辖市", data?.provinces() ?? []],
    ["city", "市", data && sel.province ? data.citiesOf(sel.province) : []],
    ["county", "区/县", data && sel.city ? data.countiesOf(sel.city) : []],
  ];

  return (
    <fieldset class="field region-picker">
      <legend>
        {required && <span class="required">*</span>}
        {label}
      </legend>
      <div class="region-selects">
        {levels.map(([level, placeholder, options]) => (
          <select
            key={level}
            id={`${idPrefix}-${level}`}
            class="input"
            aria-label={placeholder}
            disabled={!data || options.length === 0}
            value={sel[level]}
            onChange={(e) => choose(level, e.currentTarget.value)}
          >
            <option value="">{data ? `请选择${placeholder}` : failed ? "加载失败" : "加载中…"}</option>
            {options.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </select>
        ))}
      </div>
    </fieldset>
  );
}
