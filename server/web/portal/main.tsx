import { render } from "preact";

// The web portal's stand-in (自然人办税服务平台WEB端). Its screens are built in the pages issue.
function Portal() {
  return <main>自然人办税服务平台</main>;
}

const root = document.getElementById("app");
if (root) render(<Portal />, root);
