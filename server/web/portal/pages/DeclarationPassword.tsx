import { Link } from "../../common/router";

// seed 1.3: 「忘记申报密码」 — the client links here. Who may reset a company's declaration password, and how.
export function DeclarationPassword() {
  return (
    <section class="panel prose">
      <h1>忘记申报密码</h1>
      <p class="lead">
        申报密码是扣缴单位登录扣缴客户端办税时使用的单位密码。输错5次（含）后将被锁定，可在120分钟后再试，或按以下方式重置。
      </p>

      <h2>谁可以重置</h2>
      <p>
        该单位在税务登记中的<strong>法定代表人</strong>或<strong>财务负责人（财务经理）</strong>
        。办税人员本人不能重置，请联系他们办理。
      </p>

      <h2>在个人所得税APP或本平台重置</h2>
      <ol>
        <li>法定代表人或财务负责人登录个人所得税APP或自然人办税服务平台；</li>
        <li>进入「企业办税权限」，选择该单位，点击「查看详情」，再点击「重置申报密码」；</li>
        <li>输入两次新的申报密码：8–20位，由大小写字母和数字组成，不含空格；</li>
        <li>输入本人绑定手机收到的短信验证码，确认后即重置成功，原锁定同时解除。</li>
      </ol>
      <p class="note">
        若提示「您账户的手机号码尚未绑定，请先进入安全中心绑定手机」，请先绑定手机号码后再重置。
      </p>
      <p>
        <Link href="/web/company" class="button primary">
          前往企业办税权限
        </Link>
      </p>

      <h2>到办税服务厅重置</h2>
      <p>法定代表人或财务负责人也可携带有效身份证件前往主管税务机关办税服务厅重置申报密码。</p>

      <h2>办税授权</h2>
      <p>
        法定代表人为办税人员办理办税授权后，该办税人员登录扣缴客户端即可办理业务，无需输入申报密码；无办税授权关系的，仍需使用申报密码。
      </p>
    </section>
  );
}
