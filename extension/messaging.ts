import { defineExtensionMessaging } from "@webext-core/messaging";
import type { ClientView, UserAction } from "./core/view";

// Popup ↔ worker. The popup asks for the current view and sends what the person did; the worker
// broadcasts every new view. Passwords cross here on their way to the socket, so nothing is logged.
export interface PopupProtocol {
  /** The popup opened: the current view (and the worker connects if it was not). */
  "view.get"(): ClientView;
  act(action: UserAction): void;
  /** The hub's font files for the rare characters of a name, by slice (shared/rare/name-slices.ts). */
  nameGlyphs(slices: number[]): [url: string, unicodeRange: string][];
  /** Worker → open popups. */
  view(view: ClientView): void;
}

const quiet = { debug() {}, log() {}, warn: console.warn, error: console.error };

export const { sendMessage, onMessage } = defineExtensionMessaging<PopupProtocol>({ logger: quiet });

/** The popup holds a port open while it is shown, so the worker knows someone is looking. */
export const POPUP_PORT = "popup";
