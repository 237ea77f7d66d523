import type { ComponentChildren } from "preact";
import { useRef, useState } from "preact/hooks";
import type { ApiFailure } from "./api";
import type { Checklist } from "./checks";
import { Link } from "./router";

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

/** A finished flow's way on: 返回首页 as the page's main button. */
export function BackHome({ href }: { href: string }) {
  return (
    <div class="actions">
      <Link href={href} class="button primary">
        返回首页
      </Link>
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
