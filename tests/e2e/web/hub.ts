import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { loadConfig } from "../../../server/config";
import { type Hub, startHub } from "../../../server/hub";

// The hub these page tests open: one in-process node on a free port, serving the built pages.
export async function startPagesHub(): Promise<Hub> {
  if (!existsSync(resolve(".output/web/app/index.html")))
    throw new Error("the phone pages are not built: run `npm run build:web` first");
  return startHub(loadConfig({ PORT: "0", DATA_DIR: ":memory:" }));
}
