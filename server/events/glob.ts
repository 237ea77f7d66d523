// Kind filters as people type them: `qr.*`, `ws.*,limit.hit`. `*` is any run of characters.
export function kindMatcher(pattern: string | undefined | null): (kind: string) => boolean {
  const parts = (pattern ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return () => true;
  const res = parts.map(
    (p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`),
  );
  return (kind) => res.some((re) => re.test(kind));
}
