import { useState } from "preact/hooks";
import { CURRENT_AGREEMENT, type IdentityVerified, type Registered } from "../../../../shared/api/accounts";
import { ERRORS } from "../../../../shared/errors";
import { canRegisterByFace } from "../../../../shared/rules/id-types";
import { type ApiFailure, accountsApi } from "../../common/api";
import { FormError } from "../../common/form";
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
import { Link } from "../../common/router";
import { FaceCapture } from "../face-capture";
import { AppHeader, Screen } from "../shell";

// seed 2.2: the app registers by 大厅注册码 (any ID type, with nationality) or by 人脸识别 (居民身份证 only),
// after 「阅读并同意用户注册协议」; then login name, password, phone + SMS code.

type Step = "choose" | "hall" | "face" | "capture" | "account" | "done";

const TITLES: Record<Step, string> = {
  choose: "注册",
  hall: "大厅注册码注册",
  face: "人脸识别认证注册",
  capture: "人脸识别",
  account: "设置账户",
  done: "注册成功",
};

/** Where the title bar's 返回 goes from each step; none: back to the previous page. */
const BACK: Partial<Record<Step, Step>> = {
  hall: "choose",
  face: "choose",
  capture: "face",
  account: "choose",
};

export function Register() {
  const [step, setStep] = useState<Step>("choose");
  const [identity, setIdentity] = useState<IdentityInput>(EMPTY_IDENTITY);
  const [verified, setVerified] = useState<IdentityVerified | null>(null);
  const [registered, setRegistered] = useState<Registered | null>(null);
  const [error, setError] = useState<ApiFailure | null>(null);

  const onVerified = (v: IdentityVerified) => {
    setVerified(v);
    setError(null);
    setStep("account");
  };
  const go = (next: Step) => {
    setError(null);
    setStep(next);
  };

  return (
    <Screen class="register">
      <AppHeader title={TITLES[step]} onBack={BACK[step] ? () => go(BACK[step] as Step) : undefined} />
      {step === "choose" && <Choose onHall={() => go("hall")} onFace={() => go("face")} />}
      {step === "hall" && (
        <HallCodeForm
          identity={identity}
          onIdentity={setIdentity}
          onVerified={onVerified}
          onBack={() => go("choose")}
        />
      )}
      {step === "face" && (
        <FaceForm
          identity={identity}
          onIdentity={setIdentity}
          error={error}
          onStart={() => go("capture")}
          onHall={() => go("hall")}
          onBack={() => go("choose")}
        />
      )}
      {step === "capture" && (
        <section class="card">
          <FormError error={error} />
          <FaceCapture
            onCancel={() => go("face")}
            onCapture={async (capture) => {
              const r = await accountsApi.verifyFace({
                agreementVersion: CURRENT_AGREEMENT.version,
                name: identity.name.trim(),
                idType: identity.idType,
                idNumber: identity.idNumber.trim(),
                capture,
              });
              if (r.ok) {
                onVerified(r.data);
                return true;
              }
              setError(r.error);
              // A fault in what was typed is fixed on the form; a face that did not match is taken again.
              if (r.error.path && r.error.path !== "capture") setStep("face");
              return false;
            }}
          />
        </section>
      )}
      {step === "account" && verified && (
        <section class="card">
          <AccountStep
            prefix="reg"
            verified={verified}
            onDone={(r) => {
              setRegistered(r);
              setStep("done");
            }}
            onRestart={() => go(verified.via === "face" ? "face" : "hall")}
          />
        </section>
      )}
      {step === "done" && registered && (
        <section class="card">
          <RegisteredNote registered={registered} idType={identity.idType} />
          <Link href="/app/login" class="button primary block">
            立即登录
          </Link>
        </section>
      )}
    </Screen>
  );
}

function Choose({ onHall, onFace }: { onHall(): void; onFace(): void }) {
  const [agreed, setAgreed] = useState(false);
  return (
    <section class="card">
      <h2>选择注册方式</h2>
      <div class="choices">
        <button type="button" class="choice option-card" disabled={!agreed} onClick={onHall}>
          <strong>大厅注册码注册</strong>
          <span>凭办税服务厅获取的注册码注册，适用于所有证件类型</span>
        </button>
        <button type="button" class="choice option-card" disabled={!agreed} onClick={onFace}>
          <strong>人脸识别认证注册</strong>
          <span>调用公安人像数据比对验证，仅支持居民身份证</span>
        </button>
      </div>
      <details class="agreement">
        <summary>《{CURRENT_AGREEMENT.title}》</summary>
        <AgreementText />
      </details>
      <label class="check">
        <input type="checkbox" checked={agreed} onChange={(e) => setAgreed(e.currentTarget.checked)} />
        <span>我已阅读并同意《{CURRENT_AGREEMENT.title}》</span>
      </label>
      {!agreed && <p class="muted small">请先阅读并同意用户注册协议</p>}
    </section>
  );
}

function HallCodeForm({
  identity,
  onIdentity,
  onVerified,
  onBack,
}: {
  identity: IdentityInput;
  onIdentity(i: IdentityInput): void;
  onVerified(v: IdentityVerified): void;
  onBack(): void;
}) {
  const { hallCode, setHallCode, error, busy, onSubmit } = useHallCodeStep({
    channel: "app",
    identity,
    onVerified,
    missing: "请完整填写注册码、证件号码和姓名",
    withNationality: true,
  });
  return (
    <form class="card form" onSubmit={onSubmit} noValidate>
      <p class="muted small">
        请如实填写身份信息；若姓名中存在生僻字，可点击【录入生僻字】通过笔画输入法录入。
      </p>
      <HallCodeField value={hallCode} onValue={setHallCode} invalid={error?.path === "hallCode"} />
      <IdentityFields
        prefix="reg"
        value={identity}
        onChange={onIdentity}
        withNationality
        invalid={error?.path}
      />
      <FormError error={error} />
      <button type="submit" class="button primary block" disabled={busy}>
        {busy ? "验证中…" : "下一步"}
      </button>
      <button type="button" class="button block" onClick={onBack}>
        重选注册方式
      </button>
    </form>
  );
}

function FaceForm({
  identity,
  onIdentity,
  error,
  onStart,
  onHall,
  onBack,
}: {
  identity: IdentityInput;
  onIdentity(i: IdentityInput): void;
  error: ApiFailure | null;
  onStart(): void;
  onHall(): void;
  onBack(): void;
}) {
  const [missing, setMissing] = useState(false);
  // seed 2.2: "人脸识别认证注册仅支持居民身份证，其他证件暂不支持" — said as soon as another type is chosen.
  const supported = canRegisterByFace(identity.idType);
  const onSubmit = (e: Event) => {
    e.preventDefault();
    if (!identity.name.trim() || !identity.idNumber.trim()) return setMissing(true);
    setMissing(false);
    onStart();
  };
  return (
    <form class="card form" onSubmit={onSubmit} noValidate>
      <p class="muted small">请如实填写本人居民身份证上的信息，然后点击【开始人脸识别】。</p>
      <IdentityFields prefix="reg" value={identity} onChange={onIdentity} invalid={error?.path} />
      {!supported && (
        <p class="form-error" role="alert">
          {ERRORS.FACE_ID_TYPE_NOT_SUPPORTED}
        </p>
      )}
      <FormError error={missing ? "请填写证件号码和姓名" : error} />
      {supported ? (
        <button type="submit" class="button primary block">
          开始人脸识别
        </button>
      ) : (
        <button type="button" class="button primary block" onClick={onHall}>
          改用大厅注册码注册
        </button>
      )}
      <button type="button" class="button block" onClick={onBack}>
        重选注册方式
      </button>
    </form>
  );
}
