export function App() {
  return <main>实名登录</main>;
}
