import type { ClientView, UserAction } from "../core/view";
import { CompanyScreen } from "./CompanyScreen";
import { Emblem } from "./icons";
import { LoginScreen } from "./LoginScreen";
import { Workspace } from "./Workspace";

export interface PopupProps {
  view: ClientView;
  act(a: UserAction): void;
  openTab(url: string): void;
}

/** The withholding client's window: the header, the link's health, then the step we are on. */
export function Popup({ view, act, openTab }: PopupProps) {
  return (
    <div class="app">
      <header class="top">
        <Emblem />
        <h1>自然人税收管理系统扣缴客户端</h1>
      </header>
      <LinkBanner view={view} act={act} />
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

function LinkBanner({ view, act }: { view: ClientView; act(a: UserAction): void }) {
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
    return (
      <div class="banner warn" role="status">
        网络连接中断，正在重连…
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
