import { useState } from "preact/hooks";
import { CURRENT_AGREEMENT, type IdentityVerified, type Registered } from "../../../../shared/api/accounts";
import { BackAndSubmit, BackHome, FormError } from "../../common/form";
import {
  AccountStep,
  AgreementText,
  EMPTY_IDENTITY,
  HallCodeField,
  IdentityFields,
  type IdentityInput,
  RegisteredNote,
  useHallCodeStep,
} from "../../common/registration";

// seed 2.1: ① 【同意并继续】 ② 【大厅注册码注册】, identity (name may hold rare characters) ③ login name,
// password, phone (SMS code) and 户籍所在地 → done.

const STEPS = ["注册协议", "选择注册方式", "身份验证", "设置账户", "完成"];

export function Register() {
  const [step, setStep] = useState(0);
  const [identity, setIdentity] = useState<IdentityInput>(EMPTY_IDENTITY);
  const [verified, setVerified] = useState<IdentityVerified | null>(null);
  const [registered, setRegistered] = useState<Registered | null>(null);
  return (
    <section class="panel">
      <h1>用户注册</h1>
      <ol class="stepper">
        {STEPS.map((s, i) => (
          <li key={s} class={i === step ? "current" : i < step ? "done" : undefined}>
            <span class="step-no">{i + 1}</span>
            {s}
          </li>
        ))}
      </ol>
      {step === 0 && <Agreement onAgree={() => setStep(1)} />}
      {step === 1 && <Methods onHall={() => setStep(2)} />}
      {step === 2 && (
        <HallCodeForm
          identity={identity}
          onIdentity={setIdentity}
          onBack={() => setStep(1)}
          onVerified={(v) => {
            setVerified(v);
            setStep(3);
          }}
        />
      )}
      {step === 3 && verified && (
        <div class="form-grid">
          <h2>设置账户</h2>
          <AccountStep
            prefix="reg"
            verified={verified}
            withRegion
            onDone={(r) => {
              setRegistered(r);
              setStep(4);
            }}
            onRestart={() => setStep(2)}
          />
        </div>
      )}
      {step === 4 && registered && (
        <div class="portal-outcome">
          <RegisteredNote registered={registered} idType={identity.idType} />
          <BackHome href="/web" />
        </div>
      )}
    </section>
  );
}

function Agreement({ onAgree }: { onAgree(): void }) {
  return (
    <div class="agreement">
      <h2>自然人办税服务平台{CURRENT_AGREEMENT.title}</h2>
      <AgreementText />
      <div class="actions">
        <button type="button" class="button primary" onClick={onAgree}>
          同意并继续
        </button>
      </div>
    </div>
  );
}

function Methods({ onHall }: { onHall(): void }) {
  return (
    <div class="method-grid">
      <button type="button" class="method option-card" onClick={onHall}>
        <strong>大厅注册码注册</strong>
        <span>携带有效身份证件到办税服务厅获取注册码（6位数字、字母，有效期7天），适用于所有证件类型</span>
      </button>
      <div class="method option-card disabled" aria-disabled="true">
        <strong>人脸识别认证注册</strong>
        <span>仅支持居民身份证，请使用个人所得税APP注册</span>
      </div>
    </div>
  );
}

function HallCodeForm({
  identity,
  onIdentity,
  onBack,
  onVerified,
}: {
  identity: IdentityInput;
  onIdentity(i: IdentityInput): void;
  onBack(): void;
  onVerified(v: IdentityVerified): void;
}) {
  const { hallCode, setHallCode, error, busy, onSubmit } = useHallCodeStep({
    channel: "portal",
    identity,
    onVerified,
    missing: "请完整填写注册码、姓名和证件号码",
  });
  return (
    <form class="form-grid" onSubmit={onSubmit} noValidate>
      <h2>身份信息</h2>
      <p class="hint">请如实填写本人身份信息；若姓名中存在生僻字，可点击【录入生僻字】通过笔画输入法录入。</p>
      <IdentityFields prefix="reg" value={identity} onChange={onIdentity} invalid={error?.path} />
      <HallCodeField
        value={hallCode}
        onValue={setHallCode}
        invalid={error?.path === "hallCode"}
        hint="注册码由办税服务厅发放，有效期7天"
      />
      <FormError error={error} />
      <BackAndSubmit onBack={onBack} busy={busy} label="下一步" busyLabel="验证中…" />
    </form>
  );
}
