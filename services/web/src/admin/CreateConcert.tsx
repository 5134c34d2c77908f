// Create a concert: title, price and its dates; the API's errors (DATE_TAKEN) shown as sentences.
import { useState } from "preact/hooks";
import { ApiError, call } from "../shared/api";
import { formatDay, useLang } from "../shared/i18n";
import type { CreatedConcert } from "../shared/types";
import { Panel, Problem } from "../shared/ui";
import { adminText } from "./text";

export function CreateConcert(props: { adminKey: string; onCreated: (dates: string[]) => void }) {
  const lang = useLang();
  const t = adminText[lang];
  const [title, setTitle] = useState("");
  const [price, setPrice] = useState("120000");
  const [date, setDate] = useState("");
  const [dates, setDates] = useState<string[]>([]);
  const [notice, setNotice] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const addDate = () => {
    if (date && !dates.includes(date)) setDates([...dates, date].sort());
    setDate("");
  };

  const create = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setNotice("");
    setError(null);
    try {
      const answer = await call<CreatedConcert>("POST", "/api/v1/admin/concerts", {
        adminKey: props.adminKey,
        body: { title, price: Number(price), dates },
      });
      setNotice(t.created(answer.concertId, answer.dates.length));
      props.onCreated(answer.dates);
      setDates([]);
      setTitle("");
    } catch (failure) {
      setError(failure);
    }
    setBusy(false);
  };

  return (
    <Panel id="create-concert" title={t.concertTitle}>
      <form onSubmit={create}>
        <div class="inline-form">
          <label for="concert-title">{t.titleLabel}</label>
          <input id="concert-title" required value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
        </div>
        <div class="inline-form">
          <label for="concert-price">{t.priceLabel}</label>
          <input id="concert-price" type="number" min={0} step={1000} required value={price} onInput={(e) => setPrice(e.currentTarget.value)} />
        </div>
        <div class="inline-form">
          <label for="concert-date">{t.dateLabel}</label>
          <input id="concert-date" type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />
          <button type="button" onClick={addDate} disabled={date === ""}>{t.addDate}</button>
        </div>
        <h3>{t.datesChosen}</h3>
        {dates.length === 0 ? <p class="hint">{t.noDatesChosen}</p> : (
          <ul class="date-chips" data-testid="chosen-dates">
            {dates.map((d) => (
              <li key={d}>
                <button type="button" onClick={() => setDates(dates.filter((x) => x !== d))}>
                  <span class="visually-hidden">{t.removeDate} </span>
                  {formatDay(d, lang)} <span aria-hidden="true">×</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <button type="submit" class="primary" disabled={busy || dates.length === 0 || title === ""}>{t.create}</button>
      </form>
      <div aria-live="polite">{notice ? <p class="notice">{notice}</p> : null}</div>
      <Problem error={error} />
      {error instanceof ApiError && error.code === "DATE_TAKEN" ? <p class="hint">{error.detail}</p> : null}
    </Panel>
  );
}
