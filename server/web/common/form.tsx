import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiFailure, ApiResult } from "./api";
import { type Checklist, secondsUntil } from "./checks";

// The pieces every form of the phone pages and the portal is built from.

export interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onValue(value: string): void;
  type?: "text" | "password" | "tel";
  required?: boolean;
  autocomplete?: string;
  placeholder?: string;
  inputMode?: "text" | "numeric" | "tel";
  maxLength?: number;
  /** The server named this field as the one at fault. */
  invalid?: boolean;
  hint?: ComponentChildren;
  /** Beside the input (a 获取验证码 button). */
  aside?: ComponentChildren;
  /** Below the input (a rules checklist). */
  children?: ComponentChildren;
}

/** A field's label, with the red * of a required one. */
export function FieldLabel({ id, label, required }: { id: string; label: string; required?: boolean }) {
  return (
    <label for={id}>
      {required && <span class="required">*</span>}
      {label}
    </label>
  );
}

export function TextField(p: TextFieldProps) {
  const input = (
    <input
      id={p.id}
      class="input"
      // preact types each input `type` apart; these three take the same attributes
      type={(p.type ?? "text") as "text"}
      value={p.value}
      required={p.required}
      autocomplete={p.autocomplete ?? "off"}
      placeholder={p.placeholder}
      inputMode={p.inputMode}
      maxLength={p.maxLength}
      aria-invalid={p.invalid || undefined}
      onInput={(e) => p.onValue(e.currentTarget.value)}
    />
  );
  return (
    <div class="field">
      <FieldLabel id={p.id} label={p.label} required={p.required} />
      {p.aside ? (
        <div class="field-row">
          {input}
          {p.aside}
        </div>
      ) : (
        input
      )}
      {p.hint && <small class="hint">{p.hint}</small>}
      {p.children}
    </div>
  );
}

export function SelectField<T extends string>({
  id,
  label,
  value,
  options,
  onValue,
  required,
  disabled,
}: {
  id: string;
  label: string;
  value: T;
  options: readonly (readonly [T, string])[];
  onValue(value: T): void;
  required?: boolean;
  disabled?: boolean;
}) {
  return (
    <div class="field">
      <FieldLabel id={id} label={label} required={required} />
      <select
        id={id}
        class="input"
        value={value}
        disabled={disabled}
        onChange={(e) => onValue(e.currentTarget.value as T)}
      >
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A new password typed twice, and the rules it is held to. */
export interface NewPassword {
  value: string;
  setValue(v: string): void;
  again: string;
  setAgain(v: string): void;
  rules: Checklist;
}

export function useNewPassword(check: (value: string) => Checklist): NewPassword {
  const [value, setValue] = useState("");
  const [again, setAgain] = useState("");
  return { value, setValue, again, setAgain, rules: check(value) };
}

/**
 * The two fields of a new password (登录密码, 申报密码): its rules under the first, 「两次输入的…不一致」
 * under the second once it differs. `what` names it; `fresh` says 新… (a reset, not a first one).
 */
export function NewPasswordFields(p: {
  ids: [string, string];
  what: "密码" | "申报密码";
  fresh?: boolean;
  state: NewPassword;
  /** The server named the password as the field at fault. */
  invalid?: boolean;
  placeholders?: [string, string];
}) {
  const { value, setValue, again, setAgain, rules } = p.state;
  const name = `${p.fresh ? "新" : ""}${p.what}`;
  return (
    <>
      <TextField
        id={p.ids[0]}
        label={name}
        type="password"
        value={value}
        onValue={setValue}
        autocomplete="new-password"
        placeholder={p.placeholders?.[0]}
        invalid={p.invalid}
        required
      >
        <ChecklistView list={rules} value={value} label={`${p.what}规则`} />
      </TextField>
      <TextField
        id={p.ids[1]}
        label={`确认${name}`}
        type="password"
        value={again}
        onValue={setAgain}
        autocomplete="new-password"
        placeholder={p.placeholders?.[1]}
        required
      >
        {again !== "" && again !== value && <small class="field-error">两次输入的{p.what}不一致</small>}
      </TextField>
    </>
  );
}

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

/** The hub's message, as it sent it. */
export function FormError({ error }: { error: ApiFailure | string | null }) {
  if (!error) return null;
  return (
    <p class="form-error" role="alert">
      {typeof error === "string" ? error : error.message}
    </p>
  );
}

/** Each rule on its own line, marked kept or broken once the person has typed something. */
export function ChecklistView({ list, value, label }: { list: Checklist; value: string; label: string }) {
  return (
    <ul class="checklist" aria-label={label}>
      {list.checks.map((c) => {
        const state = value === "" ? "todo" : c.ok ? "ok" : "fail";
        return (
          <li key={c.label} class={state} data-state={state}>
            <span class="checklist-mark" aria-hidden="true">
              {state === "ok" ? "✓" : state === "fail" ? "✗" : "·"}
            </span>
            {c.label}
            {state === "fail" && <span class="visually-hidden">（未满足）</span>}
          </li>
        );
      })}
    </ul>
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

/** 上一步 and the step's own submit button, at the foot of a portal form. */
export function BackAndSubmit({
  onBack,
  busy,
  label,
  busyLabel,
}: {
  onBack(): void;
  busy: boolean;
  label: string;
  busyLabel: string;
}) {
  return (
    <div class="actions">
      <button type="button" class="button" onClick={onBack}>
        上一步
      </button>
      <button type="submit" class="button primary" disabled={busy}>
        {busy ? busyLabel : label}
      </button>
    </div>
  );
}

/** Runs one submission at a time; `busy` disables the button meanwhile. */
export function useSubmit(): [boolean, (run: () => Promise<void>) => Promise<void>] {
  const [busy, setBusy] = useState(false);
  const guard = useRef(false);
  const submit = async (run: () => Promise<void>) => {
    if (guard.current) return;
    guard.current = true;
    setBusy(true);
    try {
      await run();
    } finally {
      guard.current = false;
      setBusy(false);
    }
  };
  return [busy, submit];
}
