import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../server/config";
import {
  canonicalIp,
  clientAddress,
  MAX_PROXY_HOPS,
  NO_PROXY,
  parseTrustProxy,
} from "../../../server/http/client-address";

const balancers = parseTrustProxy("10.0.0.0/8, 2001:db8:feed::/48");
const forwardedBalancers = parseTrustProxy("10.0.0.0/8, 2001:db8:feed::/48", "forwarded");

describe("TRUST_PROXY", () => {
  it("trusts nobody when unset or 0", () => {
    expect(parseTrustProxy("")).toEqual(NO_PROXY);
    expect(parseTrustProxy(" 0 ")).toEqual(NO_PROXY);
    expect(loadConfig({}).trustProxy).toEqual(NO_PROXY);
  });

  it("reads a hop count", () => {
    expect(parseTrustProxy("2")).toEqual({ kind: "hops", hops: 2, header: "x-forwarded-for" });
    expect(() => parseTrustProxy(String(MAX_PROXY_HOPS + 1))).toThrow(/at most 32 hops/);
  });

  it("reads addresses, CIDR ranges and the named ranges", () => {
    const t = parseTrustProxy("192.0.2.7, 10.1.0.0/16 ,2001:db8::/32,loopback");
    expect(t.kind).toBe("ranges");
    if (t.kind !== "ranges") return;
    expect(t.ranges.map(([ip, bits]) => `${ip.toString()}/${bits}`)).toEqual([
      "192.0.2.7/32",
      "10.1.0.0/16",
      "2001:db8::/32",
      "127.0.0.0/8",
      "::1/128",
    ]);
  });

  it.each([
    "10.0.0.0/33",
    "10.0.0/8",
    "0x7f.1",
    "balancer.internal",
    "10.0.0.1/8/8",
    "2001:db8::/129",
    "10.0.0.0/",
    "10.0.0.0/-1",
    "10.0.0.1,",
  ])("refuses %j at start, naming the variable", (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY: /);
  });

  it("refuses an unknown header name, naming the variable", () => {
    expect(() => loadConfig({ TRUST_PROXY: "1", TRUST_PROXY_HEADER: "x-real-ip" })).toThrow(
      /TRUST_PROXY_HEADER/,
    );
  });

  it("carries the header the proxies write into the configuration", () => {
    expect(loadConfig({ TRUST_PROXY: "1", TRUST_PROXY_HEADER: "forwarded" }).trustProxy).toEqual({
      kind: "hops",
      hops: 1,
      header: "forwarded",
    });
  });
});

describe("the client address", () => {
  it("is the peer when no proxy is trusted, whatever the headers say", () => {
    const input = { peer: "203.0.113.9", xForwardedFor: "1.2.3.4", forwarded: "for=1.2.3.4" };
    expect(clientAddress(input, NO_PROXY)).toBe("203.0.113.9");
  });

  it("is the peer when the peer is not one of our balancers", () => {
    expect(clientAddress({ peer: "203.0.113.9", xForwardedFor: "1.2.3.4" }, balancers)).toBe("203.0.113.9");
  });

  it("is what a trusted balancer appended", () => {
    expect(clientAddress({ peer: "10.0.0.2", xForwardedFor: "198.51.100.7" }, balancers)).toBe(
      "198.51.100.7",
    );
  });

  it("ignores spoofed leftmost entries: the walk stops at the first untrusted hop", () => {
    const xForwardedFor = "127.0.0.1, 10.0.0.99, 8.8.8.8, 198.51.100.7, 10.0.0.3";
    expect(clientAddress({ peer: "10.0.0.2", xForwardedFor }, balancers)).toBe("198.51.100.7");
  });

  it("counts hops from the peer with a hop count", () => {
    const xForwardedFor = "6.6.6.6, 198.51.100.7, 172.16.0.5";
    expect(clientAddress({ peer: "172.16.0.9", xForwardedFor }, parseTrustProxy("1"))).toBe("172.16.0.5");
    expect(clientAddress({ peer: "172.16.0.9", xForwardedFor }, parseTrustProxy("2"))).toBe("198.51.100.7");
  });

  it("is the leftmost entry when every hop is trusted, and the peer without a header", () => {
    expect(clientAddress({ peer: "10.0.0.2", xForwardedFor: "10.9.9.9, 10.0.0.3" }, balancers)).toBe(
      "10.9.9.9",
    );
    expect(clientAddress({ peer: "10.0.0.2" }, balancers)).toBe("10.0.0.2");
    expect(clientAddress({ peer: "10.0.0.2", xForwardedFor: "" }, parseTrustProxy("3"))).toBe("10.0.0.2");
  });

  it("stops at a hop that gives no address (unknown, garbage, empty entries)", () => {
    for (const xForwardedFor of ["unknown", "evil.example", "1.2.3.4, ,", "1.2.3.4, 999.1.1.1"]) {
      expect(clientAddress({ peer: "10.0.0.2", xForwardedFor }, balancers), xForwardedFor).toBe("10.0.0.2");
    }
  });

  it("reads ports, brackets, zones and IPv4-mapped addresses, and answers canonical ones", () => {
    const cases: [string, string][] = [
      ["198.51.100.7:51234", "198.51.100.7"],
      ["[2001:DB8:0:0::7]:443", "2001:db8::7"],
      ["[2001:db8::7]", "2001:db8::7"],
      ["2001:db8:0000::7", "2001:db8::7"],
      ["::ffff:198.51.100.7", "198.51.100.7"],
      ["[::ffff:198.51.100.7]:80", "198.51.100.7"],
      ["fe80::1%eth0", "fe80::1"],
    ];
    for (const [entry, want] of cases) {
      expect(clientAddress({ peer: "10.0.0.2", xForwardedFor: entry }, balancers), entry).toBe(want);
    }
  });

  it("trusts an IPv6 balancer and an IPv4-mapped peer by their real address", () => {
    expect(clientAddress({ peer: "2001:db8:feed::1", xForwardedFor: "198.51.100.7" }, balancers)).toBe(
      "198.51.100.7",
    );
    expect(clientAddress({ peer: "::ffff:10.0.0.2", xForwardedFor: "198.51.100.7" }, balancers)).toBe(
      "198.51.100.7",
    );
    expect(clientAddress({ peer: "::ffff:203.0.113.9", xForwardedFor: "1.2.3.4" }, balancers)).toBe(
      "203.0.113.9",
    );
  });

  it("does not walk past MAX_PROXY_HOPS trusted hops", () => {
    const many = Array.from({ length: 500 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
    const xForwardedFor = ["198.51.100.7", ...many].join(", ");
    const got = clientAddress({ peer: "10.0.0.2", xForwardedFor }, balancers);
    expect(got).toBe(many[many.length - MAX_PROXY_HOPS]);
    expect(got).not.toBe("198.51.100.7");
  });

  it("is 'unknown' when even the peer has no address", () => {
    expect(clientAddress({ peer: undefined, xForwardedFor: "1.2.3.4" }, parseTrustProxy("1"))).toBe(
      "unknown",
    );
  });
});

describe("the client address from RFC 7239 Forwarded", () => {
  it("reads for= of each element, quoted or not, right to left", () => {
    const forwarded = 'for=6.6.6.6;proto=https, For="[2001:db8:cafe::17]:4711";by=10.0.0.3, for=10.0.0.3';
    expect(clientAddress({ peer: "10.0.0.2", forwarded }, forwardedBalancers)).toBe("2001:db8:cafe::17");
  });

  it("reads only the configured header: a client can send the other one itself", () => {
    const input = { peer: "10.0.0.2", forwarded: "for=1.2.3.4", xForwardedFor: "198.51.100.7" };
    expect(clientAddress(input, balancers)).toBe("198.51.100.7");
    expect(clientAddress(input, forwardedBalancers)).toBe("1.2.3.4");
  });

  it("stops at obfuscated identifiers, unknown, elements without for= and malformed elements", () => {
    for (const forwarded of [
      'for="_gazonk"',
      "for=unknown",
      "for=_hidden, for=unknown",
      "proto=https;by=10.0.0.3",
      'for="198.51.100.7', // an unterminated quoted string
      "for=198.51.100.7;;=x",
    ]) {
      expect(clientAddress({ peer: "10.0.0.2", forwarded }, forwardedBalancers), forwarded).toBe("10.0.0.2");
    }
  });

  it("keeps what trusted hops appended after a client's malformed element", () => {
    const forwarded = 'for=";;,,"junk\\"", garbage===, for=198.51.100.7, for="[2001:db8:feed::9]"';
    expect(clientAddress({ peer: "10.0.0.2", forwarded }, forwardedBalancers)).toBe("198.51.100.7");
  });

  it("does not split inside quoted strings", () => {
    const forwarded = 'for=6.6.6.6, for="198.51.100.7";ext="a, for=10.0.0.5"';
    expect(clientAddress({ peer: "10.0.0.2", forwarded }, forwardedBalancers)).toBe("198.51.100.7");
  });
});

describe("canonicalIp", () => {
  it.each(["", "unknown", "_hidden", "1.2.3", "1.2.3.4.5", "256.1.1.1", "[1.2.3.4", "1.2.3.4:99999", "::g"])(
    "is null for %j",
    (s) => expect(canonicalIp(s)).toBeNull(),
  );
});
