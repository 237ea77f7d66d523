// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { useEffect } from "preact/hooks";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  canGoBack,
  Link,
  matchPath,
  matchRoute,
  navigate,
  normalizePath,
  usePathname,
} from "../../../server/web/common/router";

describe("matching a path against a pattern", () => {
  it.each([
    ["/app", "/app", {}],
    ["/app", "/app/", {}],
    ["/app/qr/:id", "/app/qr/abc_DEF-123", { id: "abc_DEF-123" }],
    ["/app/qr/:id", "/app/qr/abc/", { id: "abc" }],
    ["/app/qr/:id", "/app/qr/%E4%B8%AD", { id: "中" }],
  ])("%s matches %s", (pattern, path, params) => {
    expect(matchPath(pattern, path)).toEqual(params);
  });

  it.each([
    ["/app", "/app/scan"],
    ["/app/scan", "/app"],
    ["/app/qr/:id", "/app/qr"],
    ["/app/qr/:id", "/app/qr/"],
    ["/app/qr/:id", "/app/qr/a/b"],
    ["/app/qr/:id", "/app/qr/%E4%B8"],
    ["/web", "/app"],
  ])("%s does not match %s", (pattern, path) => {
    expect(matchPath(pattern, path)).toBeNull();
  });

  it("keeps the root and strips trailing slashes", () => {
    expect(normalizePath("/")).toBe("/");
    expect(normalizePath("/web//")).toBe("/web");
  });

  it("picks the first route that matches", () => {
    const routes = [
      { path: "/app/qr/new", view: "new" },
      { path: "/app/qr/:id", view: "ticket" },
    ];
    expect(matchRoute(routes, "/app/qr/new")).toEqual({ view: "new", params: {} });
    expect(matchRoute(routes, "/app/qr/x")).toEqual({ view: "ticket", params: { id: "x" } });
    expect(matchRoute(routes, "/app/elsewhere")).toBeNull();
  });
});

function Where({ children }: { children?: preact.ComponentChildren }) {
  return (
    <>
      <p data-testid="where">{usePathname()}</p>
      {children}
    </>
  );
}

/** A screen that sends the person elsewhere as soon as it shows (the confirm screen without a login). */
function RedirectsAtOnce() {
  useEffect(() => navigate("/app/login?next=%2Fapp%2Fqr%2Fabc", { replace: true }), []);
  return null;
}

describe("moving between screens", () => {
  beforeEach(() => history.replaceState(null, "", "/app"));
  afterEach(cleanup);

  it("re-renders on navigate and on the browser's back button", () => {
    render(<Where />);
    expect(screen.getByTestId("where").textContent).toBe("/app");
    act(() => navigate("/app/scan"));
    expect(screen.getByTestId("where").textContent).toBe("/app/scan");
    // What the back button does: the URL changes, then popstate fires.
    act(() => {
      history.replaceState(null, "", "/app");
      window.dispatchEvent(new PopStateEvent("popstate"));
    });
    expect(screen.getByTestId("where").textContent).toBe("/app");
  });

  it("follows a screen that navigates during its first render, before the router listened", () => {
    history.replaceState(null, "", "/app/qr/abc");
    render(
      <Where>
        <RedirectsAtOnce />
      </Where>,
    );
    expect(screen.getByTestId("where").textContent).toBe("/app/login");
  });

  it("knows whether back stays inside the page", () => {
    expect(canGoBack()).toBe(false); // opened straight from a link
    navigate("/app/login");
    expect(canGoBack()).toBe(true);
    navigate("/app/register", { replace: true });
    expect(canGoBack()).toBe(true);
  });

  it("follows a Link in-page on a plain click, and leaves a modified click to the browser", () => {
    render(
      <>
        <Where />
        <Link href="/app/download">下载</Link>
      </>,
    );
    const link = screen.getByText("下载");
    // Listening after the Link's own handler: record whether it took the click, then stop the test
    // browser from really following it.
    const tookIt: boolean[] = [];
    const record = (e: Event) => {
      tookIt.push(e.defaultPrevented);
      e.preventDefault();
    };
    document.addEventListener("click", record);
    link.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true, ctrlKey: true }));
    expect(tookIt).toEqual([false]);
    expect(location.pathname).toBe("/app");
    act(() => {
      fireEvent.click(link);
    });
    document.removeEventListener("click", record);
    expect(tookIt).toEqual([false, true]);
    expect(location.pathname).toBe("/app/download");
    expect(screen.getByTestId("where").textContent).toBe("/app/download");
  });
});
