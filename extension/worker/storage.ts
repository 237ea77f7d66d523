import { storage } from "wxt/utils/storage";
import type { Persisted } from "../core/flow";
import { DEFAULT_HUB_URL } from "../core/hub-url";

// chrome.storage.session: in memory only, gone when the browser closes, out of content scripts'
// reach; it outlives a stopped service worker, which is what resuming a login needs.
export const flowItem = storage.defineItem<Persisted | null>("session:flow", { fallback: null, version: 1 });

// The hub's address, set in the options page.
export const hubUrlItem = storage.defineItem<string>("local:hubUrl", {
  fallback: DEFAULT_HUB_URL,
  version: 1,
});

// 记住账号 (opt-in): the account of the last password login, never the password.
export const accountItem = storage.defineItem<string | null>("local:account", { fallback: null, version: 1 });
