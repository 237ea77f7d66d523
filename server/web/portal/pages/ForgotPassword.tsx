import { useState } from "preact/hooks";
import type { SmsSent } from "../../../../shared/api/accounts";
import { type ApiFailure, accountsApi } from "../../common/api";
import { passwordChecklist, secondsUntil } from "../../common/checks";
import { BackAndSubmit, BackHome, FormError, useSubmit } from "../../common/form";
import { NewPasswordFields, useNewPassword } from "../../common/new-password";
import { EMPTY_IDENTITY, IdentityFields, type IdentityInput } from "../../common/registration";
import { SmsButton, SmsCodeField, smsWait } from "../../common/sms";

// seed 2.1 (3) 【忘记密码】: "进行身份验证，请按照步骤据实填写相关信息后，再进行密码重置" — name, ID type and
// ID number; an SMS code to the phone registered with them; the new password twice. seed 1.1: this also
// lifts the lock after 5 wrong passwords.

type Step = "identity" | "reset" | "done";
const STEPS: [Step, string][] = [
  ["identity", "身份验证"],
  ["reset", "重置密码"],
  ["done", "完成"],
];

export function ForgotPassword() {
  const [step, setStep] = useState<Step>("identity");
  const [identity, setIdentity] = useState<IdentityInput>(EMPTY_IDENTITY);
  const [sent, setSent] = useState<SmsSent | null>(null);
  const [sessionsEnded, setSessionsEnded] = useState(0);
  const at = STEPS.findIndex(([key]) => key === step);
  return (
    <section class="panel">
      <h1>忘记密码</h1>
      <ol class="stepper">
        {STEPS.map(([key, label], i) => (
          <li key={key} class={i === at ? "current" : i < at ? "done" : undefined}>
            <span class="step-no">{i + 1}</span>
            {label}
          </li>
        ))}
      </ol>
      {step === "identity" && (
        <IdentityStep
          identity={identity}
          onIdentity={setIdentity}
          onSent={(s) => {
            setSent(s);
            setStep("reset");
          }}
        />
      )}
      {step === "reset" && sent && (
        <ResetStep
          identity={identity}
          sent={sent}
          onSent={setSent}
          onBack={() => setStep("identity")}
          onDone={(n) => {
            setSessionsEnded(n);
            setStep("done");
          }}
        />
      )}
      {step === "done" && (
        <div class="portal-outcome registered" data-testid="reset-done">
          <div class="outcome-icon ok" aria-hidden="true">
            ✓
          </div>
          <div role="status">
            <h2>密码重置成功</h2>
          </div>
          <p class="muted">
            请使用新密码登录；如账号曾因密码错误被锁定，现已解除锁定。
            {sessionsEnded > 0 && `原有的${sessionsEnded}个登录已退出。`}
          </p>
          <BackHome href="/web" />
        </div>
      )}
      <p class="note">若通过此功能仍无法找回密码，请携带有效身份证件到本地办税服务厅进行密码重置。</p>
    </section>
  );
}

function IdentityStep({
  identity,
  onIdentity,
  onSent,
}: {
  identity: IdentityInput;
  onIdentity(i: IdentityInput): void;
  onSent(s: SmsSent): void;
}) {
  const [error, setError] = useState<ApiFailure | null>(null);
  const [busy, submit] = useSubmit();
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void submit(async () => {
      if (!identity.name.trim() || !identity.idNumber.trim())
        return setError({ code: "FORM", message: "请填写姓名和证件号码" });
      setError(null);
      const r = await accountsApi.recoverySms(identityBody(identity));
      if (r.ok) onSent(r.data);
      else setError(r.error);
    });
  };
  return (
    <form class="form-grid" onSubmit={onSubmit} noValidate>
      <p class="lead">请填写注册时的身份信息，验证码将发送至您注册的手机号码。</p>
      <IdentityFields prefix="fp" value={identity} onChange={onIdentity} invalid={error?.path} />
      <FormError error={error} />
      <div class="actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? "发送中…" : "获取短信验证码"}
        </button>
      </div>
    </form>
  );
}

function ResetStep({
  identity,
  sent,
  onSent,
  onBack,
  onDone,
}: {
  identity: IdentityInput;
  sent: SmsSent;
  onSent(s: SmsSent): void;
  onBack(): void;
  onDone(sessionsEnded: number): void;
}) {
  const [smsCode, setSmsCode] = useState("");
  const pw = useNewPassword(passwordChecklist);
  const [error, setError] = useState<ApiFailure | null>(null);
  const [busy, submit] = useSubmit();

  const resend = async (): Promise<number | null> => {
    return smsWait(await accountsApi.recoverySms(identityBody(identity)), onSent, setError);
  };

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void submit(async () => {
      if (!smsCode.trim()) return setError({ code: "FORM", message: "请输入短信验证码" });
      if (!pw.rules.valid) return setError({ code: "FORM", message: "新密码不符合规则，请按提示修改" });
      if (pw.value !== pw.again) return setError({ code: "FORM", message: "两次输入的密码不一致" });
      setError(null);
      const r = await accountsApi.resetPassword({
        ...identityBody(identity),
        smsCode: smsCode.trim(),
        password: pw.value,
      });
      if (r.ok) onDone(r.data.sessionsEnded);
      else setError(r.error);
    });
  };

  return (
    <form class="form-grid" onSubmit={onSubmit} noValidate>
      <p class="lead" data-testid="sms-sent">
        验证码已发送至您注册的手机 {sent.maskedPhone}
      </p>
      <SmsCodeField
        id="fp-sms"
        value={smsCode}
        onValue={setSmsCode}
        invalid={error?.path === "smsCode"}
        aside={<ResendButton resend={resend} resendAt={sent.resendAt} />}
      />
      <NewPasswordFields
        ids={["fp-password", "fp-password-again"]}
        what="密码"
        fresh
        state={pw}
        invalid={error?.path === "password"}
      />
      <FormError error={error} />
      <BackAndSubmit onBack={onBack} busy={busy} label="重置密码" busyLabel="提交中…" />
    </form>
  );
}

/** 重新获取, counting down from the first send's interval at once. */
function ResendButton({ resend, resendAt }: { resend(): Promise<number | null>; resendAt: string }) {
  return <SmsButton send={resend} startWith={secondsUntil(resendAt, Date.now())} />;
}

function identityBody(i: IdentityInput) {
  return { name: i.name.trim(), idType: i.idType, idNumber: i.idNumber.trim() };
}
