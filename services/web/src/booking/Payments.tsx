// The visitor's tickets (payments, newest first) and the receipt of a payment just made.
import { useEffect, useState } from "preact/hooks";
import { call } from "../shared/api";
import { formatDay, formatKrw, formatMoment, useLang } from "../shared/i18n";
import type { Payment } from "../shared/types";
import { Panel, Problem } from "../shared/ui";
import { bookingText } from "./text";
import { loadTickets } from "./tickets";

export function Payments({ userId }: { userId: string }) {
  const lang = useLang();
  const t = bookingText[lang];
  const [payments, setPayments] = useState<Payment[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    call<{ payments: Payment[] }>("GET", `/api/v1/users/${encodeURIComponent(userId)}/payments`).then(
      (answer) => setPayments(answer.payments),
      setError,
    );
  }, [userId]);

  const places = loadTickets();
  return (
    <Panel id="payments" title={t.paymentsTitle}>
      <Problem error={error} />
      {payments === null ? null : payments.length === 0 ? (
        <p>{t.noPayments}</p>
      ) : (
        <ul class="history" data-testid="payments">
          {payments.map((p) => {
            const place = places[p.reservationId];
            return (
              <li key={p.paymentId}>
                <strong>
                  {t.ticketLine(place?.seatNo ?? null, place ? formatDay(place.date, lang) : null, formatKrw(p.amount, lang))}
                </strong>{" "}
                <span class="hint">
                  {p.paymentId} · {formatMoment(p.paidAt, lang)}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </Panel>
  );
}

export function Receipt({ payment }: { payment: Payment }) {
  const lang = useLang();
  const t = bookingText[lang];
  const place = loadTickets()[payment.reservationId];
  return (
    <Panel id="receipt" title={t.receiptTitle}>
      <dl class="receipt" data-testid="receipt">
        <dt>{t.paymentId}</dt>
        <dd><code>{payment.paymentId}</code></dd>
        {place ? (
          <>
            <dt>{t.seat}</dt>
            <dd>{place.seatNo}</dd>
            <dt>{t.date}</dt>
            <dd>{formatDay(place.date, lang)}</dd>
          </>
        ) : null}
        <dt>{t.amount}</dt>
        <dd>{formatKrw(payment.amount, lang)}</dd>
        <dt>{t.paidAt}</dt>
        <dd>{formatMoment(payment.paidAt, lang)}</dd>
      </dl>
    </Panel>
  );
}
