import { Fragment } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { portalLinks } from "../core/hub-url";
import type { ClientView, CompanyView, UserAction } from "../core/view";
import { signNonce } from "./ca-sign";
import { GateMessages, SecretFields, TextInput, useGateForm } from "./Gate";
import { QrImage } from "./QrImage";

const TAX_ID_FIELD = {
  id: "tax-id",
  label: "纳税人识别号",
  maxLength: 20,
  placeholder: "18位统一社会信用代码",
};

interface Props {
  view: ClientView;
  act(a: UserAction): void;
  openTab(url: string): void;
}

/** seed 1.3 — 单位办税验证: pick the company, then prove you may act for it. */
export function CompanyScreen({ view, act, openTab }: Props) {
  const { companies } = view;
  return (
    <section class="card">
      <div class="card-head">
        <h2 class="card-title">单位办税验证</h2>
        <button type="button" class="link" onClick={() => act({ type: "logout" })}>
          退出登录
        </button>
      </div>
      {view.session && <p class="who">办税人员：{view.session.handler.name}</p>}
      {companies === undefined ? (
        <p class="muted">正在获取单位列表…</p>
      ) : view.pane === "add" ? (
        <AddCompany view={view} act={act} openTab={openTab} />
      ) : view.pane === "enter" ? (
        <EnterCompany view={view} act={act} openTab={openTab} />
      ) : (
        <CompanyList companies={companies} selected={view.selected} act={act} />
      )}
    </section>
  );
}

/** seed 1.3.2: several companies — double-click one, or select it and press 进入 (or Enter). */
function CompanyList({
  companies,
  selected,
  act,
}: {
  companies: CompanyView[];
  selected?: string;
  act(a: UserAction): void;
}) {
  const [current, setCurrent] = useState(selected ?? companies[0]?.taxId);
  const list = useRef<HTMLDivElement>(null);
  useEffect(() => list.current?.focus(), []);
  const open = (taxId: string | undefined) => taxId && act({ type: "company.open", taxId });
  const onKey = (e: KeyboardEvent) => {
    const i = companies.findIndex((c) => c.taxId === current);
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const next =
        companies[Math.min(companies.length - 1, Math.max(0, i + (e.key === "ArrowDown" ? 1 : -1)))];
      if (next) setCurrent(next.taxId);
    } else if (e.key === "Enter") {
      e.preventDefault();
      open(current);
    }
  };
  return (
    <>
      <p class="muted">请选择要办理业务的单位</p>
      <div
        class="company-list"
        role="listbox"
        aria-label="单位列表"
        tabIndex={0}
        ref={list}
        aria-activedescendant={current ? `company-${current}` : undefined}
        onKeyDown={onKey}
      >
        {companies.map((c) => (
          // The listbox holds the focus and the keys (aria-activedescendant); rows take the mouse.
          // biome-ignore lint/a11y/useKeyWithClickEvents: keys are handled by the listbox above
          // biome-ignore lint/a11y/useFocusableInteractive: focus stays on the listbox
          <div
            key={c.taxId}
            id={`company-${c.taxId}`}
            role="option"
            aria-selected={c.taxId === current}
            class={`company-row${c.taxId === current ? " selected" : ""}`}
            onClick={() => setCurrent(c.taxId)}
            onDblClick={() => open(c.taxId)}
          >
            <span class="company-name">{c.name}</span>
            <span class="company-meta">
              <span class="tax-id">{c.taxId}</span>
              {c.access === "authorized" && <span class="tag">办税授权</span>}
              {c.lockedUntil && <span class="tag warn">已锁定</span>}
            </span>
          </div>
        ))}
      </div>
      <div class="actions">
        <button type="button" class="secondary" onClick={() => act({ type: "company.addForm" })}>
          添加
        </button>
        <button type="button" class="primary" disabled={!current} onClick={() => open(current)}>
          进入
        </button>
      </div>
    </>
  );
}

/** The first time: add a company by its taxpayer ID and declaration password. */
function AddCompany({ view, act, openTab }: Props) {
  const [taxId, setTaxId] = useState("");
  const gate = view.add;
  const form = useGateForm(gate);
  const online = view.link.status === "connected";
  const ready = taxId.trim() !== "" && form.password !== "" && form.captchaOk;
  const submit = (e: Event) => {
    e.preventDefault();
    if (!ready || !online || gate.pending) return;
    act({
      type: "company.add",
      taxId: taxId.trim().toUpperCase(),
      declarationPassword: form.password,
      captcha: form.answer,
    });
  };
  return (
    <form class="form wide-labels" onSubmit={submit} autocomplete="off">
      <h3 class="pane-title">添加单位</h3>
      <p class="intro">首次办税，请输入办税单位的纳税人识别号和申报密码</p>
      <TextInput {...TAX_ID_FIELD} value={taxId} onInput={setTaxId} />
      <SecretFields prefix="add" purpose="declaration" gate={gate} form={form} act={act} />
      <GateMessages gate={gate} openTab={openTab} />
      <div class="actions">
        {(view.companies?.length ?? 0) > 0 && (
          <button type="button" class="secondary" onClick={() => act({ type: "company.list" })}>
            返回
          </button>
        )}
        <button type="submit" class="primary" disabled={!ready || !online || gate.pending}>
          {gate.pending ? "验证中…" : "确定"}
        </button>
      </div>
    </form>
  );
}

function EnterCompany({ view, act, openTab }: Props) {
  const company = view.companies?.find((c) => c.taxId === view.selected);
  const [how, setHow] = useState<"password" | "ca" | "forgot">("password");
  if (!company) return null;
  const several = (view.companies?.length ?? 0) > 1;
  // seed: authorized handlers enter without the declaration password (from AUTHORIZATION_FROM on).
  const authorized = company.access === "authorized" && view.hub?.authorizationActive !== false;
  const online = view.link.status === "connected";
  return (
    <div class="enter">
      {several && (
        <button type="button" class="link back" onClick={() => act({ type: "company.list" })}>
          ‹ 返回单位列表
        </button>
      )}
      <div class="company-card">
        <span class="company-name">{company.name}</span>
        <span class="muted small">
          纳税人识别号：<span class="tax-id">{company.taxId}</span>
        </span>
      </div>
      {authorized ? (
        <>
          <p class="note">您已获得该单位的办税授权，无需输入申报密码</p>
          <GateMessages gate={view.declaration} openTab={openTab} />
          <button
            type="button"
            class="primary"
            disabled={!online || view.declaration.pending}
            onClick={() => act({ type: "authorization", taxId: company.taxId })}
          >
            进入
          </button>
        </>
      ) : how === "forgot" ? (
        <ForgotDeclaration view={view} onBack={() => setHow("password")} openTab={openTab} />
      ) : (
        <>
          {company.ca && (
            <div class="segmented" role="tablist" aria-label="验证方式">
              <button
                type="button"
                role="tab"
                aria-selected={how === "password"}
                onClick={() => setHow("password")}
              >
                申报密码
              </button>
              <button type="button" role="tab" aria-selected={how === "ca"} onClick={() => setHow("ca")}>
                CA校验
              </button>
            </div>
          )}
          {how === "ca" && company.ca ? (
            <CaForm view={view} taxId={company.taxId} act={act} openTab={openTab} />
          ) : (
            <DeclarationForm
              view={view}
              company={company}
              act={act}
              openTab={openTab}
              onForgot={() => setHow("forgot")}
            />
          )}
        </>
      )}
    </div>
  );
}

function DeclarationForm({
  view,
  company,
  act,
  openTab,
  onForgot,
}: Props & { company: CompanyView; onForgot(): void }) {
  const gate = view.declaration;
  const form = useGateForm(gate);
  const online = view.link.status === "connected";
  const lockedMinutes = company.lockedUntil
    ? Math.max(0, Math.ceil((Date.parse(company.lockedUntil) - Date.now()) / 60_000))
    : 0;
  const ready = form.password !== "" && form.captchaOk;
  const submit = (e: Event) => {
    e.preventDefault();
    if (!ready || !online || gate.pending) return;
    act({
      type: "declaration",
      taxId: company.taxId,
      declarationPassword: form.password,
      captcha: form.answer,
    });
  };
  return (
    <form class="form mid-labels" onSubmit={submit} autocomplete="off">
      <SecretFields prefix="declaration" purpose="declaration" gate={gate} form={form} act={act} />
      {!gate.error && lockedMinutes > 0 && (
        <p class="error" role="alert">
          申报密码已锁定，剩余锁定时间：{lockedMinutes}分钟
        </p>
      )}
      <GateMessages gate={gate} openTab={openTab} />
      <button type="submit" class="primary" disabled={!ready || !online || gate.pending}>
        {gate.pending ? "验证中…" : "确定"}
      </button>
      <div class="form-links">
        <button type="button" class="link" onClick={onForgot}>
          忘记申报密码
        </button>
      </div>
    </form>
  );
}

/** seed 1.3.1: 【忘记申报密码】 gives the web portal's link and the app's QR. */
function ForgotDeclaration({
  view,
  onBack,
  openTab,
}: {
  view: ClientView;
  onBack(): void;
  openTab(url: string): void;
}) {
  const links = portalLinks(view.hubUrl);
  return (
    <div class="forgot">
      <p class="note">
        申报密码可由税务登记的法定代表人或财务经理通过个人所得税APP或WEB端重置，也可前往办税服务厅办理。
      </p>
      <div class="forgot-ways">
        <div class="forgot-way">
          <span class="way-title">个人所得税WEB端</span>
          <button
            type="button"
            class="link web-link"
            aria-label="打开个人所得税WEB端重置申报密码"
            onClick={() => openTab(links.declarationReset)}
          >
            <BreakAfterSlash text={links.declarationReset.replace(/^https?:\/\//, "")} />
          </button>
        </div>
        <div class="forgot-way">
          <span class="way-title">个人所得税APP</span>
          <QrImage text={links.appDownload} size={96} label="个人所得税APP二维码" />
        </div>
      </div>
      <button type="button" class="secondary" onClick={onBack}>
        返回
      </button>
    </div>
  );
}

/** CA verification (local companies, only before the cut-off): sign the hub's nonce here. */
function CaForm({ view, taxId, act, openTab }: Props & { taxId: string }) {
  const [certificate, setCertificate] = useState("");
  const [key, setKey] = useState("");
  const [problem, setProblem] = useState("");
  const signed = useRef("");
  const gate = view.declaration;
  const online = view.link.status === "connected";
  useEffect(() => {
    const ca = view.ca;
    if (!ca || ca.taxId !== taxId || signed.current === ca.nonce || !certificate || !key) return;
    signed.current = ca.nonce;
    signNonce(key, ca.nonce).then(
      (signature) => act({ type: "ca.verify", taxId, certificate, signature }),
      () => setProblem("无法读取CA私钥，请检查证书文件"),
    );
  }, [view.ca, taxId, certificate, key, act]);
  return (
    <div class="form mid-labels">
      <FilePick id="ca-cert" label="CA证书" accept=".pem,.crt,.cer" onText={setCertificate} />
      <FilePick id="ca-key" label="证书私钥" accept=".pem,.key" onText={setKey} />
      {problem && <p class="error">{problem}</p>}
      <GateMessages gate={gate} openTab={openTab} />
      <button
        type="button"
        class="primary"
        disabled={!certificate || !key || !online || gate.pending}
        onClick={() => {
          setProblem("");
          act({ type: "ca.challenge", taxId });
        }}
      >
        {gate.pending ? "校验中…" : "CA校验"}
      </button>
    </div>
  );
}

/** A file input in the client's own words (the browser's reads "Choose File" in an English locale). */
function FilePick({
  id,
  label,
  accept,
  onText,
}: {
  id: string;
  label: string;
  accept: string;
  onText(text: string): void;
}) {
  const [name, setName] = useState("");
  return (
    <div class="field">
      <span class="label">{label}</span>
      <div class="file-pick">
        <input
          id={id}
          type="file"
          accept={accept}
          aria-label={label}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (!file) return;
            setName(file.name);
            file.text().then(onText);
          }}
        />
        <label for={id} class="secondary">
          选择文件
        </label>
        <span class="file-name">{name || "未选择文件"}</span>
      </div>
    </div>
  );
}

/** An address that may wrap only after a 「/」, never inside a word. */
function BreakAfterSlash({ text }: { text: string }) {
  const parts = text.split(/(?<=\/)/);
  return (
    <>
      {parts.map((p, i) => (
        <Fragment key={`${i}-${p}`}>
          <span class="keep">{p}</span>
          {i < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </>
  );
}
