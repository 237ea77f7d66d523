import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiFailure, ApiResult } from "./api";
import { secondsUntil } from "./checks";
import { TextField, type TextFieldProps } from "./form";

// The SMS code of registration, password recovery and the declaration-password reset: its field, its
// 获取验证码 button with the hub's resend interval, and what a send answered.

/** 短信验证码, with its 获取验证码 button beside it. */
export function SmsCodeField(
  p: Pick<TextFieldProps, "id" | "value" | "onValue" | "invalid" | "hint" | "placeholder" | "aside">,
) {
  return (
    <TextField
      {...p}
      label="短信验证码"
      autocomplete="one-time-code"
      inputMode="numeric"
      maxLength={8}
      required
    />
  );
}

/** Seconds left of a countdown that started with `start(n)`; ticks once a second. */
export function useCountdown(): [number, (seconds: number) => void] {
  const [left, setLeft] = useState(0);
  const until = useRef(0);
  useEffect(() => {
    if (left <= 0) return;
    const timer = setTimeout(
      () => setLeft(Math.max(0, Math.ceil((until.current - Date.now()) / 1000))),
      1000,
    );
    return () => clearTimeout(timer);
  }, [left]);
  const start = (seconds: number) => {
    until.current = Date.now() + seconds * 1000;
    setLeft(seconds);
  };
  return [left, start];
}

/**
 * 获取验证码, then 「N秒后重新获取」 for the interval the hub names (60 s): `send` resolves the seconds
 * to wait, or null when sending failed (the form shows why).
 */
export function SmsButton({
  send,
  disabled,
  startWith,
}: {
  send(): Promise<number | null>;
  disabled?: boolean;
  /** A code went out already (the step before sent it): count down from this many seconds at once. */
  startWith?: number;
}) {
  const [left, start] = useCountdown();
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(startWith !== undefined);
  // only the first render's value counts
  useEffect(() => {
    if (startWith) start(startWith);
  }, []);
  const click = async () => {
    setBusy(true);
    try {
      const wait = await send();
      if (wait !== null) {
        setSent(true);
        start(wait);
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      class="button small sms-button"
      disabled={disabled || busy || left > 0}
      onClick={click}
    >
      {left > 0 ? `${left}秒后重新获取` : busy ? "发送中…" : sent ? "重新获取" : "获取验证码"}
    </button>
  );
}

/** An SMS send's answer as SmsButton wants it: the seconds until 重新获取, or null once the form says why. */
export function smsWait<T extends { resendAt: string }>(
  r: ApiResult<T>,
  onSent: (data: T) => void,
  onError: (error: ApiFailure) => void,
): number | null {
  if (r.ok) {
    onSent(r.data);
    return secondsUntil(r.data.resendAt, Date.now());
  }
  onError(r.error);
  return r.error.retryAfterS ?? null;
}
