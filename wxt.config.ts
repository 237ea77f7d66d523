import preact from "@preact/preset-vite";
import { defineConfig } from "wxt";
import { EXTENSION_PUBLIC_KEY, GECKO_ID } from "./shared/extension-id";

// The withholding client: a toolbar popup plus a background worker that owns the hub socket.
// Chrome gets MV3 with its key; Firefox gets its own manifest (WXT builds MV2 there).
// Icons: extension/public/icon/<size>.png (drawn by scripts/icons.ts), listed by WXT as the manifest's
// "icons"; the toolbar button's are in the popup's <meta name="manifest.default_icon">.
export default defineConfig({
  srcDir: "extension",
  outDir: ".output",
  publicDir: "extension/public",
  imports: false,
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: "扣缴客户端 · 实名办税",
    description: "自然人税收管理系统扣缴客户端实名登录",
    permissions: ["storage"],
    ...(browser === "firefox"
      ? {
          browser_specific_settings: {
            gecko: {
              id: GECKO_ID,
              strict_min_version: "140.0",
              // The add-on sends the hub only what the person types to log in; no data is collected.
              data_collection_permissions: { required: ["none"] },
            },
            // Firefox for Android reads data_collection_permissions from 142.
            gecko_android: { strict_min_version: "142.0" },
          },
        }
      : {
          // Service workers keep a WebSocket alive from Chrome 116.
          minimum_chrome_version: "116",
          // A fixed key gives the unpacked extension the same ID everywhere, so the hub can allow its Origin.
          key: EXTENSION_PUBLIC_KEY,
        }),
  }),
  // `npm run zip` / `zip:firefox` → .output/shiming-<version>-<browser>.zip; Firefox also gets the
  // sources AMO asks for (what builds the add-on: extension/, shared/, the configs and the lockfile).
  zip: { excludeSources: ["server/**", "tests/**", "bench/**", "data/**", "scripts/build-rare-index.ts"] },
});
