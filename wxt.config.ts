import preact from "@preact/preset-vite";
import { defineConfig } from "wxt";
import { EXTENSION_PUBLIC_KEY } from "./shared/extension-id";

// The withholding client: a MV3 toolbar popup plus a background worker that owns the hub socket.
export default defineConfig({
  srcDir: "extension",
  outDir: ".output",
  imports: false,
  vite: () => ({ plugins: [preact()] }),
  manifest: {
    name: "扣缴客户端 · 实名办税",
    description: "自然人税收管理系统扣缴客户端实名登录",
    minimum_chrome_version: "116",
    permissions: ["storage"],
    // A fixed key gives the unpacked extension the same ID everywhere, so the hub can allow its Origin.
    key: EXTENSION_PUBLIC_KEY,
    browser_specific_settings: { gecko: { id: "client@shiming.local", strict_min_version: "115.0" } },
  },
});
