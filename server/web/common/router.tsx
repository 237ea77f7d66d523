import type { AnchorHTMLAttributes, ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";

// A small client-side router over location.pathname: the hub answers every path under /app and /web
// with the page's index.html, so a link typed, scanned or reloaded lands on the right screen.

export type Params = Record<string, string>;

/** Strips a trailing slash so "/app/" and "/app" are the same screen. */
export function normalizePath(pathname: string): string {
  return pathname.length > 1 ? pathname.replace(/\/+$/, "") || "/" : pathname;
}

/** `"/app/qr/:id"` against `"/app/qr/abc"` → `{ id: "abc" }`; no match → null. */
export function matchPath(pattern: string, pathname: string): Params | null {
  const want = normalizePath(pattern).split("/");
  const have = normalizePath(pathname).split("/");
  if (want.length !== have.length) return null;
  const params: Params = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? "";
    const h = have[i] ?? "";
    if (w.startsWith(":")) {
      if (h === "") return null;
      try {
        params[w.slice(1)] = decodeURIComponent(h);
      } catch {
        return null; // a malformed %-escape is no match, not a crash
      }
    } else if (w !== h) return null;
  }
  return params;
}

export interface Route<T> {
  path: string;
  view: T;
}

/** The first route whose pattern matches, with its params. */
export function matchRoute<T>(
  routes: readonly Route<T>[],
  pathname: string,
): { view: T; params: Params } | null {
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (params) return { view: route.view, params };
  }
  return null;
}

// pushState fires no event of its own; screens listen to this one and to popstate (back/forward).
const NAVIGATE = "shiming:navigate";

// Each in-app step records its depth, so 「返回」 knows whether the previous entry is one of ours.
function depth(): number {
  const d = (history.state as { depth?: unknown } | null)?.depth;
  return typeof d === "number" ? d : 0;
}

/** True when history.back() stays inside this page (the person came here by an in-app link). */
export function canGoBack(): boolean {
  return depth() > 0;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState({ depth: depth() }, "", to);
  else history.pushState({ depth: depth() + 1 }, "", to);
  window.dispatchEvent(new Event(NAVIGATE));
  window.scrollTo?.(0, 0);
}

/** The current pathname, re-rendering on navigate() and on back/forward. */
export function usePathname(): string {
  const [path, setPath] = useState(() => normalizePath(location.pathname));
  useEffect(() => {
    const update = () => setPath(normalizePath(location.pathname));
    window.addEventListener(NAVIGATE, update);
    window.addEventListener("popstate", update);
    // A child's effect runs before this one: a screen that redirected on its first render (to 登录)
    // did so before anyone listened, so look again now.
    update();
    return () => {
      window.removeEventListener(NAVIGATE, update);
      window.removeEventListener("popstate", update);
    };
  }, []);
  return path;
}

type AnchorProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; children?: ComponentChildren };

/** An `<a>` that navigates in-page on a plain click and stays a real link for new tabs. */
export function Link({ href, onClick, ...rest }: AnchorProps) {
  return (
    <a
      {...rest}
      href={href}
      onClick={(e) => {
        onClick?.(e);
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      }}
    />
  );
}
