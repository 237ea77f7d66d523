import { useEffect, useState } from "preact/hooks";
import type { z } from "zod";
import { AppLogin } from "../../../shared/api/app";

// The app login as a page keeps it: the token (sent as Bearer), when it ends, and who it is (masked).
// The phone keeps it in localStorage, as an app stays logged in; the portal in sessionStorage, since a
// desk computer may be shared and closing the tab should end it there.

export type AppSession = z.infer<typeof AppLogin>;

const CHANGED = "shiming:session";

export interface SessionStore {
  get(): AppSession | null;
  set(session: AppSession): void;
  clear(): void;
}

export function sessionStore(
  storage: () => Storage | undefined,
  key: string,
  now: () => number = Date.now,
): SessionStore {
  const read = (): AppSession | null => {
    let raw: string | null = null;
    try {
      raw = storage()?.getItem(key) ?? null;
    } catch {
      return null; // storage refused (private mode): no session
    }
    if (!raw) return null;
    let parsed: z.ZodSafeParseResult<AppSession>;
    try {
      parsed = AppLogin.safeParse(JSON.parse(raw));
    } catch {
      return null;
    }
    if (!parsed.success || !(Date.parse(parsed.data.expiresAt) > now())) return null;
    return parsed.data;
  };
  const write = (value: string | null) => {
    try {
      if (value === null) storage()?.removeItem(key);
      else storage()?.setItem(key, value);
    } catch {
      // nowhere to keep it: the person logs in again next time
    }
    if (typeof window !== "undefined") window.dispatchEvent(new Event(CHANGED));
  };
  return {
    get: read,
    set: (s) => write(JSON.stringify(s)),
    clear: () => write(null),
  };
}

export const appSession = sessionStore(() => globalThis.localStorage, "shiming.app.session");
export const portalSession = sessionStore(() => globalThis.sessionStorage, "shiming.portal.session");

/** The session now, re-read whenever a page sets or clears one. */
export function useSession(store: SessionStore): AppSession | null {
  const [session, setSession] = useState(() => store.get());
  useEffect(() => {
    const update = () => setSession(store.get());
    window.addEventListener(CHANGED, update);
    window.addEventListener("storage", update);
    return () => {
      window.removeEventListener(CHANGED, update);
      window.removeEventListener("storage", update);
    };
  }, [store]);
  return session;
}

/**
 * Where to go after logging in: only a path of this page's own (`/app…`), never another site
 * (`//evil.example`, `https://…`) — a login link must not become an open redirect.
 */
export function safeNext(raw: string | null | undefined, root: string, fallback = root): string {
  if (!raw) return fallback;
  if (!(raw === root || raw.startsWith(`${root}/`) || raw.startsWith(`${root}?`))) return fallback;
  if (/[\\\s]/.test(raw) || raw.includes("//")) return fallback;
  return raw;
}

/** `/app/login?next=/app/qr/abc` for the page the person is on now. */
export function loginPath(loginAt: string, next: string): string {
  return `${loginAt}?next=${encodeURIComponent(next)}`;
}
