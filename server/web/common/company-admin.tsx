import { useEffect, useState } from "preact/hooks";
import { maskName } from "../../../shared/mask";
import {
  type ApiFailure,
  type ApiResult,
  type Authorization,
  appApi,
  type CompanyRole,
  isLoggedOut,
  type Me,
  type MyCompany,
} from "./api";
import { beijingTime, declarationPasswordChecklist } from "./checks";
import { CompanyRecordsSection } from "./company-records";
import { FormError, SelectField, TextField, useSubmit } from "./form";
import { ID_TYPE_OPTIONS, type IdType } from "./id-types";
import { NameField } from "./name-field";
import { NewPasswordFields, useNewPassword } from "./new-password";
import type { AppSession, SessionStore } from "./session";
import { SmsButton, SmsCodeField, smsWait } from "./sms";

// 企业办税权限, as the app and the portal show it: the person's companies with their roles; for the legal
// representative, 办税授权 (grant a handler, revoke); for the legal representative or finance manager,
// 「查看详情」→「重置申报密码」 (typed twice, confirmed by an SMS code to their bound phone) and 办税记录
// (./company-records.tsx). The hub decides who may do what; these screens only offer what the roles allow.

export const ROLE_LABELS: Record<CompanyRole, string> = {
  legal_rep: "法定代表人",
  finance_manager: "财务经理",
  handler: "办税人员",
  authorized: "已获办税授权",
};

export interface CompanyAdminProps {
  session: AppSession;
  store: SessionStore;
  /** The session is gone (expired, ended elsewhere): the page asks to log in again. */
  onLoggedOut(): void;
  layout: "app" | "portal";
}

type Load = { kind: "loading" } | { kind: "ok"; me: Me } | { kind: "failed"; error: ApiFailure };

export function CompanyAdmin({ session, store, onLoggedOut, layout }: CompanyAdminProps) {
  const [load, setLoad] = useState<Load>({ kind: "loading" });
  const [open, setOpen] = useState<string | null>(null);

  /** Every call's refusal goes through here: a lost session ends the screen. */
  const guard = <T,>(r: ApiResult<T>): r is { ok: true; data: T } => {
    if (r.ok) return true;
    if (isLoggedOut(r)) {
      store.clear();
      onLoggedOut();
    }
    return false;
  };

  const reload = async () => {
    const r = await appApi.me(session.token);
    if (guard(r)) setLoad({ kind: "ok", me: r.data });
    else if (!r.ok) setLoad({ kind: "failed", error: r.error });
  };
  // load once per session
  useEffect(() => {
    void reload();
  }, [session.token]);

  if (load.kind === "loading") return <p class="muted company-loading">正在读取您任职的企业…</p>;
  if (load.kind === "failed")
    return (
      <div class="company-failed">
        <FormError error={load.error} />
        <button type="button" class="button" onClick={reload}>
          重试
        </button>
      </div>
    );

  const { companies } = load.me;
  const company = companies.find((c) => c.taxId === open);
  const tools = { token: session.token, guard };
  if (company)
    return <CompanyDetail company={company} layout={layout} onBack={() => setOpen(null)} {...tools} />;
  if (companies.length === 0)
    return (
      <p class="empty company-empty">您名下暂无企业。企业的法定代表人或财务经理登录后可在此管理办税权限。</p>
    );

  return layout === "portal" ? (
    <table class="table companies">
      <thead>
        <tr>
          <th>企业名称</th>
          <th>纳税人识别号</th>
          <th>身份</th>
          <th>操作</th>
        </tr>
      </thead>
      <tbody>
        {companies.map((c) => (
          <tr key={c.taxId} data-tax-id={c.taxId}>
            <td>{c.name}</td>
            <td class="mono">{c.taxId}</td>
            <td>
              <Roles roles={c.roles} />
            </td>
            <td>
              <button type="button" class="link-button" onClick={() => setOpen(c.taxId)}>
                查看详情
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  ) : (
    <ul class="company-list">
      {companies.map((c) => (
        <li key={c.taxId} data-tax-id={c.taxId}>
          <button type="button" class="company-item" onClick={() => setOpen(c.taxId)}>
            <strong>{c.name}</strong>
            <span class="mono">{c.taxId}</span>
            <Roles roles={c.roles} />
            <span class="company-more">查看详情 ›</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function Roles({ roles }: { roles: CompanyRole[] }) {
  return (
    <span class="roles">
      {roles.map((r) => (
        <span key={r} class={`role role-${r}`}>
          {ROLE_LABELS[r]}
        </span>
      ))}
    </span>
  );
}

interface Tools {
  token: string;
  guard<T>(r: ApiResult<T>): r is { ok: true; data: T };
}

function CompanyDetail({
  company,
  layout,
  onBack,
  ...tools
}: Tools & { company: MyCompany; layout: "app" | "portal"; onBack(): void }) {
  const legalRep = company.roles.includes("legal_rep");
  const mayReset = legalRep || company.roles.includes("finance_manager");
  return (
    <div class={`company-detail ${layout}`} data-tax-id={company.taxId}>
      <div class="company-head">
        <button type="button" class="link-button" onClick={onBack}>
          ‹ 返回企业列表
        </button>
        <h2>{company.name}</h2>
        <p class="mono muted">{company.taxId}</p>
        <Roles roles={company.roles} />
      </div>
      {legalRep && <Authorizations taxId={company.taxId} layout={layout} {...tools} />}
      {mayReset && <DeclarationReset taxId={company.taxId} {...tools} />}
      {mayReset && <CompanyRecordsSection taxId={company.taxId} layout={layout} {...tools} />}
      {!legalRep && !mayReset && (
        <p class="muted">只有税务登记的法定代表人或财务经理可以办理办税授权和重置申报密码。</p>
      )}
    </div>
  );
}

/** 办税授权: the handlers the legal representative has authorized, a form to add one, revoke. */
/** 解除授权, then 确认解除 / 取消 in its place: a revoke takes a second, explicit tap. */
function RevokeButton({
  row,
  revoking,
  busy,
  onAsk,
  onRevoke,
}: {
  row: Authorization;
  revoking: string | null;
  busy: boolean;
  onAsk(id: string | null): void;
  onRevoke(row: Authorization): void;
}) {
  if (revoking !== row.id)
    return (
      <button type="button" class="link-button" onClick={() => onAsk(row.id)}>
        解除授权
      </button>
    );
  return (
    <span class="confirm-inline">
      <button type="button" class="link-button danger" disabled={busy} onClick={() => onRevoke(row)}>
        确认解除
      </button>
      <button type="button" class="link-button" onClick={() => onAsk(null)}>
        取消
      </button>
    </span>
  );
}

function Authorizations({
  taxId,
  token,
  guard,
  layout,
}: Tools & { taxId: string; layout: "app" | "portal" }) {
  const [rows, setRows] = useState<Authorization[] | null>(null);
  const [error, setError] = useState<ApiFailure | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const [busy, submit] = useSubmit();

  const reload = async () => {
    const r = await appApi.authorizations(token, taxId);
    if (guard(r)) setRows(r.data);
    else if (!r.ok) setError(r.error);
  };
  // load once per company
  useEffect(() => {
    void reload();
  }, [taxId]);

  const revoke = (row: Authorization) =>
    submit(async () => {
      setError(null);
      const r = await appApi.revoke(token, taxId, row.id);
      setRevoking(null);
      if (!guard(r)) return setError(r.ok ? null : r.error);
      setNotice(`已解除${row.maskedName}的办税授权`);
      await reload();
    });

  const revokeProps = { revoking, busy, onAsk: setRevoking, onRevoke: revoke };
  return (
    <section class="company-section" aria-labelledby={`auth-${taxId}`}>
      <h3 id={`auth-${taxId}`}>办税授权</h3>
      <p class="muted small">
        授权后，办税人员登录扣缴客户端无需再输入申报密码；解除后需凭申报密码办理业务。
      </p>
      {rows === null ? (
        <p class="muted">正在读取…</p>
      ) : rows.length === 0 ? (
        <p class="empty">暂无已授权的办税人员</p>
      ) : layout === "portal" ? (
        <table class="table authorizations">
          <thead>
            <tr>
              <th>姓名</th>
              <th>证件类型</th>
              <th>证件号码</th>
              <th>授权时间</th>
              <th>操作</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-authorization={row.id}>
                <td>{row.maskedName}</td>
                <td>{row.idType}</td>
                <td class="mono">{row.maskedIdNumber}</td>
                <td>{beijingTime(row.grantedAt).slice(0, 16)}</td>
                <td>
                  <RevokeButton row={row} {...revokeProps} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <ul class="authorizations authorization-list">
          {rows.map((row) => (
            <li key={row.id} data-authorization={row.id}>
              <span class="authorization-who">
                <strong>{row.maskedName}</strong>
                <span class="muted small">
                  {row.idType} <span class="mono">{row.maskedIdNumber}</span>
                </span>
                <span class="muted small">授权时间 {beijingTime(row.grantedAt).slice(0, 16)}</span>
              </span>
              <RevokeButton row={row} {...revokeProps} />
            </li>
          ))}
        </ul>
      )}
      {notice && (
        <p class="notice ok" role="status">
          {notice}
        </p>
      )}
      <FormError error={error} />
      <GrantForm
        taxId={taxId}
        token={token}
        guard={guard}
        onGranted={async (name) => {
          setNotice(`已为${name}办理办税授权`);
          await reload();
        }}
      />
    </section>
  );
}

function GrantForm({
  taxId,
  token,
  guard,
  onGranted,
}: Tools & { taxId: string; onGranted(maskedName: string): Promise<void> }) {
  const [name, setName] = useState("");
  const [idType, setIdType] = useState<IdType>("居民身份证");
  const [idNumber, setIdNumber] = useState("");
  const [error, setError] = useState<ApiFailure | null>(null);
  const [busy, submit] = useSubmit();
  const prefix = `grant-${taxId}`;
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void submit(async () => {
      if (!name.trim() || !idNumber.trim())
        return setError({ code: "FORM", message: "请填写办税人员的姓名和证件号码" });
      setError(null);
      const r = await appApi.grant(token, taxId, { name: name.trim(), idType, idNumber: idNumber.trim() });
      if (!guard(r)) return setError(r.ok ? null : r.error);
      const granted = maskName(name.trim());
      setName("");
      setIdNumber("");
      await onGranted(granted);
    });
  };
  return (
    <form class="grant-form" onSubmit={onSubmit} noValidate>
      <h4>新增办税授权</h4>
      <div class="grant-fields">
        <NameField id={`${prefix}-name`} label="办税人员姓名" value={name} onValue={setName} required />
        <SelectField
          id={`${prefix}-id-type`}
          label="证件类型"
          value={idType}
          options={ID_TYPE_OPTIONS}
          onValue={(v: IdType) => setIdType(v)}
          required
        />
        <TextField
          id={`${prefix}-id-number`}
          label="证件号码"
          value={idNumber}
          onValue={setIdNumber}
          maxLength={32}
          invalid={error?.path === "idNumber"}
          required
        />
      </div>
      <FormError error={error} />
      <button type="submit" class="button primary" disabled={busy}>
        {busy ? "提交中…" : "授权"}
      </button>
    </form>
  );
}

/** 「重置申报密码」: the new one twice and an SMS code to the person's bound phone. */
function DeclarationReset({ taxId, token, guard }: Tools & { taxId: string }) {
  const pw = useNewPassword(declarationPasswordChecklist);
  const [smsCode, setSmsCode] = useState("");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<ApiFailure | null>(null);
  const [done, setDone] = useState(false);
  const [busy, submit] = useSubmit();
  const prefix = `decl-${taxId}`;

  const sendSms = async (): Promise<number | null> => {
    setError(null);
    const r = await appApi.declarationSms(token, taxId);
    guard(r); // a lost session ends the screen
    return smsWait(r, (d) => setSentTo(d.maskedPhone), setError);
  };

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void submit(async () => {
      if (!pw.rules.valid)
        return setError({ code: "FORM", message: "申报密码为8-20位大小写字母和数字，不含空格" });
      if (pw.value !== pw.again) return setError({ code: "FORM", message: "两次输入的申报密码不一致" });
      if (!smsCode.trim()) return setError({ code: "FORM", message: "请输入短信验证码" });
      setError(null);
      const r = await appApi.resetDeclaration(token, taxId, {
        password: pw.value,
        confirm: pw.again,
        smsCode: smsCode.trim(),
      });
      if (!guard(r)) return setError(r.ok ? null : r.error);
      setDone(true);
    });
  };

  if (done)
    return (
      <section class="company-section">
        <h3>重置申报密码</h3>
        <p class="notice ok" role="status">
          申报密码已重置，原有的锁定同时解除。请将新的申报密码告知本单位的办税人员。
        </p>
      </section>
    );

  return (
    <section class="company-section" aria-labelledby={`${prefix}-title`}>
      <h3 id={`${prefix}-title`}>重置申报密码</h3>
      <form class="declaration-form" onSubmit={onSubmit} noValidate>
        <NewPasswordFields
          ids={[`${prefix}-password`, `${prefix}-confirm`]}
          what="申报密码"
          fresh
          state={pw}
          invalid={error?.path === "password"}
        />
        <SmsCodeField
          id={`${prefix}-sms`}
          value={smsCode}
          onValue={setSmsCode}
          invalid={error?.path === "smsCode"}
          hint={sentTo ? `验证码已发送至您绑定的手机 ${sentTo}` : "验证码将发送至您绑定的手机"}
          aside={<SmsButton send={sendSms} />}
        />
        <FormError error={error} />
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? "提交中…" : "确认重置"}
        </button>
      </form>
    </section>
  );
}
