import { render } from "preact";

// The phone app's stand-in (个人所得税APP). Its screens are built in the pages issue.
function App() {
  return <main>个人所得税</main>;
}

const root = document.getElementById("app");
if (root) render(<App />, root);
