import type { z } from "zod";
import type { ErrorCode } from "../../shared/errors";
import type { CompanyView, EnterMethod } from "../../shared/protocol";
import type { Config } from "../config";

// seed 1.3 — the company step, pure. The store hands over the handler's links (bindings and
// authorizations); these rules decide what the client sees and which ways in each company offers.

export type Method = z.infer<typeof EnterMethod>;
type View = z.infer<typeof CompanyView>;

/** The two dated switches of the seed, as configured (Beijing midnight). */
export type TimeGates = Pick<Config, "authorizationFrom" | "caCutoff">;

/** One row from the store: a binding (added with the declaration password) or an authorization. */
export interface CompanyLink {
  taxId: string;
  name: string;
  /** 本市单位: the only ones with a local CA certificate. */
  local: boolean;
  access: "bound" | "authorized";
  declarationLockedUntil?: Date | null;
}

/** Everything the handler has with one company, links merged. */
export interface CompanyFacts {
  taxId: string;
  name: string;
  local: boolean;
  bound: boolean;
  /** An active (not revoked) authorization from the legal representative. */
  authorized: boolean;
  declarationLockedUntil: Date | null;
}

/** seed: "2020年1月1日将上线办税授权关系功能". */
export function authorizationActive(now: Date, gates: TimeGates): boolean {
  return now.getTime() >= gates.authorizationFrom.getTime();
}

/** seed: "2020年1月1日后，扣缴客户端将不再支持以CA方式进行登录". */
export function caOffered(now: Date, gates: TimeGates): boolean {
  return now.getTime() < gates.caCutoff.getTime();
}

/** One entry per company, in the order first seen; a company can be both bound and authorizing. */
export function mergeLinks(links: readonly CompanyLink[]): CompanyFacts[] {
  const byTaxId = new Map<string, CompanyFacts>();
  for (const l of links) {
    const f = byTaxId.get(l.taxId) ?? {
      taxId: l.taxId,
      name: l.name,
      local: l.local,
      bound: false,
      authorized: false,
      declarationLockedUntil: null,
    };
    if (l.access === "bound") f.bound = true;
    else f.authorized = true;
    f.declarationLockedUntil = l.declarationLockedUntil ?? f.declarationLockedUntil;
    byTaxId.set(l.taxId, f);
  }
  return [...byTaxId.values()];
}

/** The ways into a company today. */
export function methodsFor(f: CompanyFacts, now: Date, gates: TimeGates): Method[] {
  const methods: Method[] = [];
  if (f.authorized && authorizationActive(now, gates)) methods.push("authorization");
  if (f.bound) methods.push("declaration_password");
  if (f.bound && f.local && caOffered(now, gates)) methods.push("ca");
  return methods;
}

/** The list the client sees: bound companies plus those whose authorization applies today. */
export function visibleCompanies(
  facts: readonly CompanyFacts[],
  now: Date,
  gates: TimeGates,
): CompanyFacts[] {
  return facts.filter((f) => methodsFor(f, now, gates).length > 0);
}

/** One company as the client lists it; `caConfigured`: the hub has a CA root (CA_ROOTS_FILE). */
export function companyView(f: CompanyFacts, now: Date, gates: TimeGates, caConfigured = true): View {
  const viaAuthorization = f.authorized && authorizationActive(now, gates);
  const locked = f.bound && f.declarationLockedUntil && f.declarationLockedUntil.getTime() > now.getTime();
  return {
    taxId: f.taxId,
    name: f.name,
    access: viaAuthorization ? "authorized" : "bound",
    // seed 1.3.1: "本市单位也可通过CA进行校验", until the cut-off.
    ca: caConfigured && methodsFor(f, now, gates).includes("ca"),
    ...(locked && f.declarationLockedUntil ? { lockedUntil: f.declarationLockedUntil.toISOString() } : {}),
  };
}

export type CompanyStep =
  /** seed 1.3: the first time, add a company by taxpayer ID + declaration password. */
  | { kind: "add" }
  /** seed 1.3.1: one company, straight on. `withoutPassword`: its authorization lets the handler in. */
  | { kind: "one"; company: CompanyFacts; methods: Method[]; withoutPassword: boolean }
  /** seed 1.3.2: several; the handler picks one (double-click, or select and 「进入」). */
  | { kind: "pick"; companies: View[] };

export function companyStep(
  facts: readonly CompanyFacts[],
  now: Date,
  gates: TimeGates,
  caConfigured = true,
): CompanyStep {
  const visible = visibleCompanies(facts, now, gates);
  const [only] = visible;
  if (!only) return { kind: "add" };
  if (visible.length === 1) {
    const methods = methodsFor(only, now, gates);
    return { kind: "one", company: only, methods, withoutPassword: methods.includes("authorization") };
  }
  return { kind: "pick", companies: visible.map((f) => companyView(f, now, gates, caConfigured)) };
}

export type EnterCheck = { ok: true } | { ok: false; code: ErrorCode };

/**
 * May the handler try this way into this company now? `company` is the handler's merged facts for
 * the taxpayer ID asked for, or undefined when they have no link to it. The password itself, and
 * its lock, are checked afterwards (guardedAttempt).
 */
export function checkEnter(
  company: CompanyFacts | undefined,
  method: Method,
  now: Date,
  gates: TimeGates,
): EnterCheck {
  if (method === "ca") {
    // The cut-off comes first: after it CA is gone for everyone, and the answer says so.
    if (!caOffered(now, gates)) return { ok: false, code: "CA_NOT_OFFERED" };
    if (!company?.bound) return { ok: false, code: "COMPANY_NOT_LINKED" };
    if (!company.local) return { ok: false, code: "CA_NOT_LOCAL" };
    return { ok: true };
  }
  if (method === "authorization") {
    if (!authorizationActive(now, gates)) return { ok: false, code: "AUTHORIZATION_NOT_ACTIVE" };
    if (!company?.authorized) return { ok: false, code: "NOT_AUTHORIZED" };
    return { ok: true };
  }
  if (!company?.bound) return { ok: false, code: "COMPANY_NOT_LINKED" };
  return { ok: true };
}
