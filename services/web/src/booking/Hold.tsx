// A held seat: its countdown, release, and payment with an Idempotency-Key per attempt (the same
// key when the same attempt is retried, so a retry never charges twice).
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, call, newIdempotencyKey } from "../shared/api";
import { secondsUntil, useNow } from "../shared/hooks";
import { formatClock, formatDay, formatKrw, useLang } from "../shared/i18n";
import { describeProblem } from "../shared/problems";
import type { Payment, Reservation } from "../shared/types";
import { Panel, Problem } from "../shared/ui";
import { bookingText } from "./text";
import { rememberTicket } from "./tickets";

export function Hold(props: {
  hold: Reservation;
  token: string;
  onGone: (message: string) => void;
  onPaid: (payment: Payment) => void;
  onTokenEnded: () => void;
}) {
  const lang = useLang();
  const t = bookingText[lang];
  const { hold } = props;
  const now = useNow();
  const left = secondsUntil(hold.expiresAt, now);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const attemptKey = useRef<string | null>(null);
  const [retrying, setRetrying] = useState(false);

  useEffect(() => {
    if (left === 0) props.onGone(t.holdLapsed(hold.seatNo));
  }, [left === 0]);

  const fail = (failure: unknown) => {
    if (failure instanceof ApiError && failure.code === "TOKEN_EXPIRED") return props.onTokenEnded();
    if (failure instanceof ApiError && ["RESERVATION_EXPIRED", "RESERVATION_NOT_FOUND"].includes(failure.code)) {
      return props.onGone(describeProblem(failure, lang));
    }
    setError(failure);
    if (failure instanceof ApiError && failure.code === "INSUFFICIENT_BALANCE") {
      document.getElementById("charge-amount")?.focus();
    }
  };

  const pay = async () => {
    attemptKey.current ??= newIdempotencyKey();
    setBusy(true);
    setError(null);
    try {
      const payment = await call<Payment>("POST", "/api/v1/payments", {
        token: props.token,
        body: { reservationId: hold.reservationId },
        idempotencyKey: attemptKey.current,
      });
      rememberTicket(hold.reservationId, { seatNo: hold.seatNo, date: hold.date });
      props.onPaid(payment);
      return;
    } catch (failure) {
      const again = failure instanceof ApiError && failure.retryable;
      // A settled answer ends the attempt: the next click is a new attempt with a new key.
      if (!again) attemptKey.current = null;
      setRetrying(again);
      fail(failure);
    }
    setBusy(false);
  };

  const release = async () => {
    setBusy(true);
    try {
      await call<void>("DELETE", `/api/v1/reservations/${hold.reservationId}`, { token: props.token });
      props.onGone(t.released(hold.seatNo));
    } catch (failure) {
      fail(failure);
      setBusy(false);
    }
  };

  return (
    <Panel id="hold" title={t.holdTitle}>
      <p>{t.holdDetail(hold.seatNo, formatDay(hold.date, lang), formatKrw(hold.price, lang))}</p>
      <p>
        {t.holdLeft}{" "}
        <span class="big" role="timer" data-testid="hold-left">
          {formatClock(left)}
        </span>
      </p>
      <div class="actions">
        <button type="button" class="primary" disabled={busy} onClick={pay}>
          {retrying ? t.payRetry : t.pay(formatKrw(hold.price, lang))}
        </button>
        <button type="button" disabled={busy} onClick={release}>
          {t.release}
        </button>
      </div>
      <Problem error={error} />
    </Panel>
  );
}
