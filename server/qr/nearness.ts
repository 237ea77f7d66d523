import type { AskerNearness } from "../../shared/protocol";
import type { Region } from "../geo";

// QRLJacking: someone shows the victim a QR relayed from their own screen (a screenshot in a chat, a
// link, "scan this for me"). The victim's phone and the attacker's computer are then, almost always,
// on different networks and usually in different places. Both addresses are the hub's own view
// (TRUST_PROXY), so neither side can claim to be next to the other.

export function nearness(
  asker: { ip: string; region: Region | null },
  phone: { ip: string; region: Region | null },
): AskerNearness {
  if (asker.ip === phone.ip && asker.ip !== "unknown") return "same-address";
  const a = asker.region;
  const p = phone.region;
  if (!a || !p) return "unknown";
  const aLocal = a.scope !== "public";
  const pLocal = p.scope !== "public";
  // Both inside (the hub runs on an office network that both reach): as near as the hub can tell.
  if (aLocal && pLocal) return "same-place";
  if (aLocal || pLocal) return "unknown";
  if (a.country && p.country && a.country !== p.country) return "elsewhere";
  if (a.province && p.province && a.province !== p.province) return "elsewhere";
  if (a.city && p.city && a.city !== p.city) return "elsewhere";
  // Same province: the same city, or both a municipality with no city of its own (北京市).
  if (a.province && a.province === p.province && a.city === p.city) return "same-place";
  // Abroad, same country and neither names a province: not enough to tell.
  return "unknown";
}
