import { Link } from "../../common/router";
import { AppHeader, Screen } from "../shell";

export function NotFound() {
  return (
    <Screen>
      <AppHeader title="个人所得税" />
      <section class="card">
        <h2>页面不存在</h2>
        <p class="muted">
          <Link href="/app">返回首页</Link>
        </p>
      </section>
    </Screen>
  );
}
