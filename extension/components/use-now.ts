import { useEffect, useState } from "preact/hooks";

/** Ticks once a second while mounted (the QR countdown, the idle warning). */
export function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}
