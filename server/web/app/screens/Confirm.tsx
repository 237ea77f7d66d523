import { useEffect, useState } from "preact/hooks";
import type { PhoneTicketView } from "../../../../shared/protocol/qr";
import { type ApiFailure, isLoggedOut, qrApi } from "../../common/api";
import { beijingTime } from "../../common/checks";
import { navigate } from "../../common/router";
import { appSession, loginPath, useSession } from "../../common/session";
import { type Ended, endedBy, stateCode } from "../confirm-state";
import { AppHeader, Screen } from "../shell";

// seed 1.2: "扫描二维码来完成客户端的快速登录" — the person sees who asks and confirms on the phone.
// Reached by scanning, or by a camera app following the QR's URL straight to /app/qr/<id>; without the
// app's login it goes to 登录 and comes back. The scan is posted on arrival (the client then shows
// 已扫描), and who asks — client, IP, place, time — is shown BEFORE 「确认登录」: a QR relayed from
// someone else's screen (QRLJacking) shows a computer the person does not know.

type View =
  | { kind: "loading" }
  | { kind: "ask"; ticket: PhoneTicketView }
  | { kind: "confirmed" }
  | { kind: "cancelled" }
  | { kind: "ended"; ended: Ended }
  | { kind: "failed"; error: ApiFailure };

export function Confirm({ ticketId }: { ticketId: string }) {
  const session = useSession(appSession);
  const [view, setView] = useState<View>({ kind: "loading" });
  const [busy, setBusy] = useState(false);

  const toLogin = () => navigate(loginPath("/app/login", `/app/qr/${ticketId}`), { replace: true });

  /** A refusal: logged out → login; an ended ticket → its end screen; anything else → try again. */
  const refused = (r: { ok: false; status: number; error: ApiFailure }) => {
    if (isLoggedOut(r)) {
      appSession.clear();
      return toLogin();
    }
    const ended = endedBy(r.error.code);
    setView(ended ? { kind: "ended", ended } : { kind: "failed", error: r.error });
  };

  const scan = async () => {
    const token = appSession.get()?.token;
    if (!token) return toLogin();
    setView({ kind: "loading" });
    const r = await qrApi.scan(token, ticketId);
    if (!r.ok) return refused(r);
    const code = stateCode(r.data);
    const ended = code ? endedBy(code) : null;
    setView(ended ? { kind: "ended", ended } : { kind: "ask", ticket: r.data });
  };

  // scan once per ticket shown
  useEffect(() => {
    void scan();
  }, [ticketId]);

  const act = async (action: "confirm" | "cancel") => {
    const token = appSession.get()?.token;
    if (!token) return toLogin();
    setBusy(true);
    try {
      const r = await (action === "confirm" ? qrApi.confirm : qrApi.cancel)(token, ticketId);
      if (!r.ok) return refused(r);
      setView({ kind: action === "confirm" ? "confirmed" : "cancelled" });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Screen class="confirm">
      <AppHeader title="扫码登录确认" />
      {view.kind === "loading" && (
        <section class="card confirm-card" aria-busy="true">
          <p class="muted">正在读取二维码信息…</p>
        </section>
      )}
      {view.kind === "ask" && (
        <section class="card confirm-card" data-state="ask">
          <ComputerIcon />
          <h2>登录自然人税收管理系统扣缴客户端</h2>
          <p class="muted">请核对以下电脑的信息，确认是您本人在操作</p>
          <Asker ticket={view.ticket} who={session?.person.name ?? ""} />
          <p class="confirm-warning">如果您没有在电脑上操作扣缴客户端，或不认识以上信息，请点击「取消」。</p>
          <button type="button" class="button primary block" disabled={busy} onClick={() => act("confirm")}>
            确认登录
          </button>
          <button type="button" class="button block" disabled={busy} onClick={() => act("cancel")}>
            取消
          </button>
        </section>
      )}
      {view.kind === "confirmed" && (
        <Outcome ok title="登录成功" text="扣缴客户端已登录，请在电脑上继续办理业务" />
      )}
      {view.kind === "cancelled" && (
        <Outcome title="已取消登录" text="本次扫码登录已取消，扣缴客户端不会登录" />
      )}
      {view.kind === "ended" && <Outcome title={view.ended.title} text={view.ended.message} />}
      {view.kind === "failed" && (
        <section class="card confirm-card" data-state="failed">
          <p class="form-error" role="alert">
            {view.error.message}
          </p>
          <button type="button" class="button primary block" onClick={scan}>
            重试
          </button>
        </section>
      )}
    </Screen>
  );
}

function Asker({ ticket, who }: { ticket: PhoneTicketView; who: string }) {
  const { asker } = ticket;
  return (
    <dl class="facts">
      <dt>客户端</dt>
      <dd>{[asker.client || "扣缴客户端", asker.version].filter(Boolean).join(" ")}</dd>
      <dt>IP地址</dt>
      <dd class="mono">{asker.ip}</dd>
      <dt>所在地</dt>
      <dd>{asker.place ?? "未知"}</dd>
      <dt>请求时间</dt>
      <dd>{beijingTime(asker.requestedAt)}</dd>
      {who && (
        <>
          <dt>登录账号</dt>
          <dd>{who}</dd>
        </>
      )}
    </dl>
  );
}

function Outcome({ ok, title, text }: { ok?: boolean; title: string; text: string }) {
  return (
    <section class="card confirm-card outcome" data-state={ok ? "ok" : "ended"}>
      <div class={ok ? "outcome-icon ok" : "outcome-icon"} aria-hidden="true">
        {ok ? "✓" : "!"}
      </div>
      <div role="status">
        <h2>{title}</h2>
      </div>
      <p class="muted">{text}</p>
      <button type="button" class="button block" onClick={() => navigate("/app", { replace: true })}>
        返回首页
      </button>
    </section>
  );
}

function ComputerIcon() {
  return (
    <div class="confirm-icon">
      <svg viewBox="0 0 48 48" width="56" height="56" aria-hidden="true">
        <rect
          x="6"
          y="8"
          width="36"
          height="24"
          rx="2"
          fill="none"
          stroke="currentColor"
          stroke-width="2.5"
        />
        <path d="M18 40h12M24 32v8" stroke="currentColor" stroke-width="2.5" />
      </svg>
    </div>
  );
}
