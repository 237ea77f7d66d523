import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ERROR_CODES, type ErrorCode } from "../../shared/errors";
import { Refusal } from "../kernel/refusal";
import { isAlive } from "../store/pglite";
import { HUB_FILE, HubFile } from "./admin";

// The tools' side of the admin edge (admin.ts): find the live hub that holds DATA_DIR and send it
// an action. A refusal comes back as the same Refusal the service would have thrown.

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

/** The hub did not answer, or answered something that is not the admin edge's. */
export class HubUnreachableError extends Error {
  override name = "HubUnreachableError";
}

const isErrorCode = (v: unknown): v is ErrorCode => (ERROR_CODES as readonly unknown[]).includes(v);

/** POSTs `body` to the hub's `/internal/<action>` and returns its JSON answer. */
export async function callHub(hub: HubFile, action: string, body: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`${hub.url}/internal/${action}`, {
      method: "POST",
      headers: { authorization: `Bearer ${hub.token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(120_000),
    });
  } catch (err) {
    throw new HubUnreachableError(
      `the hub at ${hub.url} (pid ${hub.pid}) does not answer: ${(err as Error).message}`,
    );
  }
  const answer = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (res.ok && answer) return answer;
  if (answer && isErrorCode(answer.code) && res.status < 500 && res.status !== 401 && res.status !== 403) {
    const { path, attemptsLeft } = answer;
    throw new Refusal(
      answer.code,
      {
        ...(typeof path === "string" ? { path } : {}),
        ...(typeof attemptsLeft === "number" ? { attemptsLeft } : {}),
      },
      typeof answer.message === "string" ? answer.message : undefined,
    );
  }
  const why = answer && typeof answer.message === "string" ? `${answer.code}: ${answer.message}` : "";
  throw new HubUnreachableError(
    `the hub at ${hub.url} refused the request (HTTP ${res.status}) ${why}`.trim(),
  );
}
