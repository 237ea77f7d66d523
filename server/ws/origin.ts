import { EXTENSION_ORIGIN } from "../../shared/extension-id";

/** Origins whose pages may open a client socket: the extension, the hub's own pages, and any extra
 *  ones configured (ALLOWED_ORIGINS, e.g. a Firefox install's moz-extension:// origin). */
export function allowedOrigins(publicUrl: string, extra: readonly string[]): ReadonlySet<string> {
  return new Set([EXTENSION_ORIGIN, new URL(publicUrl).origin, ...extra]);
}
