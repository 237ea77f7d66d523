import type { ClientView, UserAction } from "../core/view";
import { ENTER_METHOD, formatTime, LOGIN_METHOD } from "./labels";

/** Logged in and inside a company: who, where, how, until when. */
export function Workspace({ view, act }: { view: ClientView; act(a: UserAction): void }) {
  const { session, entered } = view;
  if (!session || !entered) return null;
  const online = view.link.status === "connected";
  return (
    <section class="card workspace">
      <div class="done">
        <span class="done-mark" aria-hidden="true">
          ✓
        </span>
        <div>
          <h2 class="card-title">登录成功</h2>
          <p class="muted">欢迎使用自然人税收管理系统扣缴客户端</p>
        </div>
      </div>
      <dl class="facts">
        <dt>办税人员</dt>
        <dd>{session.handler.name}</dd>
        <dt>证件号码</dt>
        <dd>
          <span class="tax-id">{session.handler.maskedIdNumber}</span>
          {session.handler.idType && <span class="id-type">{session.handler.idType}</span>}
        </dd>
        <dt>当前单位</dt>
        <dd>{entered.name}</dd>
        <dt>纳税人识别号</dt>
        <dd class="tax-id">{entered.taxId}</dd>
        <dt>登录方式</dt>
        <dd>{LOGIN_METHOD[session.method]}</dd>
        <dt>单位验证</dt>
        <dd>{ENTER_METHOD[entered.via]}</dd>
        <dt>登录有效期至</dt>
        <dd>{formatTime(session.expiresAt)}</dd>
      </dl>
      <div class="actions">
        <button
          type="button"
          class="secondary"
          disabled={!online}
          onClick={() => act({ type: "company.switch" })}
        >
          切换单位
        </button>
        <button type="button" class="danger" onClick={() => act({ type: "logout" })}>
          退出
        </button>
      </div>
    </section>
  );
}
