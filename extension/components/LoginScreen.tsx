import { useEffect, useRef, useState } from "preact/hooks";
import { portalLinks } from "../core/hub-url";
import type { ClientView, UserAction } from "../core/view";
import { GateMessages, SecretFields, TextInput, useGateForm } from "./Gate";
import { CheckIcon, PcIcon, QrIcon } from "./icons";
import { secondsLeft } from "./labels";
import { QrImage } from "./QrImage";
import { useNow } from "./use-now";

// seed 1.1: the account is the phone number, the login name or the ID number.
const ACCOUNT_FIELD = {
  id: "account",
  label: "账号",
  maxLength: 64,
  placeholder: "手机号码/登录名/证件号码",
};

interface Props {
  view: ClientView;
  act(a: UserAction): void;
  openTab(url: string): void;
}

/** seed 1.1 / 1.2: 实名登录, account + password by default; the top-right corner switches to the QR. */
export function LoginScreen({ view, act, openTab }: Props) {
  const qr = view.mode === "qr";
  return (
    <section class="card login-card">
      <button
        type="button"
        class="corner-switch"
        title={qr ? "账号密码登录" : "扫码登录"}
        aria-label={qr ? "切换到账号密码登录" : "切换到扫码登录"}
        onClick={() => act({ type: "mode", mode: qr ? "password" : "qr" })}
      >
        {qr ? <PcIcon /> : <QrIcon />}
      </button>
      <h2 class="card-title">
        实名登录<span class="sub">{qr ? "扫码登录" : "账号密码登录"}</span>
      </h2>
      {qr ? <QrPane view={view} act={act} /> : <PasswordForm view={view} act={act} openTab={openTab} />}
    </section>
  );
}

function PasswordForm({ view, act, openTab }: Props) {
  // A remembered account (opt-in, never the password) is typed in already, with 记住账号 still ticked.
  const [account, setAccount] = useState(view.rememberedAccount ?? "");
  const [remember, setRemember] = useState(view.rememberedAccount !== undefined);
  const gate = view.login;
  const form = useGateForm(gate);
  // A refusal speaks of the account it was about: once another account is typed, a lock (or an
  // attempts count) on the last one is not shown for it.
  const refusal = useRef<{ error: string | undefined; account: string }>({ error: undefined, account: "" });
  if (refusal.current.error !== gate.error) refusal.current = { error: gate.error, account: account.trim() };
  const aboutThisAccount = refusal.current.account === account.trim();
  const links = portalLinks(view.hubUrl);
  const online = view.link.status === "connected";
  const ready = account.trim() !== "" && form.password !== "" && form.captchaOk;
  const submit = (e: Event) => {
    e.preventDefault();
    if (!ready || !online || gate.pending) return;
    act({
      type: "login",
      account: account.trim(),
      password: form.password,
      captcha: form.answer,
      remember,
    });
  };
  return (
    <form class="form" onSubmit={submit} autocomplete="off">
      <TextInput {...ACCOUNT_FIELD} value={account} onInput={setAccount} />
      <SecretFields prefix="login" purpose="login" gate={gate} form={form} act={act} />
      {aboutThisAccount && <GateMessages gate={gate} openTab={openTab} shown={["忘记密码"]} />}
      {aboutThisAccount && gate.code === "ACCOUNT_LOCKED" && (
        // A password lock never blocks the QR: whoever is logged in on the phone app still gets in.
        <button type="button" class="link qr-instead" onClick={() => act({ type: "mode", mode: "qr" })}>
          可使用个税APP扫码登录
        </button>
      )}
      <button type="submit" class="primary" disabled={!ready || !online || gate.pending}>
        {gate.pending ? "登录中…" : "登录"}
      </button>
      <div class="form-links">
        <label class="check">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.currentTarget.checked)} />
          记住账号
        </label>
        <span class="links">
          <button type="button" class="link" onClick={() => openTab(links.forgotPassword)}>
            忘记密码
          </button>
          <button type="button" class="link" onClick={() => openTab(links.register)}>
            立即注册
          </button>
        </span>
      </div>
    </form>
  );
}

/** How long 「已在手机上取消登录」 stays over the QR before a fresh one is asked for. */
export const CANCELLED_SHOWN_MS = 3000;

function QrPane({ view, act }: Omit<Props, "openTab">) {
  const [download, setDownload] = useState(false);
  const now = useNow();
  const { qr } = view;
  if (download) {
    return (
      <div class="qr-pane">
        <p class="qr-tip">使用手机扫描二维码，下载个人所得税APP</p>
        <div class="qr-box">
          <QrImage text={portalLinks(view.hubUrl).appDownload} label="手机端下载二维码" />
        </div>
        <button type="button" class="link" onClick={() => setDownload(false)}>
          返回扫码登录
        </button>
      </div>
    );
  }
  const left = secondsLeft(qr.expiresAt, now, view.hub?.clockOffsetMs);
  // Never more than the ticket's lifetime, whatever the clocks' rounding.
  const shown = Math.min(left, view.hub?.qrTtlS ?? left);
  // The hub pushes "expired" too; the local clock just gets there first.
  const expired = qr.state === "expired" || (qr.url !== undefined && qr.state === "waiting" && left === 0);
  const online = view.link.status === "connected";
  const cancelled = qr.state === "cancelled";
  // Cancelled on the phone: say so over the old QR, then a fresh one comes by itself.
  const actNow = useRef(act);
  actNow.current = act;
  useEffect(() => {
    if (!cancelled || !online) return;
    const t = setTimeout(() => actNow.current({ type: "qr.refresh" }), CANCELLED_SHOWN_MS);
    return () => clearTimeout(t);
  }, [cancelled, online]);
  return (
    <div class="qr-pane">
      <p class="qr-tip">请使用个人所得税APP扫一扫登录</p>
      <div class={`qr-box${expired || cancelled ? " expired" : ""}`}>
        {qr.url ? (
          <QrImage text={qr.url} label="登录二维码" />
        ) : (
          <div class="qr-placeholder">正在生成二维码…</div>
        )}
        {(expired || cancelled) && (
          <div class="qr-overlay">
            <p>{cancelled ? "已在手机上取消登录" : "二维码已失效"}</p>
            <button
              type="button"
              class="primary small"
              disabled={!online}
              onClick={() => act({ type: "qr.refresh" })}
            >
              {cancelled ? "刷新二维码" : "刷新"}
            </button>
          </div>
        )}
        {!expired && (qr.state === "scanned" || qr.state === "confirmed") && (
          <div class="qr-overlay scanned">
            <CheckIcon />
            <p>{qr.state === "scanned" ? "扫描成功，请在手机上确认" : "已确认，正在登录…"}</p>
            {qr.maskedName && <p class="masked-name">{qr.maskedName}</p>}
          </div>
        )}
      </div>
      {qr.error ? (
        <p class="error" role="alert">
          {qr.error}
        </p>
      ) : (
        <p class="qr-countdown">
          {qr.url && !expired && qr.state === "waiting" ? `二维码将在${shown}秒后失效` : " "}
        </p>
      )}
      <button type="button" class="link" onClick={() => setDownload(true)}>
        手机端下载
      </button>
    </div>
  );
}
