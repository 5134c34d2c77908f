import { useEffect, useState } from "preact/hooks";
import { serverNow } from "./api";

// The current time (the server's, see serverNow), refreshed every second: what countdowns read.
export function useNow(): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const timer = setInterval(() => setNow(serverNow()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export const secondsUntil = (iso: string, now: number): number =>
  Math.max(0, Math.ceil((Date.parse(iso) - now) / 1000));
