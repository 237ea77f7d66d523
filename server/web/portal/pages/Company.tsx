import { Pending } from "../../common/pending";

// The legal representative's or finance manager's actions, as in the app: grant or revoke a handler's
// 办税授权, and reset the company's declaration password (confirmed by an SMS code to the bound phone).
export function Company() {
  return (
    <section class="panel">
      <h1>企业办税权限</h1>
      <p class="lead">
        法定代表人或财务负责人登录后，可查看本人任职的企业，为办税人员授权，或重置企业的申报密码。
      </p>
      <table class="table">
        <thead>
          <tr>
            <th>企业名称</th>
            <th>纳税人识别号</th>
            <th>身份</th>
            <th>操作</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td colSpan={4} class="empty">
              登录后显示您任职的企业
            </td>
          </tr>
        </tbody>
      </table>
      <ul class="action-list">
        <li>
          <strong>办税授权</strong>：授权后，办税人员登录扣缴客户端无需再输入申报密码。
        </li>
        <li>
          <strong>解除授权</strong>：解除后，该办税人员需凭申报密码办理业务。
        </li>
        <li>
          <strong>重置申报密码</strong>
          ：「查看详情」→「重置申报密码」，输入两次新密码并以绑定手机的短信验证码确认。
        </li>
      </ul>
      <Pending what="企业办税权限服务" />
    </section>
  );
}
