import { useState } from "preact/hooks";
import { ID_TYPES } from "../../common/id-types";
import { NameField } from "../../common/name-field";
import { Pending } from "../../common/pending";

// seed 2.1 (3): 「忘记密码」 — verify who you are, then set a new password. seed 1.1: this also lifts the
// lock after 5 wrong passwords.
export function ForgotPassword() {
  const [name, setName] = useState("");
  return (
    <section class="panel">
      <h1>忘记密码</h1>
      <p class="lead">
        请按照步骤据实填写身份信息，验证通过后重置登录密码；重置后，因密码错误被锁定的账号同时解锁。
      </p>
      <form class="form-grid" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="fp-id-type">证件类型</label>
          <select id="fp-id-type" class="input">
            {ID_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="fp-id-number">证件号码</label>
          <input id="fp-id-number" class="input" autocomplete="off" />
        </div>
        <NameField id="fp-name" value={name} onValue={setName} />
        <div class="field">
          <label for="fp-phone">注册手机号码</label>
          <div class="field-row">
            <input id="fp-phone" class="input" type="tel" autocomplete="tel" />
            <button type="button" class="button small" disabled>
              获取验证码
            </button>
          </div>
        </div>
        <div class="field">
          <label for="fp-sms">短信验证码</label>
          <input id="fp-sms" class="input" inputMode="numeric" autocomplete="one-time-code" />
        </div>
        <Pending what="找回密码服务" />
        <div class="actions">
          <button type="submit" class="button primary" disabled>
            下一步
          </button>
        </div>
      </form>
      <p class="note">若通过此功能仍无法找回密码，请携带有效身份证件到本地办税服务厅进行密码重置。</p>
    </section>
  );
}
