import { appApi } from "../../common/api";
import { Link } from "../../common/router";
import { appSession, useSession } from "../../common/session";
import { AppHeader, ScanIcon, Screen } from "../shell";

// The app's home: 「扫一扫」 at the top right (seed 1.2: "登录手机APP后首页右上角的扫一扫功能").

const SERVICES = [
  { href: "/app/scan", label: "扫一扫", note: "扫码登录扣缴客户端" },
  { href: "/app/register", label: "注册", note: "大厅注册码 / 人脸识别" },
  { href: "/app/company", label: "企业办税权限", note: "办税授权 · 重置申报密码" },
  { href: "/app/download", label: "手机端下载", note: "无需安装，浏览器即用" },
];

export function Home() {
  const session = useSession(appSession);
  const logout = async () => {
    if (session) await appApi.logout(session.token); // the hub ends it; a failure still logs out here
    appSession.clear();
  };
  return (
    <Screen class="home">
      <AppHeader
        title="个人所得税"
        back={false}
        right={
          <Link href="/app/scan" class="scan-button" aria-label="扫一扫">
            <ScanIcon size={28} />
            <span>扫一扫</span>
          </Link>
        }
      />
      <section class="home-banner">
        {session ? (
          <div class="home-person">
            <p class="home-banner-title" data-testid="who">
              您好，{session.person.name}
            </p>
            <p class="home-banner-text">
              {session.person.idType} {session.person.maskedIdNumber}
            </p>
            <button type="button" class="link-button home-logout" onClick={logout}>
              退出登录
            </button>
          </div>
        ) : (
          <div class="home-person">
            <p class="home-banner-title">个人所得税 · 网页版</p>
            <p class="home-banner-text">登录后扫描扣缴客户端的二维码，在手机上确认即可登录</p>
            <Link href="/app/login" class="button home-login">
              登录 / 注册
            </Link>
          </div>
        )}
      </section>
      <nav class="home-grid" aria-label="常用服务">
        {SERVICES.map((s) => (
          <Link key={s.href} href={s.href} class="home-tile">
            <span class="home-tile-label">{s.label}</span>
            <span class="home-tile-note">{s.note}</span>
          </Link>
        ))}
      </nav>
      <section class="card">
        <h2>扫码登录扣缴客户端</h2>
        <ol class="steps">
          <li>在扣缴客户端登录界面右上角切换到二维码登录</li>
          <li>点击本页右上角「扫一扫」，扫描客户端上的二维码</li>
          <li>在手机上核对登录信息后点击「确认登录」</li>
        </ol>
      </section>
    </Screen>
  );
}
