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

const pad = (n: number) => String(n).padStart(2, "0");

/** 2025-03-01 14:05, in the person's local time. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Seconds left until `iso` on the hub's clock (local time + the offset measured at welcome). */
export function secondsLeft(iso: string | undefined, now: number, clockOffsetMs = 0): number {
  if (!iso) return 0;
  return Math.max(0, Math.ceil((Date.parse(iso) - (now + clockOffsetMs)) / 1000));
}
