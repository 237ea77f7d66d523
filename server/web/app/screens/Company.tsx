import { Pending } from "../../common/pending";
import { AppHeader, Screen } from "../shell";

// The legal representative's or finance manager's actions on a company: 办税授权 for a handler, and
// 「企业办税权限」→「查看详情」→「重置申报密码」 (confirmed by an SMS code to their bound phone).
export function Company() {
  return (
    <Screen class="company">
      <AppHeader title="企业办税权限" />
      <section class="card">
        <h2>我的企业</h2>
        <p class="muted">法定代表人或财务负责人可在此为办税人员授权、解除授权，或重置企业的申报密码。</p>
        <ul class="action-list">
          <li>
            <strong>办税授权</strong>
            <span>授权后，办税人员登录扣缴客户端无需再输入申报密码</span>
          </li>
          <li>
            <strong>解除授权</strong>
            <span>解除后，该办税人员需凭申报密码办理业务</span>
          </li>
          <li>
            <strong>重置申报密码</strong>
            <span>8–20位大小写字母和数字，需本人绑定手机的短信验证码确认</span>
          </li>
        </ul>
        <Pending what="企业办税权限服务" />
      </section>
    </Screen>
  );
}
