import { useState } from "preact/hooks";
import {
  INITIAL_MODE,
  type Key,
  type KeyboardMode,
  keyboardRows,
  keyLabel,
  keyName,
  pressKey,
} from "../core/keyboard";
import { KeyboardIcon } from "./icons";

interface Props {
  id: string;
  label: string;
  value: string;
  onInput(value: string): void;
  placeholder?: string;
  /** seed 1.1: the login password opens with the soft keyboard shown. */
  keyboardOpen?: boolean;
  maxLength?: number;
  disabled?: boolean;
}

/**
 * A password input with the on-screen keyboard under it. The popup is an extension page, so no web
 * page script sees these clicks; the physical keyboard still works for those who prefer it.
 */
export function PasswordField({
  id,
  label,
  value,
  onInput,
  placeholder,
  keyboardOpen = false,
  maxLength = 64,
  disabled,
}: Props) {
  const [open, setOpen] = useState(keyboardOpen);
  const [mode, setMode] = useState<KeyboardMode>(INITIAL_MODE);
  const press = (key: Key) => {
    const r = pressKey(mode, value, key, maxLength);
    setMode(r.mode);
    if (r.text !== value) onInput(r.text);
    if (r.closed) setOpen(false);
  };
  return (
    <>
      <div class="field">
        <label for={id}>{label}</label>
        <div class="input-wrap">
          <input
            id={id}
            type="password"
            autocomplete="off"
            value={value}
            maxLength={maxLength}
            placeholder={placeholder}
            disabled={disabled}
            onInput={(e) => onInput(e.currentTarget.value)}
          />
          <button
            type="button"
            class={`kb-toggle${open ? " on" : ""}`}
            aria-label={open ? "关闭软键盘" : "打开软键盘"}
            aria-pressed={open}
            title="软键盘"
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => setOpen(!open)}
          >
            <KeyboardIcon />
          </button>
        </div>
      </div>
      {open && <SoftKeyboard mode={mode} onKey={press} />}
    </>
  );
}

export function SoftKeyboard({ mode, onKey }: { mode: KeyboardMode; onKey(key: Key): void }) {
  return (
    <fieldset class="soft-keyboard" aria-label="软键盘">
      {keyboardRows(mode).map((row, r) => (
        <div class="kb-row" key={r}>
          {row.map((key, i) => {
            const on = (key.kind === "shift" && mode.shift) || (key.kind === "caps" && mode.caps);
            return (
              <button
                type="button"
                key={`${r}-${i}`}
                class={`kb-key kb-${key.kind}${on ? " on" : ""}`}
                aria-pressed={key.kind === "shift" || key.kind === "caps" ? on : undefined}
                aria-label={keyName(key)}
                title={keyName(key)}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => onKey(key)}
              >
                {keyLabel(key, mode)}
              </button>
            );
          })}
        </div>
      ))}
    </fieldset>
  );
}
