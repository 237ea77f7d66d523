import { navigate } from "../../common/router";
import { AppHeader, Screen } from "../shell";

// What the client's 「手机端下载」 QR opens (seed 1.2: "点击【手机端下载】，打开手机端APP的二维码进行扫码下载").
// Here the app is this web page itself: nothing to install.
export function Download() {
  return (
    <Screen class="download">
      <AppHeader title="手机端下载" back={false} />
      <section class="card download-card">
        <div class="download-logo" aria-hidden="true">
          税
        </div>
        <h2>个人所得税</h2>
        <p>
          本网页版用于代替“个人所得税”APP：无需下载安装，在手机浏览器中即可登录、扫码登录扣缴客户端、注册账号、管理企业办税权限。
        </p>
        <p class="muted small">扫码需使用摄像头，请在浏览器提示时允许访问相机。</p>
        <button type="button" class="button primary block" onClick={() => navigate("/app")}>
          打开个人所得税
        </button>
      </section>
    </Screen>
  );
}
