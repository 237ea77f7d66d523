// What a scanned QR means to the phone: a login ticket of this hub, or nothing we know.
// seed 1.2: the client's QR encodes `${PUBLIC_URL}/app/qr/<ticketId>` (shared/protocol/qr.ts).

/** The protocol's ticket id shape (`token` in shared/protocol/common.ts), kept here so zod stays out of the phone bundle. */
export const TICKET_ID = /^[A-Za-z0-9_-]{22,64}$/;

/** `stamp`: the rotating QR's `?s=` (server/qr/rotation.ts), null for the first period's plain URL. */
export type ScannedQr = { kind: "ticket"; ticketId: string; stamp: string | null } | { kind: "unknown" };

const STAMP = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * A ticket only when the text is an http(s) URL on one of the hub's origins with the path /app/qr/<id>.
 * Anything else — another site, another path, plain text — is unknown: the phone never follows it.
 */
export function parseScannedQr(text: string, hubOrigins: readonly string[]): ScannedQr {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { kind: "unknown" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { kind: "unknown" };
  if (!hubOrigins.includes(url.origin)) return { kind: "unknown" };
  const m = /^\/app\/qr\/([^/]+)\/?$/.exec(url.pathname);
  const ticketId = m?.[1];
  if (!ticketId || !TICKET_ID.test(ticketId)) return { kind: "unknown" };
  const stamp = url.searchParams.get("s");
  if (stamp !== null && !STAMP.test(stamp)) return { kind: "unknown" };
  return { kind: "ticket", ticketId, stamp };
}

/**
 * The origins whose QR links this page follows: its own, plus any the hub lists in
 * `<meta name="shiming-hub-origins" content="https://a https://b">` (several nodes behind different names).
 */
export function hubOrigins(doc: Document = document): string[] {
  const listed = doc.querySelector('meta[name="shiming-hub-origins"]')?.getAttribute("content") ?? "";
  const origins = listed
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((o) => {
      try {
        return [new URL(o).origin];
      } catch {
        return [];
      }
    });
  return [doc.location?.origin ?? location.origin, ...origins];
}
