import { Link } from "../../common/router";

const ENTRIES = [
  { href: "/web/register", title: "用户注册", text: "凭办税服务厅获取的注册码注册账号" },
  { href: "/web/forgot-password", title: "忘记密码", text: "验证身份后重置登录密码，并解除账号锁定" },
  { href: "/web/declaration-password", title: "忘记申报密码", text: "扣缴单位申报密码的重置方式" },
  { href: "/web/company", title: "企业办税权限", text: "法定代表人、财务负责人：办税授权、重置申报密码" },
];

export function Home() {
  return (
    <section class="panel">
      <h1>欢迎使用自然人办税服务平台</h1>
      <p class="lead">办税人员需先实名注册，再登录扣缴客户端办理业务。</p>
      <div class="entry-grid">
        {ENTRIES.map((e) => (
          <Link key={e.href} href={e.href} class="entry">
            <strong>{e.title}</strong>
            <span>{e.text}</span>
          </Link>
        ))}
      </div>
    </section>
  );
}
