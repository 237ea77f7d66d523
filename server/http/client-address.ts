import { isIP } from "node:net";
import parseForwarded from "forwarded-parse";
import ipaddr from "ipaddr.js";
import { memoByString } from "../kernel/memo";

// Who is really on the other end, behind the balancers we run. A proxy's word about the client
// (RFC 7239 `Forwarded`, or `X-Forwarded-For`) counts only when the proxy itself is trusted
// (TRUST_PROXY). The list is read right to left, from the hop nearest to us, and the walk stops at
// the first hop we do not trust: everything left of it is whatever that hop (or the client) wrote.
//
//   X-Forwarded-For: spoofed, client, proxy-a      peer = proxy-b
//                                    ◄── proxy-a ◄── proxy-b (both trusted) ⇒ client
//
// Only one header is read, the one the proxies are known to write (TRUST_PROXY_HEADER): a client
// can always send the other one itself, and nobody in front would have appended to it.

export type ProxyHeader = "x-forwarded-for" | "forwarded";

export type TrustProxy =
  | { kind: "none" }
  /** The nearest `hops` addresses (the peer is the first) are our own proxies. */
  | { kind: "hops"; hops: number; header: ProxyHeader }
  /** A hop is ours when its address is in one of these ranges. */
  | { kind: "ranges"; ranges: readonly [ipaddr.IPv4 | ipaddr.IPv6, number][]; header: ProxyHeader };

/** No deployment has this many proxies in a row; past it a header is junk, not a path. */
export const MAX_PROXY_HOPS = 32;

export const NO_PROXY: TrustProxy = { kind: "none" };

const ALIASES: Record<string, string[]> = {
  loopback: ["127.0.0.0/8", "::1/128"],
  private: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
  linklocal: ["169.254.0.0/16", "fe80::/10"],
};

/**
 * TRUST_PROXY: empty (trust no proxy), a hop count (`1`, `2`…), or a comma-separated list of
 * addresses and CIDR ranges (`10.0.0.0/8, 2001:db8::/32, 192.0.2.7`; also `loopback`, `private`,
 * `linklocal`). Throws a message that says what is wrong with the value.
 */
export function parseTrustProxy(value: string, header: ProxyHeader = "x-forwarded-for"): TrustProxy {
  const v = value.trim();
  if (v === "" || v === "0") return NO_PROXY;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > MAX_PROXY_HOPS) throw new Error(`at most ${MAX_PROXY_HOPS} hops`);
    return { kind: "hops", hops, header };
  }
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const item of v.split(",").map((s) => s.trim())) {
    for (const cidr of ALIASES[item.toLowerCase()] ?? [item]) ranges.push(parseRange(cidr));
  }
  return { kind: "ranges", ranges, header };
}

function parseRange(item: string): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  const [addr = "", bits, ...rest] = item.split("/");
  const ip = strictIp(addr);
  const max = ip?.kind() === "ipv4" ? 32 : 128;
  const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : Number.NaN;
  if (!ip || rest.length > 0 || !(prefix >= 0 && prefix <= max)) {
    throw new Error(`"${item}" is neither a hop count nor an address or CIDR range`);
  }
  return [ip, prefix];
}

export interface ClientAddressInput {
  /** The TCP peer (`socket.remoteAddress`). */
  peer: string | undefined;
  forwarded?: string | null | undefined;
  xForwardedFor?: string | null | undefined;
}

/**
 * The client's address: the peer's own, or — while the hops are trusted — what they forwarded.
 * Always a plain canonical address (no port, brackets, zone or IPv4-mapped prefix), or "unknown"
 * when even the peer has none. A hop that names its client with something other than an address
 * (`unknown`, an obfuscated `_identifier`, garbage) ends the walk at that hop.
 */
export function clientAddress(input: ClientAddressInput, trust: TrustProxy): string {
  let address = canonicalIp(input.peer ?? "");
  if (!address) return "unknown";
  if (trust.kind === "none") return address;
  const header = trust.header === "forwarded" ? input.forwarded : input.xForwardedFor;
  const hops = header ? (trust.header === "forwarded" ? forwardedFor(header) : header.split(",")) : [];
  for (let i = 0; i < MAX_PROXY_HOPS; i += 1) {
    if (!trusted(address, i, trust)) return address;
    const entry = hops[hops.length - 1 - i];
    const next = entry === undefined ? null : canonicalIp(entry);
    if (!next) return address; // the chain ends here (or a trusted hop did not say who sent it)
    address = next;
  }
  return address;
}

function trusted(address: string, position: number, trust: TrustProxy): boolean {
  if (trust.kind === "none") return false;
  if (trust.kind === "hops") return position < trust.hops;
  const ip = ipaddr.parse(address);
  return trust.ranges.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits));
}

/** The `for=` of each element of a Forwarded header, in order; "" where an element has none or is malformed. */
function forwardedFor(header: string): string[] {
  return splitElements(header).map((element) => {
    try {
      return parseForwarded(element)[0]?.for ?? "";
    } catch {
      return "";
    }
  });
}

/** Splits at the commas between elements, not those inside quoted strings. */
function splitElements(header: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < header.length; i += 1) {
    const c = header[i];
    if (quoted && c === "\\") i += 1;
    else if (c === '"') quoted = !quoted;
    else if (c === "," && !quoted) {
      out.push(header.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(header.slice(start).trim());
  return out;
}

/**
 * A node as proxies write it — `192.0.2.1`, `192.0.2.1:443`, `[2001:db8::1]:443`, `2001:db8::1`,
 * `::ffff:192.0.2.1`, `fe80::1%eth0` — as a canonical address, or null when it is not an address.
 */
export const canonicalIp = memoByString(canonicalIpOf);

function canonicalIpOf(node: string): string | null {
  const ip = strictIp(stripPort(node.trim()));
  if (!ip) return null;
  return ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()
    ? (ip as ipaddr.IPv6).toIPv4Address().toString()
    : ip.toString();
}

function stripPort(node: string): string {
  const m = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(node) ?? /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(node);
  if (!m?.[1]) return node;
  return Number(m[2] ?? 0) <= 65535 ? m[1] : "";
}

/** Only dotted-quad IPv4 and proper IPv6 (node's rules), not ipaddr.js's `0x7f.1` forms; no zone. */
function strictIp(s: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const bare = s.replace(/%[\w.~-]+$/, "");
  return isIP(bare) === 0 ? null : ipaddr.parse(bare);
}
