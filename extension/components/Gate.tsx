import { useEffect, useState } from "preact/hooks";
import { DECLARATION_PASSWORD_MAX } from "../../shared/protocol";
import type { GateView, UserAction } from "../core/view";
import { PasswordField } from "./PasswordField";

/** What every form the hub can refuse keeps: the secret typed, and the captcha once one is owed. */
export interface GateForm {
  password: string;
  setPassword(v: string): void;
  captcha: string;
  setCaptcha(v: string): void;
  /** No captcha owed, or one typed. */
  captchaOk: boolean;
  /** The answer to send with the try (only while a captcha is shown). */
  answer: string | undefined;
}

export function useGateForm(gate: GateView): GateForm {
  const [password, setPassword] = useState("");
  const [captcha, setCaptcha] = useState("");
  // A new captcha image means the old answer is spent.
  useEffect(() => setCaptcha(""), [gate.captchaImage]);
  return {
    password,
    setPassword,
    captcha,
    setCaptcha,
    captchaOk: !gate.captchaRequired || captcha.trim() !== "",
    answer: gate.captchaRequired ? captcha : undefined,
  };
}

/** The hub's own bounds (shared/protocol): the declaration password has no format, only a length. */
const SECRET = {
  login: { label: "密码", placeholder: "请输入密码", maxLength: 64 },
  declaration: { label: "申报密码", placeholder: "请输入申报密码", maxLength: DECLARATION_PASSWORD_MAX },
} as const;

/** A plain one-line input with its label (账号, 纳税人识别号). */
export function TextInput(p: {
  id: string;
  label: string;
  value: string;
  onInput(v: string): void;
  maxLength: number;
  placeholder: string;
}) {
  return (
    <div class="field">
      <label for={p.id}>{p.label}</label>
      <input
        id={p.id}
        value={p.value}
        maxLength={p.maxLength}
        placeholder={p.placeholder}
        onInput={(e) => p.onInput(e.currentTarget.value)}
      />
    </div>
  );
}

/** The secret on the soft keyboard, then the captcha the hub asks for after a wrong one (ids `prefix-…`). */
export function SecretFields({
  prefix,
  purpose,
  gate,
  form,
  act,
}: {
  prefix: string;
  purpose: "login" | "declaration";
  gate: GateView;
  form: GateForm;
  act(a: UserAction): void;
}) {
  return (
    <>
      <PasswordField
        id={`${prefix}-password`}
        label={SECRET[purpose].label}
        value={form.password}
        onInput={form.setPassword}
        placeholder={SECRET[purpose].placeholder}
        maxLength={SECRET[purpose].maxLength}
        // seed 1.1: the login password opens with the soft keyboard shown.
        keyboardOpen={purpose === "login"}
      />
      <CaptchaField
        id={`${prefix}-captcha`}
        gate={gate}
        value={form.captcha}
        onInput={form.setCaptcha}
        onRefresh={() => act({ type: "captcha.refresh", purpose })}
      />
    </>
  );
}

/** seed 1.1 / 1.3: after a wrong password, the next try also needs the captcha. Click to change. */
export function CaptchaField({
  id,
  gate,
  value,
  onInput,
  onRefresh,
}: {
  id: string;
  gate: GateView;
  value: string;
  onInput(v: string): void;
  onRefresh(): void;
}) {
  if (!gate.captchaRequired) return null;
  return (
    <div class="field">
      <label for={id}>验证码</label>
      <div class="captcha-row">
        <input
          id={id}
          value={value}
          maxLength={8}
          autocomplete="off"
          placeholder="请输入验证码"
          onInput={(e) => onInput(e.currentTarget.value)}
        />
        <button
          type="button"
          class="captcha-img"
          title="看不清？点击更换"
          aria-label="更换验证码"
          onClick={onRefresh}
        >
          {gate.captchaImage ? <img src={gate.captchaImage} alt="验证码" /> : <span>加载中…</span>}
        </button>
      </div>
    </div>
  );
}

/** The hub's message as it is, then what it says about tries left or the lock. The hub's links that the
 *  screen already shows (`shown`, by label: the form's own 忘记密码) are not repeated. */
export function GateMessages({
  gate,
  openTab,
  shown = [],
}: {
  gate: GateView;
  openTab(url: string): void;
  shown?: string[];
}) {
  if (!gate.error) return null;
  return (
    <div class="gate-messages" role="alert">
      <p class="error">{gate.error}</p>
      {gate.lockedMinutes !== undefined ? (
        <p class="hint">剩余锁定时间：{gate.lockedMinutes}分钟</p>
      ) : gate.attemptsLeft !== undefined ? (
        <p class="hint">您还可以尝试{gate.attemptsLeft}次</p>
      ) : null}
      {gate.links
        ?.filter((l) => !shown.includes(l.label))
        .map((l) => (
          <button type="button" class="link" key={l.url} onClick={() => openTab(l.url)}>
            {l.label}
          </button>
        ))}
    </div>
  );
}
