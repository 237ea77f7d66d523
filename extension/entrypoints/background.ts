import { defineBackground } from "wxt/utils/define-background";

export default defineBackground({
  type: "module",
  main() {
    // The hub socket and the login flow live here (see the extension issue).
  },
});
