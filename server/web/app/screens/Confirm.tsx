import { Pending } from "../../common/pending";
import { navigate } from "../../common/router";
import { AppHeader, Screen } from "../shell";

// seed 1.2: "扫描二维码来完成客户端的快速登录" — the person sees who asks and confirms on the phone.
// Reached by scanning, or by a camera app following the QR's URL straight to /app/qr/<id>.
export function Confirm({ ticketId }: { ticketId: string }) {
  return (
    <Screen class="confirm">
      <AppHeader title="扫码登录确认" />
      <section class="card confirm-card">
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
        <h2>登录自然人税收管理系统扣缴客户端</h2>
        <p class="muted">请确认是您本人在操作</p>
        <dl class="facts">
          <dt>二维码编号</dt>
          <dd class="mono">{shortId(ticketId)}</dd>
          <dt>客户端</dt>
          <dd>—</dd>
          <dt>IP地址</dt>
          <dd>—</dd>
          <dt>请求时间</dt>
          <dd>—</dd>
        </dl>
        <Pending what="扫码确认服务" />
        <button type="button" class="button primary block" disabled>
          确认登录
        </button>
        <button type="button" class="button block" onClick={() => navigate("/app", { replace: true })}>
          取消
        </button>
      </section>
    </Screen>
  );
}

/** The first and last characters only: enough to tell two codes apart on screen. */
function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 6)}…${id.slice(-4)}` : id;
}
