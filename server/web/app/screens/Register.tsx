import { useState } from "preact/hooks";
import { ID_TYPES, NATIONALITIES } from "../../common/id-types";
import { NameField } from "../../common/name-field";
import { Pending } from "../../common/pending";
import { AppHeader, Screen } from "../shell";

// seed 2.2: the app registers by hall code (any ID type, with nationality) or by face (居民身份证 only),
// after 「阅读并同意用户注册协议」.

type Method = "hall" | "face";

export function Register() {
  const [agreed, setAgreed] = useState(false);
  const [method, setMethod] = useState<Method | null>(null);
  return (
    <Screen class="register">
      <AppHeader title="注册" />
      {!method ? (
        <section class="card">
          <h2>选择注册方式</h2>
          <label class="check">
            <input type="checkbox" checked={agreed} onChange={(e) => setAgreed(e.currentTarget.checked)} />
            <span>
              我已阅读并同意<a href="#agreement">《用户注册协议》</a>
            </span>
          </label>
          <div class="choices">
            <button type="button" class="choice" disabled={!agreed} onClick={() => setMethod("hall")}>
              <strong>大厅注册码注册</strong>
              <span>凭办税服务厅获取的注册码注册，适用于所有证件类型</span>
            </button>
            <button type="button" class="choice" disabled={!agreed} onClick={() => setMethod("face")}>
              <strong>人脸识别认证注册</strong>
              <span>调用公安人像数据比对验证，仅支持居民身份证</span>
            </button>
          </div>
          {!agreed && <p class="muted small">请先阅读并同意用户注册协议</p>}
        </section>
      ) : (
        <IdentityForm method={method} onBack={() => setMethod(null)} />
      )}
    </Screen>
  );
}

function IdentityForm({ method, onBack }: { method: Method; onBack(): void }) {
  const [name, setName] = useState("");
  const [idType, setIdType] = useState<string>(ID_TYPES[0]);
  const resident = method === "face" || idType === ID_TYPES[0];
  return (
    <form class="card form" onSubmit={(e) => e.preventDefault()}>
      <h2>{method === "hall" ? "大厅注册码注册" : "人脸识别认证注册"}</h2>
      {method === "hall" && (
        <div class="field">
          <label for="reg-code">注册码</label>
          <input id="reg-code" class="input" maxLength={6} autocomplete="off" placeholder="6位数字、字母" />
        </div>
      )}
      <div class="field">
        <label for="reg-id-type">证件类型</label>
        <select
          id="reg-id-type"
          class="input"
          value={method === "face" ? ID_TYPES[0] : idType}
          disabled={method === "face"}
          onChange={(e) => setIdType(e.currentTarget.value)}
        >
          {ID_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="reg-id-number">证件号码</label>
        <input id="reg-id-number" class="input" autocomplete="off" placeholder="请输入证件号码" />
      </div>
      <NameField id="reg-name" value={name} onValue={setName} />
      {method === "hall" && (
        <div class="field">
          <label for="reg-nationality">国籍（地区）</label>
          <select id="reg-nationality" class="input" disabled={resident}>
            {NATIONALITIES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
      )}
      <Pending what={method === "hall" ? "注册服务" : "人脸识别服务"} />
      <button type="submit" class="button primary block" disabled>
        {method === "hall" ? "下一步" : "开始人脸识别"}
      </button>
      <button type="button" class="button block" onClick={onBack}>
        重选注册方式
      </button>
    </form>
  );
}
