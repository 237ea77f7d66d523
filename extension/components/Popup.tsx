import type { ClientView, UserAction } from "../core/view";
import { CompanyScreen } from "./CompanyScreen";
import { Emblem } from "./icons";
import { LoginScreen } from "./LoginScreen";
import { secondsLeft } from "./labels";
import { useNameGlyphs } from "./use-name-glyphs";
import { useNow } from "./use-now";
import { Workspace } from "./Workspace";

export interface PopupProps {
  view: ClientView;
  act(a: UserAction): void;
  openTab(url: string): void;
  /** The extension's options page (服务地址). */
  openOptions(): void;
}

/** The withholding client's window: the header, the link's health, then the step we are on. */
export function Popup({ view, act, openTab, openOptions }: PopupProps) {
  // Names the popup shows: the person logged in (company step, workspace) and the one a QR awaits.
  useNameGlyphs(`${view.session?.handler.name ?? ""}${view.qr.maskedName ?? ""}`);
  return (
    <div class="app">
      <header class="top">
        <Emblem />
        <h1>自然人税收管理系统扣缴客户端</h1>
      </header>
      <LinkBanner view={view} act={act} openOptions={openOptions} />
      {view.session && view.stage !== "login" && <IdleWarning view={view} act={act} />}
      {view.notice && (
        <div class="notice" role="status">
          <span>{view.notice}</span>
          <button
            type="button"
            class="close"
            aria-label="关闭提示"
            onClick={() => act({ type: "notice.dismiss" })}
          >
            ×
          </button>
        </div>
      )}
      <main class="body">
        {view.stage === "login" && <LoginScreen view={view} act={act} openTab={openTab} />}
        {view.stage === "company" && <CompanyScreen view={view} act={act} openTab={openTab} />}
        {view.stage === "workspace" && <Workspace view={view} act={act} />}
      </main>
    </div>
  );
}

function LinkBanner({
  view,
  act,
  openOptions,
}: {
  view: ClientView;
  act(a: UserAction): void;
  openOptions(): void;
}) {
  const { link } = view;
  if (link.fatal) {
    return (
      <div class="banner bad" role="alert">
        <span>{link.fatal}</span>
        <button type="button" class="link" onClick={() => act({ type: "reconnect" })}>
          重新连接
        </button>
      </div>
    );
  }
  if (link.refused) {
    return (
      <div class="banner bad" role="alert">
        <span>
          服务器未允许此浏览器连接：请管理员将 <code class="origin">{link.refused}</code> 加入 ALLOWED_ORIGINS
        </span>
      </div>
    );
  }
  if (link.away) {
    // Often the first thing a newcomer sees (no hub at the default address): say where we are
    // trying, and the way to change it.
    return (
      <div class="banner warn" role="status">
        <div class="banner-lines">
          <span>网络连接中断，正在重连…</span>
          <span class="hub-address">
            服务地址：<span class="origin">{view.hubUrl}</span>
          </span>
        </div>
        <button type="button" class="link" onClick={openOptions}>
          设置服务地址
        </button>
      </div>
    );
  }
  if (link.status === "connecting") {
    return (
      <div class="banner" role="status">
        正在连接服务器…
      </div>
    );
  }
  if (link.status === "disconnected") {
    return (
      <div class="banner" role="status">
        <span>未连接服务器</span>
        <button type="button" class="link" onClick={() => act({ type: "reconnect" })}>
          重新连接
        </button>
      </div>
    );
  }
  return null;
}

/** How long before the 30 idle minutes end the client warns. */
export const IDLE_WARNING_S = 60;

/** A minute before idleness ends the session: say so, with 继续使用 (a step the hub counts as activity). */
function IdleWarning({ view, act }: { view: ClientView; act(a: UserAction): void }) {
  const now = useNow();
  const session = view.session;
  const left = secondsLeft(session?.idleExpiresAt, now, view.hub?.clockOffsetMs);
  if (!session || left === 0 || left > IDLE_WARNING_S) return null;
  // At the 8-hour end nothing keeps the session: only the warning.
  const final = Date.parse(session.idleExpiresAt) >= Date.parse(session.expiresAt);
  return (
    <div class="banner warn" role="alert">
      <span>
        {final ? `登录将在${left}秒后到期，请重新登录` : `您已长时间未操作，将在${left}秒后退出登录`}
      </span>
      {!final && (
        <button
          type="button"
          class="link"
          disabled={view.link.status !== "connected"}
          onClick={() => act({ type: "session.keep" })}
        >
          继续使用
        </button>
      )}
    </div>
  );
}
