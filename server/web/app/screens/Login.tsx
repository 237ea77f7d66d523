import { useState } from "preact/hooks";
import { Pending } from "../../common/pending";
import { Link } from "../../common/router";
import { AppHeader, Screen } from "../shell";

// seed 1.1: the account may be the phone number, the login name or the ID number.
export function Login() {
  const [account, setAccount] = useState("");
  const [password, setPassword] = useState("");
  return (
    <Screen class="login">
      <AppHeader title="登录" />
      <form class="card form" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="login-account">账号</label>
          <input
            id="login-account"
            class="input"
            autocomplete="username"
            placeholder="手机号码/登录名/证件号码"
            value={account}
            onInput={(e) => setAccount(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="login-password">密码</label>
          <input
            id="login-password"
            class="input"
            type="password"
            autocomplete="current-password"
            placeholder="请输入密码"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </div>
        <Pending what="登录服务" />
        <button type="submit" class="button primary block" disabled>
          登录
        </button>
        <p class="form-links">
          <Link href="/app/register">立即注册</Link>
          <a href="/web/forgot-password">忘记密码</a>
        </p>
      </form>
    </Screen>
  );
}
