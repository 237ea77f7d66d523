import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { isAlive } from "./pglite";

// DATA_DIR/hub.json: a hub that holds the embedded store announces itself there (server/hall/admin.ts
// writes it, mode 0600, and removes it on close), so tools on this machine find it: the hall CLI and
// `npm run demo` hand it their commands, `npm run events` watches it.

export const HUB_FILE = "hub.json";

export const HubFile = z.strictObject({
  /** Where tools on this machine reach the hub (loopback). */
  url: z.url(),
  publicUrl: z.url(),
  token: z.string().min(22).max(128),
  pid: z.number().int().positive(),
  nodeId: z.string(),
});
export type HubFile = z.infer<typeof HubFile>;

/** The hub announced in `dataDir/hub.json`, if that file is valid and its process still runs. */
export function findLocalHub(dataDir: string): HubFile | null {
  let raw: string;
  try {
    raw = readFileSync(join(dataDir, HUB_FILE), "utf8");
  } catch {
    return null;
  }
  let parsed: ReturnType<typeof HubFile.safeParse>;
  try {
    parsed = HubFile.safeParse(JSON.parse(raw));
  } catch {
    return null;
  }
  return parsed.success && isAlive(parsed.data.pid) ? parsed.data : null;
}
