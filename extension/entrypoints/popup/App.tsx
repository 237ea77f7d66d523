import { useEffect, useState } from "preact/hooks";
import { browser } from "wxt/browser";
import { Popup } from "../../components/Popup";
import type { ClientView, UserAction } from "../../core/view";
import { onMessage, POPUP_PORT, sendMessage } from "../../messaging";

/** The popup: a live view of the worker's state, and a way to tell it what the person did. */
export function App() {
  const [view, setView] = useState<ClientView>();
  useEffect(() => {
    let broadcasts = 0;
    let gone = false;
    const off = onMessage("view", ({ data }) => {
      broadcasts++;
      setView(data);
    });
    // The open port tells the worker someone is looking. A stopped worker drops it: look again,
    // which starts the worker, which resumes from chrome.storage.session.
    let port: ReturnType<typeof browser.runtime.connect> | undefined;
    const attach = () => {
      port = browser.runtime.connect({ name: POPUP_PORT });
      port.onDisconnect.addListener(() => {
        if (!gone) setTimeout(attach, 200);
      });
      const before = broadcasts;
      sendMessage("view.get").then(
        (v) => {
          // A broadcast that came in meanwhile is newer than this answer.
          if (broadcasts === before) setView(v);
        },
        (err) => console.error("worker unreachable", err),
      );
    };
    attach();
    return () => {
      gone = true;
      off();
      port?.disconnect();
    };
  }, []);
  if (!view) return <div class="app loading">正在加载…</div>;
  const act = (a: UserAction) => {
    sendMessage("act", a).catch((err) => console.error("worker unreachable", err));
  };
  return (
    <Popup
      view={view}
      act={act}
      openTab={(url) => browser.tabs.create({ url })}
      openOptions={() => {
        browser.runtime.openOptionsPage().catch((err) => console.error("options page", err));
      }}
    />
  );
}
