// A pure function of a string, remembered for the strings seen lately: client addresses repeat
// (keep-alive connections, a phone's every request), and parsing one costs more than a Map lookup.
// Bounded: past `max` distinct arguments it starts afresh, so an address sweep cannot grow it.

export function memoByString<T>(fn: (s: string) => T, max = 4096): (s: string) => T {
  const seen = new Map<string, T>();
  return (s) => {
    const hit = seen.get(s);
    if (hit !== undefined || seen.has(s)) return hit as T;
    const value = fn(s);
    if (seen.size >= max) seen.clear();
    seen.set(s, value);
    return value;
  };
}
