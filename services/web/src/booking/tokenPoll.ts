// Polls the visitor's token as the server paces it (pollAfterSeconds), or at a sensible interval
// when the server does not say; reports the end of the token once.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, call } from "../shared/api";
import type { TokenState } from "../shared/types";

export type EndReason = "paid" | "expired" | "invalid";

// Seconds until the next poll. Without the server's pacing: often near the front, rarely far
// back, always well under a third of the default 60 s abandon time (QUEUE_ABANDON_SECONDS).
export function pollDelaySeconds(state: TokenState): number {
  if (state.pollAfterSeconds !== undefined && state.pollAfterSeconds >= 1) return state.pollAfterSeconds;
  if (state.status === "ACTIVE") return 15;
  if (state.soldOut || state.position === null) return 5;
  if (state.position <= 20) return 2;
  return state.position <= 500 ? 5 : 10;
}

export function useTokenPoll(
  token: string,
  initial: TokenState | null,
  onEnded: (reason: EndReason) => void,
): { state: TokenState | null; error: unknown } {
  const [state, setState] = useState<TokenState | null>(initial);
  const [error, setError] = useState<unknown>(null);
  const endedRef = useRef(onEnded);
  endedRef.current = onEnded;

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const schedule = (seconds: number) => {
      timer = setTimeout(poll, seconds * 1000);
    };
    const poll = async () => {
      try {
        const next = await call<TokenState>("GET", "/api/v1/queue/tokens/me", { token });
        if (stopped) return;
        setState(next);
        setError(null);
        schedule(pollDelaySeconds(next));
      } catch (failure) {
        if (stopped) return;
        if (failure instanceof ApiError && failure.status === 401) {
          endedRef.current(failure.code === "TOKEN_EXPIRED" ? "expired" : "invalid");
          return;
        }
        setError(failure);
        schedule(failure instanceof ApiError && failure.retryAfterSeconds ? failure.retryAfterSeconds : 5);
      }
    };
    if (initial) schedule(pollDelaySeconds(initial));
    else void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [token]);

  return { state, error };
}
