// A visitor with a token: waiting in line, then admitted. Announces the admission.
import { useEffect, useRef } from "preact/hooks";
import { useLang } from "../shared/i18n";
import type { Payment, TokenState } from "../shared/types";
import { Problem } from "../shared/ui";
import { Admitted } from "./Admitted";
import { Points } from "./Points";
import { bookingText } from "./text";
import { type EndReason, useTokenPoll } from "./tokenPoll";
import { Waiting } from "./Waiting";

export function InLine(props: {
  token: string;
  userId: string;
  initial: TokenState | null;
  startPosition: number | null;
  onStartPosition: (position: number) => void;
  onEnded: (reason: EndReason, payment?: Payment) => void;
  announce: (text: string) => void;
}) {
  const t = bookingText[useLang()];
  const { state, error } = useTokenPoll(props.token, props.initial, props.onEnded);
  const sawWaiting = useRef(false);

  useEffect(() => {
    if (!state) return;
    if (state.status === "WAITING") {
      sawWaiting.current = true;
      if (state.position !== null && (props.startPosition === null || state.position > props.startPosition)) {
        props.onStartPosition(state.position);
      }
    } else if (sawWaiting.current) {
      sawWaiting.current = false;
      props.announce(t.admittedAnnouncement);
    }
  }, [state?.status, state?.position]);

  if (!state) {
    return (
      <p class="panel" aria-busy="true">
        {error ? <Problem error={error} /> : t.loading}
      </p>
    );
  }
  if (state.status === "WAITING") {
    // Points can be charged while waiting: one step less once admitted.
    return (
      <>
        <Waiting state={state} startPosition={props.startPosition} error={error} />
        <Points userId={props.userId} />
      </>
    );
  }
  return (
    <Admitted
      token={props.token}
      userId={props.userId}
      expiresAt={state.expiresAt}
      onEnded={props.onEnded}
    />
  );
}
