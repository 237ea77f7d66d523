// Times as people in China read them, whatever the machine's time zone: the seed's times are Beijing
// times (China Standard Time, UTC+8, no daylight saving).

const BEIJING_OFFSET_MS = 8 * 3600_000;

/** A Beijing wall-clock time: "2024-03-01 09:00:05"; "—" for a missing or unparsable time. */
export function beijingTime(at: string | Date): string {
  const t = typeof at === "string" ? Date.parse(at) : at.getTime();
  if (Number.isNaN(t)) return "—";
  return new Date(t + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace("T", " ");
}
