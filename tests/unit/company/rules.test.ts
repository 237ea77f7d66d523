import { describe, expect, it } from "vitest";
import {
  authorizationActive,
  type CompanyFacts,
  type CompanyLink,
  caOffered,
  checkEnter,
  companyStep,
  companyView,
  type Method,
  mergeLinks,
  methodsFor,
  type TimeGates,
  visibleCompanies,
} from "../../../server/company/rules";
import { beijingMidnight } from "../../../server/config";

// The seed's own dates: authorization from, and CA until, 2020-01-01 (Beijing).
const seedGates: TimeGates = {
  authorizationFrom: beijingMidnight("2020-01-01"),
  caCutoff: beijingMidnight("2020-01-01"),
};
const lastSecondBefore = new Date("2019-12-31T23:59:59+08:00");
const firstMomentOn = new Date("2020-01-01T00:00:00+08:00");

const company = (over: Partial<CompanyFacts>): CompanyFacts => ({
  taxId: "91350100M000100Y43",
  name: "福州某某科技有限公司",
  local: true,
  bound: false,
  authorized: false,
  declarationLockedUntil: null,
  ...over,
});

describe("the two time gates", () => {
  it.each([
    ["the last second of 2019-12-31 (Beijing)", lastSecondBefore, true, false],
    ["midnight 2020-01-01 (Beijing)", firstMomentOn, false, true],
    ["2020-01-01T00:00 in UTC, already 08:00 in Beijing", new Date("2020-01-01T00:00:00Z"), false, true],
    ["2019-12-31T15:59:59 in UTC, still 2019 in Beijing", new Date("2019-12-31T15:59:59Z"), true, false],
  ])("at %s: CA offered %s, authorization active %s", (_label, now, ca, auth) => {
    expect(caOffered(now, seedGates)).toBe(ca);
    expect(authorizationActive(now, seedGates)).toBe(auth);
  });

  it("keeps the two dates independent", () => {
    const gates = {
      authorizationFrom: beijingMidnight("2020-06-01"),
      caCutoff: beijingMidnight("2020-01-01"),
    };
    const now = new Date("2020-03-01T12:00:00+08:00");
    expect(caOffered(now, gates)).toBe(false);
    expect(authorizationActive(now, gates)).toBe(false);
  });
});

describe("the ways into a company", () => {
  it.each<[string, Partial<CompanyFacts>, Date, Method[]]>([
    ["bound local, before the cut-off", { bound: true }, lastSecondBefore, ["declaration_password", "ca"]],
    ["bound local, on the cut-off", { bound: true }, firstMomentOn, ["declaration_password"]],
    ["bound, not local, before", { bound: true, local: false }, lastSecondBefore, ["declaration_password"]],
    ["authorized only, before authorization starts", { authorized: true }, lastSecondBefore, []],
    ["authorized only, from the day it starts", { authorized: true }, firstMomentOn, ["authorization"]],
    [
      "bound and authorized, before",
      { bound: true, authorized: true },
      lastSecondBefore,
      ["declaration_password", "ca"],
    ],
    [
      "bound and authorized, from the day",
      { bound: true, authorized: true },
      firstMomentOn,
      ["authorization", "declaration_password"],
    ],
  ])("%s: %j", (_label, facts, now, methods) => {
    expect(methodsFor(company(facts), now, seedGates)).toEqual(methods);
  });

  it.each<[string, CompanyFacts | undefined, Method, Date, string | null]>([
    [
      "CA for a bound local company before the cut-off",
      company({ bound: true }),
      "ca",
      lastSecondBefore,
      null,
    ],
    ["CA on the cut-off", company({ bound: true }), "ca", firstMomentOn, "CA_NOT_OFFERED"],
    ["CA after the cut-off, even for a company not linked", undefined, "ca", firstMomentOn, "CA_NOT_OFFERED"],
    [
      "CA for a company that is not local",
      company({ bound: true, local: false }),
      "ca",
      lastSecondBefore,
      "CA_NOT_LOCAL",
    ],
    [
      "CA for a company not bound",
      company({ authorized: true }),
      "ca",
      lastSecondBefore,
      "COMPANY_NOT_LINKED",
    ],
    [
      "authorization before it starts",
      company({ authorized: true }),
      "authorization",
      lastSecondBefore,
      "AUTHORIZATION_NOT_ACTIVE",
    ],
    [
      "authorization from the day it starts",
      company({ authorized: true }),
      "authorization",
      firstMomentOn,
      null,
    ],
    [
      "authorization with no grant",
      company({ bound: true }),
      "authorization",
      firstMomentOn,
      "NOT_AUTHORIZED",
    ],
    ["authorization for an unknown company", undefined, "authorization", firstMomentOn, "NOT_AUTHORIZED"],
    [
      "declaration password for a bound company",
      company({ bound: true }),
      "declaration_password",
      firstMomentOn,
      null,
    ],
    [
      "declaration password when only authorized",
      company({ authorized: true }),
      "declaration_password",
      firstMomentOn,
      "COMPANY_NOT_LINKED",
    ],
    [
      "declaration password for an unknown company",
      undefined,
      "declaration_password",
      firstMomentOn,
      "COMPANY_NOT_LINKED",
    ],
  ])("%s → %s", (_label, facts, method, now, code) => {
    expect(checkEnter(facts, method, now, seedGates)).toEqual(code ? { ok: false, code } : { ok: true });
  });
});

describe("the company list and the next step", () => {
  const links: CompanyLink[] = [
    { taxId: "A", name: "甲公司", local: true, access: "bound" },
    { taxId: "B", name: "乙公司", local: false, access: "authorized" },
    { taxId: "A", name: "甲公司", local: true, access: "authorized" },
  ];

  it("merges a company that is both bound and authorizing into one entry", () => {
    expect(mergeLinks(links)).toEqual([
      {
        taxId: "A",
        name: "甲公司",
        local: true,
        bound: true,
        authorized: true,
        declarationLockedUntil: null,
      },
      {
        taxId: "B",
        name: "乙公司",
        local: false,
        bound: false,
        authorized: true,
        declarationLockedUntil: null,
      },
    ]);
  });

  it("before authorization starts, lists only bound companies and goes straight on with the one", () => {
    const step = companyStep(mergeLinks(links), lastSecondBefore, seedGates);
    expect(step).toEqual({
      kind: "one",
      company: expect.objectContaining({ taxId: "A" }),
      methods: ["declaration_password", "ca"],
      withoutPassword: false,
    });
  });

  it("from the day authorization starts, lists the authorizing companies too and asks to pick", () => {
    expect(companyStep(mergeLinks(links), firstMomentOn, seedGates)).toEqual({
      kind: "pick",
      companies: [
        { taxId: "A", name: "甲公司", access: "authorized", ca: false },
        { taxId: "B", name: "乙公司", access: "authorized", ca: false },
      ],
    });
  });

  it("lists CA for a bound 本市 company before the cut-off only, and only on a hub with a CA root", () => {
    const local = company({ bound: true, local: true });
    expect(companyView(local, lastSecondBefore, seedGates).ca).toBe(true);
    expect(companyView(local, firstMomentOn, seedGates).ca).toBe(false);
    expect(companyView(local, lastSecondBefore, seedGates, false).ca).toBe(false);
    expect(companyView(company({ bound: true, local: false }), lastSecondBefore, seedGates).ca).toBe(false);
    // Authorized but not bound: the certificate path is for companies the handler added.
    expect(companyView(company({ authorized: true }), lastSecondBefore, seedGates).ca).toBe(false);
  });

  it("enters a single authorizing company with no declaration password", () => {
    const step = companyStep(mergeLinks([links[1] as CompanyLink]), firstMomentOn, seedGates);
    expect(step).toMatchObject({ kind: "one", methods: ["authorization"], withoutPassword: true });
  });

  it("asks to add a company when the handler has none (first time)", () => {
    expect(companyStep([], firstMomentOn, seedGates)).toEqual({ kind: "add" });
    expect(companyStep(mergeLinks([links[1] as CompanyLink]), lastSecondBefore, seedGates)).toEqual({
      kind: "add",
    });
    expect(visibleCompanies(mergeLinks([links[1] as CompanyLink]), lastSecondBefore, seedGates)).toEqual([]);
  });

  it("shows a bound company's declaration lock only while it lasts", () => {
    const until = new Date("2020-01-01T02:00:00+08:00");
    const locked = company({ bound: true, declarationLockedUntil: until });
    expect(companyView(locked, firstMomentOn, seedGates).lockedUntil).toBe(until.toISOString());
    expect(companyView(locked, until, seedGates).lockedUntil).toBeUndefined();
  });
});
