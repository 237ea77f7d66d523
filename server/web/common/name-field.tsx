import { useEffect, useRef, useState } from "preact/hooks";
import { insertAtCaret, type RareSource } from "./rare-data";
import { RarePicker } from "./rare-picker";

// A name input with 「录入生僻字」 beside it (seed 2.1/2.2): the picked character goes in at the caret.

export interface NameFieldProps {
  id: string;
  value: string;
  onValue(value: string): void;
  label?: string;
  name?: string;
  placeholder?: string;
  required?: boolean;
  /** Passed to the picker; tests use a small index. */
  loadIndex?: () => Promise<RareSource>;
}

export function NameField({
  id,
  value,
  onValue,
  label = "姓名",
  name = "name",
  placeholder = "请输入姓名",
  required,
  loadIndex,
}: NameFieldProps) {
  const input = useRef<HTMLInputElement>(null);
  // The selection as it was before the picker took the focus.
  const selection = useRef<{ start: number | null; end: number | null }>({ start: null, end: null });
  const caretAfterRender = useRef<number | null>(null);
  const [picking, setPicking] = useState(false);

  const remember = () => {
    const el = input.current;
    if (el) selection.current = { start: el.selectionStart, end: el.selectionEnd };
  };

  useEffect(() => {
    const el = input.current;
    const caret = caretAfterRender.current;
    if (!el || caret === null || picking) return;
    caretAfterRender.current = null;
    el.focus();
    el.setSelectionRange(caret, caret);
    selection.current = { start: caret, end: caret };
  }, [value, picking]);

  const pick = (char: string) => {
    const next = insertAtCaret(value, selection.current.start, selection.current.end, char);
    caretAfterRender.current = next.caret;
    setPicking(false);
    onValue(next.value);
  };

  return (
    <div class="field">
      <label for={id}>
        {required && <span class="required">*</span>}
        {label}
      </label>
      <div class="field-row">
        <input
          ref={input}
          id={id}
          name={name}
          class="input rare-char"
          autocomplete="name"
          placeholder={placeholder}
          value={value}
          required={required}
          onInput={(e) => {
            onValue(e.currentTarget.value);
            remember();
          }}
          onSelect={remember}
          onKeyUp={remember}
          onClick={remember}
          onBlur={remember}
        />
        <button type="button" class="button small" onClick={() => setPicking(true)}>
          录入生僻字
        </button>
      </div>
      {picking && <RarePicker onPick={pick} onClose={() => setPicking(false)} loadIndex={loadIndex} />}
    </div>
  );
}
