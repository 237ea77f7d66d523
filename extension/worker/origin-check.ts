import { CLIENT_ORIGIN_PATH, OriginCheck } from "../../shared/api/client-origin";

// Worker-only (zod): the popup bundle never imports this.

/** Where the worker asks whether the hub allows this browser's Origin (kept under the hub's path). */
export function originCheckUrl(hubUrl: string): string {
  return `${hubUrl.replace(/\/+$/, "")}${CLIENT_ORIGIN_PATH}`;
}

/** Asks the hub whether this extension's Origin may open the client socket (the browser sends the
 *  Origin itself). Null when there is no answer to trust: the hub is down, or too old for the route. */
export async function askOrigin(hubUrl: string, fetchFn: typeof fetch = fetch): Promise<OriginCheck | null> {
  try {
    const res = await fetchFn(originCheckUrl(hubUrl), { cache: "no-store", credentials: "omit" });
    if (!res.ok) return null;
    const parsed = OriginCheck.safeParse(await res.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
