import { useState } from "preact/hooks";
import { ID_TYPES } from "../../common/id-types";
import { NameField } from "../../common/name-field";
import { Pending } from "../../common/pending";
import { formatRegion, type RegionChoice, RegionPicker } from "../../common/region-picker";

// seed 2.1: ① 【同意并继续】 ② 【大厅注册码注册】 ③ identity (name may hold rare characters), then login
// name, password, phone (SMS code) and 户籍所在地.

const STEPS = ["注册协议", "选择注册方式", "填写注册信息"];

export function Register() {
  const [step, setStep] = useState(0);
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
      {step === 2 && <RegistrationForm onBack={() => setStep(1)} />}
    </section>
  );
}

function Agreement({ onAgree }: { onAgree(): void }) {
  return (
    <div class="agreement">
      <h2>自然人办税服务平台用户注册协议</h2>
      <div class="agreement-text">
        <p>
          您在注册前应仔细阅读本协议。您点击「同意并继续」，即表示您同意按本协议使用本平台，并授权平台对您填写的身份信息进行核验。
        </p>
        <p>您应如实填写本人身份信息，不得冒用他人身份注册；账号、密码仅限本人使用，请妥善保管。</p>
        <p>平台依法保护您的个人信息，仅用于办理涉税业务及身份核验。</p>
      </div>
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
      <button type="button" class="method" onClick={onHall}>
        <strong>大厅注册码注册</strong>
        <span>携带有效身份证件到办税服务厅获取注册码（6位数字、字母，有效期7天），适用于所有证件类型</span>
      </button>
      <div class="method disabled" aria-disabled="true">
        <strong>人脸识别认证注册</strong>
        <span>仅支持居民身份证，请使用个人所得税APP注册</span>
      </div>
    </div>
  );
}

function RegistrationForm({ onBack }: { onBack(): void }) {
  const [name, setName] = useState("");
  const [region, setRegion] = useState<RegionChoice | null>(null);
  return (
    <form class="form-grid" onSubmit={(e) => e.preventDefault()}>
      <h2>身份信息</h2>
      <div class="field">
        <label for="reg-code">
          <span class="required">*</span>注册码
        </label>
        <input id="reg-code" class="input" maxLength={6} autocomplete="off" placeholder="6位数字、字母" />
      </div>
      <NameField id="reg-name" value={name} onValue={setName} required />
      <div class="field">
        <label for="reg-id-type">
          <span class="required">*</span>证件类型
        </label>
        <select id="reg-id-type" class="input">
          {ID_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="reg-id-number">
          <span class="required">*</span>证件号码
        </label>
        <input id="reg-id-number" class="input" autocomplete="off" />
      </div>

      <h2>账户信息</h2>
      <div class="field">
        <label for="reg-login-name">
          <span class="required">*</span>登录名
        </label>
        <input id="reg-login-name" class="input" autocomplete="username" placeholder="2-16位字符" />
        <small class="hint">可由大小写字母、数字、中文、下划线构成，不支持纯数字，字母需区分大小写</small>
      </div>
      <div class="field">
        <label for="reg-password">
          <span class="required">*</span>密码
        </label>
        <input id="reg-password" class="input" type="password" autocomplete="new-password" />
        <small class="hint">8-15位，由字母大小写、数字、特殊字符其中三种或以上组成，不允许空格</small>
      </div>
      <div class="field">
        <label for="reg-password-again">
          <span class="required">*</span>确认密码
        </label>
        <input id="reg-password-again" class="input" type="password" autocomplete="new-password" />
      </div>
      <div class="field">
        <label for="reg-phone">
          <span class="required">*</span>手机号码
        </label>
        <div class="field-row">
          <input id="reg-phone" class="input" type="tel" autocomplete="tel" />
          <button type="button" class="button small" disabled>
            获取验证码
          </button>
        </div>
      </div>
      <div class="field">
        <label for="reg-sms">
          <span class="required">*</span>短信验证码
        </label>
        <input id="reg-sms" class="input" inputMode="numeric" autocomplete="one-time-code" />
      </div>
      <RegionPicker idPrefix="reg-region" onChange={setRegion} required />
      <p class="region-summary" data-testid="region-summary">
        {region && `已选：${formatRegion(region)}（${region.county.code}）`}
      </p>

      <Pending what="注册服务" />
      <div class="actions">
        <button type="button" class="button" onClick={onBack}>
          上一步
        </button>
        <button type="submit" class="button primary" disabled>
          完成注册
        </button>
      </div>
    </form>
  );
}
