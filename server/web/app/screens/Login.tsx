import { LoginForm } from "../../common/login-form";
import { Link, navigate } from "../../common/router";
import { appSession, safeNext } from "../../common/session";
import { AppHeader, Screen } from "../shell";

// seed 1.1: the account may be the phone number, the login name or the ID number. A screen that needs
// the login sends the person here with ?next=<its path> and gets them back after it.
export function Login() {
  const next = safeNext(new URLSearchParams(location.search).get("next"), "/app");
  return (
    <Screen class="login">
      <AppHeader title="登录" />
      <section class="card">
        <div class="login-brand" aria-hidden="true">
          <span class="download-logo">税</span>
          <span>个人所得税</span>
        </div>
        {next.startsWith("/app/qr/") && <p class="notice">登录后即可确认扫码登录扣缴客户端</p>}
        <LoginForm
          channel="app"
          onLoggedIn={(login) => {
            appSession.set(login);
            navigate(next, { replace: true });
          }}
          forgotHref="/web/forgot-password"
          register={<Link href="/app/register">立即注册</Link>}
        />
      </section>
    </Screen>
  );
}
