import type { ComponentChildren, FunctionComponent } from "preact";
import { Link, matchRoute, type Route, usePathname } from "../common/router";
import { Company } from "./pages/Company";
import { DeclarationPassword } from "./pages/DeclarationPassword";
import { ForgotPassword } from "./pages/ForgotPassword";
import { Home } from "./pages/Home";
import { Register } from "./pages/Register";

// The web portal's stand-in (自然人办税服务平台WEB端): registration, password recovery, the
// declaration-password help and the legal representative's actions, one page per path under /web.
export const PORTAL_ROUTES: Route<FunctionComponent>[] = [
  { path: "/web", view: Home },
  { path: "/web/register", view: Register },
  { path: "/web/forgot-password", view: ForgotPassword },
  { path: "/web/declaration-password", view: DeclarationPassword },
  { path: "/web/company", view: Company },
];

export function Portal() {
  const path = usePathname();
  const View = matchRoute(PORTAL_ROUTES, path)?.view;
  return (
    <div class="portal">
      <header class="portal-top">
        <div class="portal-bar">
          <Link href="/web" class="portal-brand">
            <span class="portal-emblem" aria-hidden="true">
              税
            </span>
            <span>
              <small>国家税务总局</small>
              <strong>自然人办税服务平台</strong>
            </span>
          </Link>
          <nav class="portal-nav">
            <NavLink href="/web" path={path}>
              首页
            </NavLink>
            <NavLink href="/web/register" path={path}>
              注册
            </NavLink>
            <NavLink href="/web/forgot-password" path={path}>
              忘记密码
            </NavLink>
            <NavLink href="/web/company" path={path}>
              企业办税权限
            </NavLink>
          </nav>
        </div>
      </header>
      <main class="portal-main">
        {View ? (
          <View key={path} />
        ) : (
          <section class="panel">
            <h1>页面不存在</h1>
            <p>
              <Link href="/web">返回首页</Link>
            </p>
          </section>
        )}
      </main>
      <footer class="portal-foot">国家税务总局 · 自然人办税服务平台（演示）</footer>
    </div>
  );
}

function NavLink({ href, path, children }: { href: string; path: string; children: ComponentChildren }) {
  return (
    <Link
      href={href}
      class={path === href ? "active" : undefined}
      aria-current={path === href ? "page" : undefined}
    >
      {children}
    </Link>
  );
}
