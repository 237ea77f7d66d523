import type { CompanyRecord } from "../../../shared/api/app";
import { beijingTime } from "./checks";

// 办税记录 as both fronts word it: one line each for when, who, what, how and from where. Pure, so the
// phone's list and the portal's table say the same thing.

export const LOGIN_LABELS: Record<NonNullable<CompanyRecord["login"]>, string> = {
  password: "账号密码登录",
  qr: "扫码登录",
};

export const VIA_LABELS: Record<NonNullable<CompanyRecord["via"]>, string> = {
  declaration_password: "申报密码",
  authorization: "办税授权",
  ca: "CA",
};

/** 「2024-03-01 09:00」, Beijing time whatever the device's zone. */
export function recordTime(r: CompanyRecord): string {
  return beijingTime(r.at).slice(0, 16);
}

/** 「*芳（居民身份证 1101**********4514）」, masked as for anyone else; 「—」 when not known. */
export function recordWho(r: CompanyRecord): string {
  if (!r.who) return "—";
  return `${r.who.maskedName}（${r.who.idType} ${r.who.maskedIdNumber}）`;
}

/** What happened: 进入单位, or a wrong declaration password (and whether that try locked it). */
export function recordEvent(r: CompanyRecord): string {
  if (r.kind === "entered") return "进入单位";
  return r.locked ? "申报密码错误（已锁定）" : "申报密码错误";
}

/** How: the client's login and the way into the company, 「扫码登录 · 办税授权」. */
export function recordHow(r: CompanyRecord): string {
  const parts = [r.login ? LOGIN_LABELS[r.login] : null, r.via ? VIA_LABELS[r.via] : null];
  if (r.kind === "password_wrong" && !r.via) parts.push("申报密码");
  const known = parts.filter((p): p is string => p !== null);
  return known.length ? known.join(" · ") : "—";
}

/** The masked address and its 所在地; 「未知」 for what was not recorded or cannot be placed. */
export function recordFrom(r: CompanyRecord): { address: string; region: string } {
  return { address: r.address ?? "未知", region: r.region ?? "未知" };
}
