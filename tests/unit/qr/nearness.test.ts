import { describe, expect, it } from "vitest";
import { regionOf } from "../../../server/geo";
import { nearness } from "../../../server/qr/nearness";

// The computer that asks, against the phone that confirms, both by the addresses the hub saw.

const at = (ip: string) => ({ ip, region: regionOf(ip) });

describe("how near the asking computer is to the phone", () => {
  it.each([
    ["one address (the office's Wi-Fi)", "113.118.113.77", "113.118.113.77", "same-address"],
    ["two addresses in one city (深圳)", "113.118.113.77", "202.96.134.133", "same-place"],
    ["one municipality (北京市)", "180.76.76.76", "180.76.76.76", "same-address"],
    ["two provinces (广东 / 北京)", "113.118.113.77", "180.76.76.76", "elsewhere"],
    ["two cities of one province (深圳 / 广州)", "113.118.113.77", "240e:3b7::", "elsewhere"],
    ["abroad and at home (美国 / 深圳)", "8.8.8.8", "113.118.113.77", "elsewhere"],
    ["both on the internal network", "10.1.2.3", "192.168.1.20", "same-place"],
    ["an internal computer and a phone on the internet", "10.1.2.3", "113.118.113.77", "unknown"],
    ["an address nobody can place", "192.0.2.1", "113.118.113.77", "unknown"],
  ])("%s: %s vs %s → %s", (_what, asker, phone, expected) => {
    expect(nearness(at(asker), at(phone))).toBe(expected);
  });
});
