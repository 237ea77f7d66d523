import { describe, expect, it } from "vitest";
import { regionOf } from "../../../server/geo";

// 所在地 as the confirm page shows it, from the database the `ip2region` package ships.

describe("a public address", () => {
  it.each([
    // From ip2region's own test and bench data (its README and ip2region.js tests/bench.app.js).
    ["113.118.113.77", "广东省 深圳市"],
    ["113.118.112.93", "广东省 深圳市"],
    ["120.229.45.92", "广东省 深圳市"],
    ["58.251.30.115", "广东省 深圳市"],
    ["219.133.111.87", "广东省 深圳市"],
    ["126.255.32.255", "日本"],
    ["240e:3b7::", "广东省 广州市"],
    ["2604:a840:3::a04d", "美国"],
    ["2a02:26f7:c409:4001::", "荷兰"],
    // Well-known public resolvers and carriers' DNS servers.
    ["114.114.114.114", "江苏省 南京市"],
    ["223.5.5.5", "浙江省 杭州市"],
    ["61.139.2.69", "四川省 成都市"],
    ["218.30.19.40", "陕西省 西安市"],
    ["202.96.134.133", "广东省 深圳市"],
    ["202.100.192.68", "海南省 海口市"],
    ["8.8.8.8", "美国"],
    ["2400:3200::1", "浙江省 杭州市"],
    ["2402:4e00::", "广东省 深圳市"],
  ])("%s is in %s", (ip, label) => {
    expect(regionOf(ip)?.label).toBe(label);
  });

  it("names a municipality once, with its full name", () => {
    expect(regionOf("180.76.76.76")).toMatchObject({
      label: "北京市",
      scope: "public",
      country: "中国",
      province: "北京市",
      city: null,
    });
    expect(regionOf("202.96.209.133")?.label).toBe("上海市");
  });

  it("uses the GB/T 2260 names the database shortens (广西, 香港…)", () => {
    expect(regionOf("202.103.224.68")).toMatchObject({
      label: "广西壮族自治区 南宁市",
      province: "广西壮族自治区",
      city: "南宁市",
    });
    expect(regionOf("202.45.84.58")?.label).toBe("香港特别行政区");
  });

  it("gives the parts and the carrier beside the label", () => {
    expect(regionOf("202.96.134.133")).toEqual({
      label: "广东省 深圳市",
      scope: "public",
      country: "中国",
      province: "广东省",
      city: "深圳市",
      isp: "电信",
    });
  });

  it("reads IPv4-mapped IPv6 and bracketed addresses as the IPv4 one", () => {
    expect(regionOf("::ffff:113.118.113.77")?.label).toBe("广东省 深圳市");
    expect(regionOf("[::ffff:113.118.113.77]")?.label).toBe("广东省 深圳市");
    expect(regionOf(" 113.118.113.77 ")?.label).toBe("广东省 深圳市");
  });
});

describe("an address that is not on the internet", () => {
  it.each(["127.0.0.1", "127.8.8.8", "::1", "::ffff:127.0.0.1"])("%s is 本机", (ip) => {
    expect(regionOf(ip)).toEqual({
      label: "本机",
      scope: "loopback",
      country: null,
      province: null,
      city: null,
      isp: null,
    });
  });

  it.each([
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.100",
    "169.254.10.20",
    "100.64.0.1",
    "100.127.255.254",
    "fe80::1",
    "fe80::1%eth0",
    "fd12:3456::1",
    "fc00::1",
    "::ffff:192.168.1.1",
  ])("%s is 内网", (ip) => {
    expect(regionOf(ip)).toMatchObject({ label: "内网", scope: "private" });
  });
});

describe("an address the database cannot place", () => {
  it.each([
    "",
    "unknown",
    "_hidden",
    "1.2.3",
    "010.0.0.1",
    "0x7f.0.0.1",
    "0.0.0.0",
    "::",
    "224.0.0.1",
    "255.255.255.255",
    "192.0.2.1",
    "2001:db8::1",
    "ff02::1",
    "2001:4860:4860::8888", // anycast: 全球
  ])("%j is null (未知)", (ip) => {
    expect(regionOf(ip)).toBeNull();
  });
});
