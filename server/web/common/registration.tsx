import { useState } from "preact/hooks";
import { CURRENT_AGREEMENT, type IdentityVerified, type Registered } from "../../../shared/api/accounts";
import { type ApiFailure, accountsApi } from "./api";
import { loginNameChecklist, passwordChecklist } from "./checks";
import { ChecklistView, FormError, SelectField, TextField, useSubmit } from "./form";
import { ID_TYPE_OPTIONS, type IdType, impliedNationality, NATIONALITY_OPTIONS } from "./id-types";
import { NameField } from "./name-field";
import { NewPasswordFields, useNewPassword } from "./new-password";
import { formatRegion, type RegionChoice, RegionPicker } from "./region-picker";
import { SmsButton, SmsCodeField, smsWait } from "./sms";

// The parts of seed 2 (实名注册) the app and the portal share: the agreement's text, the identity
// fields, and the last step — 登录名、密码、手机号（短信验证）(+ 户籍所在地 on the portal).

export function AgreementText() {
  return (
    <div class="agreement-text">
      <p>
        您在注册前应仔细阅读本协议。您点击同意，即表示您同意按本协议使用本平台，并授权平台对您填写的身份信息进行核验。
      </p>
      <p>您应如实填写本人身份信息，不得冒用他人身份注册；账号、密码仅限本人使用，请妥善保管。</p>
      <p>平台依法保护您的个人信息，仅用于办理涉税业务及身份核验。</p>
    </div>
  );
}

export interface IdentityInput {
  name: string;
  idType: IdType;
  idNumber: string;
  /** ISO alpha-3, or "" while not chosen; only the app asks (seed 2.2.1). */
  nationality: string;
}

export const EMPTY_IDENTITY: IdentityInput = {
  name: "",
  idType: "居民身份证",
  idNumber: "",
  nationality: "CHN",
};

/** Name (with 录入生僻字), ID type, ID number, and nationality when asked. */
export function IdentityFields({
  prefix,
  value,
  onChange,
  withNationality,
  invalid,
}: {
  prefix: string;
  value: IdentityInput;
  onChange(next: IdentityInput): void;
  withNationality?: boolean;
  /** The field the hub named as wrong. */
  invalid?: string | undefined;
}) {
  const nationality = impliedNationality(value.idType);
  const setIdType = (idType: IdType) =>
    onChange({ ...value, idType, nationality: impliedNationality(idType).code });
  return (
    <>
      <NameField
        id={`${prefix}-name`}
        value={value.name}
        onValue={(name) => onChange({ ...value, name })}
        required
      />
      <SelectField
        id={`${prefix}-id-type`}
        label="证件类型"
        value={value.idType}
        options={ID_TYPE_OPTIONS}
        onValue={setIdType}
        required
      />
      <TextField
        id={`${prefix}-id-number`}
        label="证件号码"
        value={value.idNumber}
        onValue={(idNumber) => onChange({ ...value, idNumber })}
        placeholder="请输入证件号码"
        maxLength={32}
        invalid={invalid === "idNumber"}
        required
      />
      {withNationality && (
        <SelectField
          id={`${prefix}-nationality`}
          label="国籍（地区）"
          value={value.nationality}
          options={NATIONALITY_OPTIONS}
          disabled={nationality.fixed}
          onValue={(n) => onChange({ ...value, nationality: n })}
          required
        />
      )}
    </>
  );
}

/** "*三 · 居民身份证 1101**********4514": whose account this step completes. */
/**
 * 大厅注册码注册's identity step as both fronts submit it: the code and the identity to the hub. `missing`
 * names the fields in the order the screen shows them; the app also asks for the nationality.
 */
export function useHallCodeStep({
  channel,
  identity,
  onVerified,
  missing,
  withNationality = false,
}: {
  channel: "app" | "portal";
  identity: IdentityInput;
  onVerified(v: IdentityVerified): void;
  missing: string;
  withNationality?: boolean;
}) {
  const [hallCode, setHallCode] = useState("");
  const [error, setError] = useState<ApiFailure | null>(null);
  const [busy, submit] = useSubmit();
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void submit(async () => {
      if (!hallCode.trim() || !identity.name.trim() || !identity.idNumber.trim())
        return setError({ code: "FORM", message: missing });
      if (withNationality && !identity.nationality)
        return setError({ code: "FORM", message: "请选择国籍（地区）" });
      setError(null);
      const r = await accountsApi.verifyHallCode({
        agreementVersion: CURRENT_AGREEMENT.version,
        channel,
        hallCode: hallCode.trim(),
        name: identity.name.trim(),
        idType: identity.idType,
        idNumber: identity.idNumber.trim(),
        ...(withNationality ? { nationality: identity.nationality } : {}),
      });
      if (r.ok) onVerified(r.data);
      else setError(r.error);
    });
  };
  return { hallCode, setHallCode, error, busy, onSubmit };
}

/** 注册码: the 6 letters/digits the hall gave. */
export function HallCodeField({
  value,
  onValue,
  invalid,
  hint,
}: {
  value: string;
  onValue(v: string): void;
  invalid: boolean;
  hint?: string;
}) {
  return (
    <TextField
      id="reg-code"
      label="注册码"
      value={value}
      onValue={onValue}
      maxLength={6}
      placeholder="6位数字、字母"
      invalid={invalid}
      hint={hint}
      required
    />
  );
}

export function VerifiedIdentity({ verified }: { verified: IdentityVerified }) {
  const { identity } = verified;
  return (
    <p class="verified rare-char" data-testid="verified">
      <span class="verified-mark" aria-hidden="true">
        ✓
      </span>
      身份已核验：{identity.maskedName} · {identity.idType} {identity.maskedIdNumber}
    </p>
  );
}

export interface AccountStepProps {
  prefix: string;
  verified: IdentityVerified;
  /** The portal asks for 户籍所在地 (required there); the app does not. */
  withRegion?: boolean;
  onDone(registered: Registered): void;
  /** The verification ran out (30 minutes): start again from the identity. */
  onRestart(): void;
}

export function AccountStep({ prefix, verified, withRegion, onDone, onRestart }: AccountStepProps) {
  const [loginName, setLoginName] = useState("");
  const pw = useNewPassword(passwordChecklist);
  const [phone, setPhone] = useState("");
  const [smsCode, setSmsCode] = useState("");
  const [region, setRegion] = useState<RegionChoice | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<ApiFailure | null>(null);
  const [busy, submit] = useSubmit();
  const nameRules = loginNameChecklist(loginName);
  const token = verified.registrationToken;

  const sendSms = async (): Promise<number | null> => {
    setError(null);
    const r = await accountsApi.registrationSms({ registrationToken: token, phone: phone.trim() });
    return smsWait(r, (d) => setSentTo(d.maskedPhone), setError);
  };

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void submit(async () => {
      const local = localProblem();
      if (local) return setError({ code: "FORM", message: local });
      setError(null);
      const r = await accountsApi.complete({
        registrationToken: token,
        loginName: loginName.trim(),
        password: pw.value,
        phone: phone.trim(),
        smsCode: smsCode.trim(),
        ...(withRegion && region ? { householdRegion: region.county.code } : {}),
      });
      if (r.ok) onDone(r.data);
      else setError(r.error);
    });
  };

  // What the page can tell before asking the hub: the rules shown under the fields, and empties.
  const localProblem = (): string | null => {
    if (!nameRules.valid) return "登录名不符合规则，请按提示修改";
    if (!pw.rules.valid) return "密码不符合规则，请按提示修改";
    if (pw.value !== pw.again) return "两次输入的密码不一致";
    if (!phone.trim()) return "请输入手机号码";
    if (!smsCode.trim()) return "请输入短信验证码";
    if (withRegion && !region) return "请选择户籍所在地";
    return null;
  };

  const at = error?.path;
  return (
    <form class="account-step" onSubmit={onSubmit} noValidate>
      <VerifiedIdentity verified={verified} />
      <TextField
        id={`${prefix}-login-name`}
        label="登录名"
        value={loginName}
        onValue={setLoginName}
        autocomplete="username"
        placeholder="2-16位字符"
        invalid={at === "loginName"}
        required
      >
        <ChecklistView list={nameRules} value={loginName} label="登录名规则" />
      </TextField>
      <NewPasswordFields
        ids={[`${prefix}-password`, `${prefix}-password-again`]}
        what="密码"
        state={pw}
        invalid={at === "password"}
        placeholders={["8-15位", "请再次输入密码"]}
      />
      <TextField
        id={`${prefix}-phone`}
        label="手机号码"
        type="tel"
        value={phone}
        onValue={setPhone}
        autocomplete="tel"
        inputMode="tel"
        placeholder="请输入手机号码"
        invalid={at === "phone"}
        required
        aside={<SmsButton send={sendSms} disabled={!phone.trim()} />}
      />
      <SmsCodeField
        id={`${prefix}-sms`}
        value={smsCode}
        onValue={setSmsCode}
        placeholder="请输入短信验证码"
        invalid={at === "smsCode"}
        hint={sentTo ? `验证码已发送至 ${sentTo}` : undefined}
      />
      {withRegion && (
        <>
          <RegionPicker idPrefix={`${prefix}-region`} onChange={setRegion} required />
          <p class="region-summary" data-testid="region-summary">
            {region && `已选：${formatRegion(region)}（${region.county.code}）`}
          </p>
        </>
      )}
      <FormError error={error} />
      {error?.code === "REGISTRATION_EXPIRED" ? (
        <button type="button" class="button primary block" onClick={onRestart}>
          重新验证身份
        </button>
      ) : (
        <button type="submit" class="button primary block" disabled={busy}>
          {busy ? "提交中…" : "完成注册"}
        </button>
      )}
    </form>
  );
}

/** 注册成功: how to log in from now on (seed 2.1 ③: 手机号码/证件号码/登录名). */
export function RegisteredNote({ registered, idType }: { registered: Registered; idType: IdType }) {
  const accounts = idType === "居民身份证" ? "手机号码、证件号码或登录名" : "手机号码或登录名";
  return (
    <div class="registered" data-testid="registered">
      <div class="outcome-icon ok" aria-hidden="true">
        ✓
      </div>
      <div role="status">
        <h2>注册成功</h2>
      </div>
      <dl class="facts">
        <dt>登录名</dt>
        <dd class="rare-char">{registered.loginName}</dd>
        <dt>手机号码</dt>
        <dd>{registered.maskedPhone}</dd>
      </dl>
      {/* The product names never break, so no line is left with 「端。」 alone. */}
      <p class="muted">
        您可以使用{accounts}登录<span class="keep">个人所得税APP</span>和
        <span class="keep">扣缴客户端。</span>
      </p>
    </div>
  );
}
