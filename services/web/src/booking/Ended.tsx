// The token has ended (paid, timed out or dropped): say so, show the receipt, offer the line again.
import { useEffect, useRef, useState } from "preact/hooks";
import { useLang } from "../shared/i18n";
import { Problem } from "../shared/ui";
import type { Ending } from "./App";
import { Payments, Receipt } from "./Payments";
import { Points } from "./Points";
import { bookingText } from "./text";

export function Ended(props: { ending: Ending; userId: string; onJoin: (userId: string | null) => Promise<void> }) {
  const t = bookingText[useLang()];
  const heading = useRef<HTMLHeadingElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { reason, payment } = props.ending;
  const message = reason === "paid" ? t.endedPaid : reason === "expired" ? t.endedExpired : t.endedInvalid;

  useEffect(() => heading.current?.focus(), []);

  const again = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onJoin(props.userId);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <>
      {payment ? <Receipt payment={payment} /> : null}
      <section class="panel" aria-labelledby="ended-title">
        <h2 id="ended-title" tabIndex={-1} ref={heading} data-testid="ended">
          {message}
        </h2>
        <button type="button" class="primary" disabled={busy} onClick={again}>
          {t.queueAgain}
        </button>
        <Problem error={error} />
        <p class="hint">
          {t.yourUserId}: <code>{props.userId}</code>
        </p>
      </section>
      <Points userId={props.userId} />
      <Payments userId={props.userId} />
    </>
  );
}
