import { useEffect, useRef, useState } from "preact/hooks";
import { EXTENSION_ID, EXTENSION_ORIGIN } from "../../../../shared/extension-id";
import type { PhoneTicketView } from "../../../../shared/protocol/qr";
import { type ApiFailure, isLoggedOut, qrApi } from "../../common/api";
import { beijingTime } from "../../common/checks";
import { navigate } from "../../common/router";
import { appSession, loginPath, useSession } from "../../common/session";
import { type Ended, endedBy, stateCode, takeScanned } from "../confirm-state";
import { AppHeader, Screen } from "../shell";

// seed 1.2: "扫描二维码来完成客户端的快速登录" — the person sees who asks and confirms on the phone.
// Reached from 「扫一扫」 (which marks the ticket it read), or any other way: a camera app following the
// QR's URL, or a link someone sent (QRLJacking). Only after 扫一扫 is the scan posted on arrival (the
// client then shows 已扫描); opened any other way, the page first says so and posts nothing until the
// person says it is them at the computer. Who asks — what the hub verified (address, place, origin)
// apart from what the client only claims (name, version, system) — and whether the computer is where
// the phone is, are shown BEFORE 「确认登录」: a QR relayed from someone else's screen shows up.

type View =
  | { kind: "loading" }
  /** Opened from a link: nothing sent yet. */
  | { kind: "link"; ticket: PhoneTicketView }
  | { kind: "ask"; ticket: PhoneTicketView }
  | { kind: "confirmed" }
  | { kind: "cancelled" }
  | { kind: "ended"; ended: Ended }
  | { kind: "failed"; error: ApiFailure };

export function Confirm({ ticketId }: { ticketId: string }) {
  const session = useSession(appSession);
  const [view, setView] = useState<View>({ kind: "loading" });
  const [busy, setBusy] = useState(false);
  /** Reached from 扫一扫 (its mark taken): a retry may post the scan again; otherwise it only looks. */
  const viaScan = useRef(false);
  /** Far from the phone: 「确认登录」 waits for the person to tick that it is them. */
  const [vouched, setVouched] = useState(false);
  const stamp = new URLSearchParams(location.search).get("s");
  const here = `/app/qr/${ticketId}${stamp ? `?s=${encodeURIComponent(stamp)}` : ""}`;

  const toLogin = () => navigate(loginPath("/app/login", here), { replace: true });

  /** A refusal: logged out → login; an ended ticket → its end screen; anything else → try again. */
  const refused = (r: { ok: false; status: number; error: ApiFailure }) => {
    if (isLoggedOut(r)) {
      appSession.clear();
      return toLogin();
    }
    const ended = endedBy(r.error.code);
    setView(ended ? { kind: "ended", ended } : { kind: "failed", error: r.error });
  };

  /** Shows the ticket: its end screen, the link warning (`link`: nothing posted yet), or the question. */
  const show = (ticket: PhoneTicketView, link: boolean) => {
    if (link && ticket.state === "waiting") return setView({ kind: "link", ticket });
    const code = stateCode(ticket);
    const ended = code ? endedBy(code) : null;
    setView(ended ? { kind: "ended", ended } : { kind: "ask", ticket });
  };

  const scan = async () => {
    const token = appSession.get()?.token;
    if (!token) return toLogin();
    setView({ kind: "loading" });
    const r = await qrApi.scan(token, ticketId, stamp);
    if (!r.ok) return refused(r);
    show(r.data, false);
  };

  /** Opened from a link: only look (GET), so the client is not told 已扫描 by a page nobody asked for. */
  const look = async () => {
    const token = appSession.get()?.token;
    if (!token) return toLogin();
    setView({ kind: "loading" });
    const r = await qrApi.view(token, ticketId, stamp);
    if (!r.ok) return refused(r);
    show(r.data, true);
  };

  // once per ticket shown
  useEffect(() => {
    if (!appSession.get()?.token) return toLogin();
    viaScan.current = takeScanned(ticketId);
    void (viaScan.current ? scan() : look());
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

  const far = view.kind === "ask" && view.ticket.nearness === "elsewhere";
  return (
    <Screen class="confirm">
      <AppHeader title="扫码登录确认" />
      {view.kind === "loading" && (
        <section class="card confirm-card" aria-busy="true">
          <p class="muted">正在读取二维码信息…</p>
        </section>
      )}
      {view.kind === "link" && (
        <section class="card confirm-card" data-state="link">
          <div class="trust-notice danger" role="alert" data-notice="link">
            <strong>此页面不是通过「扫一扫」打开的</strong>
            <p class="trust-notice-text">{LINK_WARNING}</p>
          </div>
          <Nearness ticket={view.ticket} />
          <Asker ticket={view.ticket} who={session?.person.name ?? ""} />
          <button
            type="button"
            class="button primary block"
            onClick={() => navigate("/app", { replace: true })}
          >
            不是我，返回首页
          </button>
          <button type="button" class="button block" onClick={scan}>
            是我本人在电脑上操作，继续
          </button>
        </section>
      )}
      {view.kind === "ask" && (
        <section class="card confirm-card" data-state="ask" data-nearness={view.ticket.nearness ?? "unknown"}>
          <ComputerIcon />
          <h2>登录自然人税收管理系统扣缴客户端</h2>
          <p class="muted">请核对以下电脑的信息，确认是您本人在操作</p>
          <Nearness ticket={view.ticket} />
          <Asker ticket={view.ticket} who={session?.person.name ?? ""} />
          <p class="confirm-warning">如果您没有在电脑上操作扣缴客户端，或不认识以上信息，请点击「取消」。</p>
          {far && (
            <label class="check vouch">
              <input
                type="checkbox"
                checked={vouched}
                onChange={(e) => setVouched((e.currentTarget as HTMLInputElement).checked)}
              />
              <span>我确认是我本人正在这台电脑上操作，二维码不是别人发给我的</span>
            </label>
          )}
          <button
            type="button"
            class="button primary block"
            disabled={busy || (far && !vouched)}
            onClick={() => act("confirm")}
          >
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
          <button
            type="button"
            class="button primary block"
            onClick={() => (viaScan.current ? scan() : look())}
          >
            重试
          </button>
        </section>
      )}
    </Screen>
  );
}

const LINK_WARNING =
  "您是通过链接（或其他应用）打开的此页面，而不是用本APP首页的「扫一扫」扫描电脑屏幕上的二维码。" +
  "请确认是您本人正在电脑上操作扣缴客户端登录。如果链接是别人通过聊天、短信或邮件发给您的，请不要继续：" +
  "继续并确认后，对方的电脑将以您的身份登录。";

const RELAY_WARNING =
  "如果这个二维码是别人发给您的（截图、照片或链接），或有人请您“帮忙扫一下”，请立即点击「取消」：" +
  "确认后，对方的电脑将以您的身份登录扣缴客户端，办理您名下的涉税业务。";

/** The computer's place against the phone's, both as the hub saw them. */
function Nearness({ ticket }: { ticket: PhoneTicketView }) {
  const { asker, phone } = ticket;
  const pc = `${asker.place ?? "未知地区"}（IP ${asker.ip}）`;
  const mine = phone ? `${phone.place ?? "未知地区"}（IP ${phone.ip}）` : "未知";
  switch (ticket.nearness) {
    case "elsewhere":
      return (
        <div class="trust-notice danger" role="alert" data-notice="elsewhere">
          <strong>发起登录的电脑与您的手机不在同一地点</strong>
          <p class="trust-notice-text">
            {`请确认是您本人在电脑上操作：发起登录的电脑在${pc}，而您的手机在${mine}。`}
            {RELAY_WARNING}
          </p>
        </div>
      );
    case "same-address":
      return (
        <p class="trust-notice ok" data-notice="same-address">
          电脑与您的手机在同一网络（IP {asker.ip}）
        </p>
      );
    case "same-place":
      return (
        <p class="trust-notice ok" data-notice="same-place">
          电脑与您的手机都在{asker.place ?? "同一地点"}
        </p>
      );
    default:
      return (
        <p class="trust-notice warn" data-notice="unknown">
          {`无法比对电脑与您手机的所在地（电脑：${pc}；手机：${mine}）。`}
          {"请确认是您本人在电脑上操作；如果二维码是别人发给您的，请点击「取消」。"}
        </p>
      );
  }
}

/** What the hub checked itself, apart from what the client only says about itself. */
function Asker({ ticket, who }: { ticket: PhoneTicketView; who: string }) {
  const { asker } = ticket;
  return (
    <>
      <h3 class="facts-title">服务器核验的信息</h3>
      <dl class="facts" data-facts="verified">
        <dt>IP地址</dt>
        <dd class="mono">{asker.ip}</dd>
        <dt>所在地</dt>
        <dd>{asker.place ?? "未知"}</dd>
        <dt>来源</dt>
        <dd>
          <Origin origin={asker.origin} />
        </dd>
        <dt>请求时间</dt>
        <dd>{beijingTime(asker.requestedAt)}</dd>
        {who && (
          <>
            <dt>登录账号</dt>
            <dd>{who}</dd>
          </>
        )}
      </dl>
      <h3 class="facts-title">客户端自述（服务器无法核验）</h3>
      <dl class="facts claimed" data-facts="claimed">
        <dt>客户端</dt>
        <dd>{asker.client || "未说明"}</dd>
        <dt>版本</dt>
        <dd>{asker.version || "未说明"}</dd>
        <dt>操作系统</dt>
        <dd>{asker.os ?? "未说明"}</dd>
      </dl>
    </>
  );
}

/** The socket's Origin as a person reads it: the hub allowed it at the upgrade (a browser cannot
 *  forge it; a program outside a browser can, which is why the address is what the warning compares). */
function Origin({ origin }: { origin: string | undefined }) {
  const [name, detail] = !origin
    ? ["未知", null]
    : origin === EXTENSION_ORIGIN
      ? ["扣缴客户端扩展（Chrome）", `ID ${EXTENSION_ID}`]
      : origin.startsWith("moz-extension://")
        ? ["扣缴客户端扩展（Firefox）", origin.slice("moz-extension://".length)]
        : origin === location.origin
          ? ["本服务网页", null]
          : [origin, null];
  return (
    <>
      {name}
      {detail && <span class="origin-id mono">{detail}</span>}
    </>
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
