// Points: balance, charge with an Idempotency-Key per attempt (reused when that attempt is
// retried after a network failure or a 5xx), and the history.
import { useEffect, useState } from "preact/hooks";
import { ApiError, call, newIdempotencyKey } from "../shared/api";
import { formatKrw, formatMoment, useLang } from "../shared/i18n";
import type { Balance, LedgerEntry } from "../shared/types";
import { Panel, Problem } from "../shared/ui";
import { bookingText } from "./text";

interface Attempt {
  key: string;
  amount: number;
}

export function Points({ userId }: { userId: string }) {
  const lang = useLang();
  const t = bookingText[lang];
  const [balance, setBalance] = useState<number | null>(null);
  const [history, setHistory] = useState<LedgerEntry[]>([]);
  const [amount, setAmount] = useState("100000");
  const [pending, setPending] = useState<Attempt | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState("");
  const [error, setError] = useState<unknown>(null);
  const base = `/api/v1/users/${encodeURIComponent(userId)}`;

  const load = async () => {
    try {
      const [b, h] = await Promise.all([
        call<Balance>("GET", `${base}/points`),
        call<{ entries: LedgerEntry[] }>("GET", `${base}/points/history?limit=20`),
      ]);
      setBalance(b.balance);
      setHistory(h.entries);
    } catch (failure) {
      setError(failure);
    }
  };
  useEffect(() => void load(), [userId]);

  const charge = async (event: Event) => {
    event.preventDefault();
    const value = Number(amount);
    // A different amount is a new attempt; the same amount after a retryable failure is a retry.
    const attempt = pending && pending.amount === value ? pending : { key: newIdempotencyKey(), amount: value };
    setBusy(true);
    setError(null);
    setNotice("");
    try {
      const answer = await call<Balance>("POST", `${base}/points/charge`, {
        body: { amount: Number.isInteger(value) ? value : amount },
        idempotencyKey: attempt.key,
      });
      setPending(null);
      setBalance(answer.balance);
      setNotice(t.charged(formatKrw(value, lang)));
      void load();
    } catch (failure) {
      setPending(failure instanceof ApiError && failure.retryable ? attempt : null);
      setError(failure);
    }
    setBusy(false);
  };

  return (
    <Panel id="points" title={t.pointsTitle}>
      <p>
        {t.balance}{" "}
        <strong class="big" data-testid="balance">
          {balance === null ? "…" : formatKrw(balance, lang)}
        </strong>
      </p>
      <form class="inline-form" onSubmit={charge}>
        <label for="charge-amount">{t.chargeAmount}</label>
        <input
          id="charge-amount"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          value={amount}
          onInput={(event) => setAmount(event.currentTarget.value)}
        />
        <button type="submit" disabled={busy || amount === ""}>
          {pending && pending.amount === Number(amount) ? t.chargeRetry : t.charge}
        </button>
      </form>
      <div aria-live="polite">{notice ? <p class="notice">{notice}</p> : null}</div>
      <Problem error={error} />
      <h3>{t.historyTitle}</h3>
      {history.length === 0 ? (
        <p>{t.noHistory}</p>
      ) : (
        <ul class="history">
          {history.map((entry, index) => (
            <li key={index}>
              <span>{t.entryType[entry.type]}</span>{" "}
              <strong>{formatKrw(entry.type === "PAYMENT" ? -entry.amount : entry.amount, lang)}</strong>{" "}
              <span class="hint">
                {t.balanceAfter(formatKrw(entry.balanceAfter, lang))} · {formatMoment(entry.createdAt, lang)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
