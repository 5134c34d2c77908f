// The dates with free seats; choosing one opens its seat map.
import { formatDay, useLang } from "../shared/i18n";
import type { DateSummary } from "../shared/types";
import { Panel } from "../shared/ui";
import { bookingText } from "./text";

export function Dates(props: { dates: DateSummary[] | null; selected: string | null; onSelect: (date: string) => void }) {
  const lang = useLang();
  const t = bookingText[lang];
  return (
    <Panel id="dates" title={t.datesTitle}>
      {props.dates === null ? (
        <p aria-busy="true">{t.loading}</p>
      ) : props.dates.length === 0 ? (
        <p>{t.noDates}</p>
      ) : (
        <ul class="date-list">
          {props.dates.map((d) => (
            <li key={d.date}>
              <button
                type="button"
                class="date-button"
                aria-pressed={props.selected === d.date}
                data-date={d.date}
                onClick={() => props.onSelect(d.date)}
              >
                <span class="date-day">{formatDay(d.date, lang)}</span>
                <span>{d.title}</span>
                <span class="hint">{t.seatsLeft(d.availableSeats)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
