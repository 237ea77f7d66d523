import { beijingTime } from "../../shared/time";
import type { EnterMethod, LoginMethod } from "../core/view";

// The words the client shows for the handshake's enums (seed 1.1–1.3).
export const LOGIN_METHOD: Record<LoginMethod, string> = {
  password: "账号密码登录",
  qr: "扫码登录",
};

export const ENTER_METHOD: Record<EnterMethod, string> = {
  declaration_password: "申报密码",
  authorization: "办税授权",
  ca: "CA",
};

/** 2025-03-01 14:05, Beijing time whatever the PC's time zone (as the pages and the hall show it). */
export function formatTime(iso: string): string {
  const t = beijingTime(iso);
  return t === "—" ? "" : t.slice(0, 16);
}

/** Seconds left until `iso` on the hub's clock (local time + the offset measured at welcome). */
export function secondsLeft(iso: string | undefined, now: number, clockOffsetMs = 0): number {
  if (!iso) return 0;
  return Math.max(0, Math.ceil((Date.parse(iso) - (now + clockOffsetMs)) / 1000));
}
