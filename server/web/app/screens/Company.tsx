import { useEffect } from "preact/hooks";
import { CompanyAdmin } from "../../common/company-admin";
import { navigate } from "../../common/router";
import { appSession, loginPath, useSession } from "../../common/session";
import { AppHeader, Screen } from "../shell";

// 企业办税权限 in the app: the legal representative's or finance manager's actions on their companies
// (seed 1.3: reset "由税务登记的法定代表人或者财务经理通过个人所得税APP和WEB渠道").
export function Company() {
  const session = useSession(appSession);
  const toLogin = () => navigate(loginPath("/app/login", "/app/company"), { replace: true });
  // follows the session only
  useEffect(() => {
    if (!session) toLogin();
  }, [session]);
  return (
    <Screen class="company">
      <AppHeader title="企业办税权限" />
      {session && (
        <section class="card">
          <CompanyAdmin session={session} store={appSession} onLoggedOut={toLogin} layout="app" />
        </section>
      )}
    </Screen>
  );
}
