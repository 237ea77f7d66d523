import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { type ApiFailure, type AppLogin, appApi, type Captcha } from "./api";
import { TextField, useSubmit } from "./form";

// seed 1.1 as the app logs in: the account is the phone number, the login name or the ID number; after a
// wrong password the next attempts need a captcha; 5 wrong lock the account for 120 minutes, and
// 【忘记密码】 (the portal's recovery) resets the password and lifts the lock. The hub decides all of it;
// this form shows what it says.

export interface LoginFormProps {
  /** Which front logs in: the hub keeps an app session and a portal session apart. */
  channel: "app" | "portal";
  onLoggedIn(login: AppLogin): void;
  forgotHref: string;
  /** 立即注册: a link element of the page's own (a router Link on the phone). */
  register?: ComponentChildren;
  idPrefix?: string;
  submitLabel?: string;
}

export function LoginForm({
  channel,
  onLoggedIn,
  forgotHref,
  register,
  idPrefix = "login",
  submitLabel = "登录",
}: LoginFormProps) {
  const [account, setAccount] = useState("");
  const [password, setPassword] = useState("");
  const [captcha, setCaptcha] = useState<Captcha | null>(null);
  const [answer, setAnswer] = useState("");
  const [error, setError] = useState<ApiFailure | null>(null);
  const [busy, submit] = useSubmit();

  const newCaptcha = async () => {
    setAnswer("");
    const r = await appApi.captcha("login");
    if (r.ok) setCaptcha(r.data);
    else setError(r.error);
  };

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void submit(async () => {
      if (!account.trim() || !password) return setError({ code: "EMPTY", message: "请输入账号和密码" });
      if (captcha && !answer.trim()) return setError({ code: "CAPTCHA_REQUIRED", message: "请输入验证码" });
      setError(null);
      const r = await appApi.login({
        account: account.trim(),
        password,
        channel,
        ...(captcha ? { captcha: { id: captcha.id, answer: answer.trim() } } : {}),
      });
      if (r.ok) return onLoggedIn(r.data);
      setError(r.error);
      setPassword("");
      // A captcha is good for one attempt: every failure that needs one gets a fresh one.
      if (r.error.captchaRequired || r.error.code.startsWith("CAPTCHA_") || captcha) await newCaptcha();
    });
  };

  return (
    <form class="login-form" onSubmit={onSubmit} noValidate>
      <TextField
        id={`${idPrefix}-account`}
        label="账号"
        value={account}
        onValue={setAccount}
        autocomplete="username"
        placeholder="手机号码/登录名/证件号码"
      />
      <TextField
        id={`${idPrefix}-password`}
        label="密码"
        type="password"
        value={password}
        onValue={setPassword}
        autocomplete="current-password"
        placeholder="请输入密码"
      />
      {captcha && (
        <TextField
          id={`${idPrefix}-captcha`}
          label="验证码"
          value={answer}
          onValue={setAnswer}
          maxLength={8}
          placeholder="请输入右侧图片中的字符"
          aside={
            <button type="button" class="captcha-image" title="看不清，换一张" onClick={newCaptcha}>
              <img src={captcha.image} alt="验证码图片，点击更换" />
            </button>
          }
        />
      )}
      <LoginFailure error={error} shown={["忘记密码"]} />
      <button type="submit" class="button primary block" disabled={busy}>
        {busy ? "登录中…" : submitLabel}
      </button>
      <p class="form-links">
        {register ?? <span />}
        <a href={forgotHref}>忘记密码</a>
      </p>
    </form>
  );
}

/** The hub's message, then what it adds: tries left, how long a lock lasts, where to go instead (but not
 *  the links the form shows anyway, by label: its own 忘记密码). */
function LoginFailure({ error, shown }: { error: ApiFailure | null; shown: string[] }) {
  if (!error) return null;
  const links = error.links?.filter((l) => !shown.includes(l.label)) ?? [];
  return (
    <div class="form-error" role="alert">
      <p>{error.message}</p>
      {error.minutesLeft !== undefined && error.minutesLeft > 0 && (
        <p class="lock-left">剩余锁定时间：约{error.minutesLeft}分钟</p>
      )}
      {error.attemptsLeft !== undefined && error.code !== "ACCOUNT_LOCKED" && (
        <p>再输错{error.attemptsLeft}次，账号将被锁定120分钟</p>
      )}
      {links.length > 0 && (
        <p class="form-error-links">
          {links.map((l) => (
            <a key={l.url} href={safeLink(l.url)}>
              {l.label}
            </a>
          ))}
        </p>
      )}
    </div>
  );
}

/** A link the hub sends is followed only to this site's pages or an http(s) address. */
function safeLink(url: string): string {
  try {
    const u = new URL(url, location.origin);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : "#";
  } catch {
    return "#";
  }
}
