import { browser } from "wxt/browser";
import { defineBackground } from "wxt/utils/define-background";
import { parseHubUrl } from "../core/hub-url";
import { onMessage, POPUP_PORT, sendMessage } from "../messaging";
import { Client } from "../worker/client";
import type { SocketLike } from "../worker/connection";
import { askNameGlyphs } from "../worker/name-glyphs";
import { askOrigin } from "../worker/origin-check";
import { accountItem, flowItem, hubUrlItem } from "../worker/storage";

// The worker owns the hub socket and the login flow; the popup is a view of it. A stopped worker
// starts here again, reads chrome.storage.session and resumes whatever login was under way.
export default defineBackground({
  type: "module",
  main() {
    const ready = (async () => {
      const saved = parseHubUrl(await hubUrlItem.getValue());
      return Client.start({
        hubUrl: saved.ok ? saved.url : hubUrlItem.fallback,
        store: { load: () => flowItem.getValue(), save: (v) => flowItem.setValue(v) },
        account: { load: () => accountItem.getValue(), save: (v) => accountItem.setValue(v) },
        socket: (url) => new WebSocket(url) as unknown as SocketLike,
        publish: (view) => {
          // No popup open → nobody receives it, which is fine.
          sendMessage("view", view).catch(() => {});
        },
        version: browser.runtime.getManifest().version,
        os: osName(),
        checkOrigin: (url) => askOrigin(url),
      });
    })();

    onMessage("view.get", async () => (await ready).view());
    onMessage("act", async ({ data }) => (await ready).act(data));
    onMessage("nameGlyphs", async ({ data }) => askNameGlyphs((await ready).view().hubUrl, data));

    browser.runtime.onConnect.addListener((port) => {
      if (port.name !== POPUP_PORT) return;
      let closed = false;
      let unwatch = () => {};
      port.onDisconnect.addListener(() => {
        closed = true;
        unwatch();
      });
      ready.then((client) => {
        if (!closed) unwatch = client.watch();
      });
    });

    hubUrlItem.watch(async (value) => {
      const parsed = parseHubUrl(value);
      if (parsed.ok) (await ready).setHubUrl(parsed.url);
    });
  },
});

/** The computer's system as the browser names it (Windows, macOS, Linux…), for the phone to show as
 *  the client's own claim. */
function osName(): string | undefined {
  const nav = navigator as Navigator & { userAgentData?: { platform?: string } };
  const name = nav.userAgentData?.platform || nav.platform;
  return name ? name.slice(0, 64) : undefined;
}
