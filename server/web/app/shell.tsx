import type { ComponentChildren } from "preact";
import { canGoBack, navigate } from "../common/router";

// The red title bar of the 个人所得税 app: back on the left, the title, an action on the right.

export function AppHeader({
  title,
  back = true,
  right,
  dark,
  onBack,
}: {
  title: string;
  back?: boolean;
  /** A step of this screen to go back to, instead of the previous page. */
  onBack?: () => void;
  right?: ComponentChildren;
  /** Over the camera: translucent instead of brand red. */
  dark?: boolean;
}) {
  return (
    <header class={dark ? "app-header dark" : "app-header"}>
      <div class="app-header-side">
        {back && (
          <button type="button" class="icon-button back" aria-label="返回" onClick={onBack ?? goBack}>
            <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
              <path d="M15 5l-7 7 7 7" fill="none" stroke="currentColor" stroke-width="2.2" />
            </svg>
          </button>
        )}
      </div>
      <h1>{title}</h1>
      <div class="app-header-side right">{right}</div>
    </header>
  );
}

/** Back within the app when there is somewhere to go back to, else home (a page opened from a link). */
function goBack() {
  if (canGoBack()) history.back();
  else navigate("/app", { replace: true });
}

export function Screen({ children, class: className }: { children: ComponentChildren; class?: string }) {
  return <div class={className ? `screen ${className}` : "screen"}>{children}</div>;
}

export function ScanIcon({ size = 22 }: { size?: number }) {
  return (
    <svg viewBox="0 0 24 24" width={size} height={size} aria-hidden="true">
      <path
        d="M3 8V4h4M17 4h4v4M21 16v4h-4M7 20H3v-4M3 12h18"
        fill="none"
        stroke="currentColor"
        stroke-width="2"
        stroke-linecap="round"
      />
    </svg>
  );
}
