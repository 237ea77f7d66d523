// How identifiers appear in events: enough to follow one ticket or connection, never enough to use it.

/** A random id or token: its first 6 characters. Ticket ids are not secret (the QR shows them), but an
 *  event stream is no place for whole ones. */
export function maskToken(id: string): string {
  return id.length <= 6 ? "…" : `${id.slice(0, 6)}…`;
}

/** 203.0.113.77 → 203.0.113.*; IPv6 keeps its first four groups. */
export function maskIp(ip: string): string {
  const v4 = ip.replace(/^::ffff:/, "");
  if (/^\d+\.\d+\.\d+\.\d+$/.test(v4)) return v4.replace(/\.\d+$/, ".*");
  const groups = ip.split(":");
  return groups.length > 4 ? `${groups.slice(0, 4).join(":")}:*` : "*";
}
