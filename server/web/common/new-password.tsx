import { useState } from "preact/hooks";
import type { Checklist } from "./checks";
import { ChecklistView, TextField } from "./form";

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
