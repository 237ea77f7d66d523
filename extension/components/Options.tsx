import { useState } from "preact/hooks";
import { DEFAULT_HUB_URL, parseHubUrl, socketUrl } from "../core/hub-url";
import { Emblem } from "./icons";

/** The hub's address: checked, then saved; the worker reconnects to it. */
export function Options({ initial, save }: { initial: string; save(url: string): Promise<void> }) {
  const [text, setText] = useState(initial);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const parsed = parseHubUrl(text);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!parsed.ok) {
      setMessage({ ok: false, text: parsed.message });
      return;
    }
    await save(parsed.url);
    setText(parsed.url);
    setMessage({ ok: true, text: "已保存" });
  };
  return (
    <div class="options">
      <header class="top">
        <Emblem />
        <h1>扣缴客户端设置</h1>
      </header>
      <form class="card form mid-labels" onSubmit={submit}>
        <div class="field">
          <label for="hub-url">服务地址</label>
          <input
            id="hub-url"
            value={text}
            placeholder={DEFAULT_HUB_URL}
            onInput={(e) => {
              setText(e.currentTarget.value);
              setMessage(undefined);
            }}
          />
        </div>
        <p class="muted small">连接地址：{parsed.ok ? socketUrl(parsed.url) : "—"}</p>
        {message && (
          <p class={message.ok ? "note" : "error"} role={message.ok ? "status" : "alert"}>
            {message.text}
          </p>
        )}
        <div class="actions">
          <button type="button" class="secondary" onClick={() => setText(DEFAULT_HUB_URL)}>
            恢复默认
          </button>
          <button type="submit" class="primary">
            保存
          </button>
        </div>
      </form>
    </div>
  );
}
