import { appApi } from "../../common/api";
import { CompanyAdmin } from "../../common/company-admin";
import { LoginForm } from "../../common/login-form";
import { Link } from "../../common/router";
import { portalSession, useSession } from "../../common/session";

// 企业办税权限 on the portal: the same actions as in the app, at a desk. The person logs in with the
// app's account (the same login API); the portal keeps it for this tab only.
export function Company() {
  const session = useSession(portalSession);
  const logout = async () => {
    if (session) await appApi.logout(session.token);
    portalSession.clear();
  };
  return (
    <section class="panel">
      <h1>企业办税权限</h1>
      {!session ? (
        <div class="portal-login">
          <div class="portal-login-intro">
            <p class="lead">
              法定代表人或财务经理登录后，可查看本人任职的企业，为办税人员办理办税授权、解除授权，或重置企业的申报密码。
            </p>
            <p class="hint">使用个人所得税APP的账号登录：手机号码、登录名或证件号码。</p>
          </div>
          <div class="portal-login-box">
            <h2>登录</h2>
            <LoginForm
              channel="portal"
              idPrefix="portal-login"
              onLoggedIn={(login) => portalSession.set(login)}
              forgotHref="/web/forgot-password"
              register={<Link href="/web/register">立即注册</Link>}
            />
          </div>
        </div>
      ) : (
        <>
          <p class="portal-who">
            <span data-testid="who">
              {session.person.name}（{session.person.idType} {session.person.maskedIdNumber}）
            </span>
            <button type="button" class="link-button" onClick={logout}>
              退出登录
            </button>
          </p>
          <CompanyAdmin session={session} store={portalSession} onLoggedOut={() => {}} layout="portal" />
        </>
      )}
    </section>
  );
}
