import { Link } from "../../common/router";
import { AppHeader, ScanIcon, Screen } from "../shell";

// The app's home: 「扫一扫」 at the top right (seed 1.2: "登录手机APP后首页右上角的扫一扫功能").

const SERVICES = [
  { href: "/app/scan", label: "扫一扫", note: "扫码登录扣缴客户端" },
  { href: "/app/login", label: "登录", note: "账号密码登录" },
  { href: "/app/register", label: "注册", note: "大厅注册码 / 人脸识别" },
  { href: "/app/company", label: "企业办税权限", note: "办税授权 · 重置申报密码" },
];

export function Home() {
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
        <p class="home-banner-title">个人所得税 · 网页版</p>
        <p class="home-banner-text">扫描扣缴客户端的二维码，在手机上确认即可登录</p>
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
