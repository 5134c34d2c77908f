// Seats available / held / sold per date, counted from the public seat map. The seat map is
// queue-gated, so the console holds a queue token of its own (sessionStorage).
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, call } from "../shared/api";
import { formatDay, useLang } from "../shared/i18n";
import type { DateSummary, SeatMap, TokenState } from "../shared/types";
import { Panel, Problem } from "../shared/ui";
import { adminText } from "./text";

const TOKEN_KEY = "ticketing.consoleToken";

interface DateCounts {
  date: string;
  title: string;
  available: number;
  held: number;
  sold: number;
}

async function consoleToken(): Promise<TokenState> {
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) {
    try {
      return await call<TokenState>("GET", "/api/v1/queue/tokens/me", { token: saved });
    } catch (failure) {
      if (!(failure instanceof ApiError && failure.status === 401)) throw failure;
    }
  }
  const issued = await call<TokenState>("POST", "/api/v1/queue/tokens", { body: {} });
  sessionStorage.setItem(TOKEN_KEY, issued.token);
  return issued;
}

function count(map: SeatMap): DateCounts {
  const of = (status: string) => map.seats.filter((s) => s.status === status).length;
  return { date: map.date, title: map.title, available: of("AVAILABLE"), held: of("HELD"), sold: of("SOLD") };
}

export function DateSeats({ extraDates }: { extraDates: string[] }) {
  const lang = useLang();
  const t = adminText[lang];
  const [rows, setRows] = useState<DateCounts[] | null>(null);
  const [waitingAt, setWaitingAt] = useState<number | null | undefined>(undefined);
  const [lookUp, setLookUp] = useState("");
  const [looked, setLooked] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);

  const load = async (also: string[] = looked) => {
    clearTimeout(timer.current);
    setError(null);
    try {
      const state = await consoleToken();
      if (state.status === "WAITING") {
        setWaitingAt(state.position);
        timer.current = setTimeout(() => void load(also), 3000);
        return;
      }
      setWaitingAt(undefined);
      const token = state.token;
      const listed = await call<{ dates: DateSummary[] }>("GET", "/api/v1/concerts/dates", { token });
      const all = [...new Set([...listed.dates.map((d) => d.date), ...extraDates, ...also])].sort();
      const maps = await Promise.all(
        all.map((day) => call<SeatMap>("GET", `/api/v1/concerts/dates/${day}/seats`, { token }).then(count, () => null)),
      );
      setRows(maps.filter((m): m is DateCounts => m !== null));
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <Panel id="date-seats" title={t.seatsTitle}>
      <p class="hint">{t.seatsIntro}</p>
      <button type="button" class="primary" onClick={() => load()}>{t.loadSeats}</button>
      {waitingAt !== undefined ? <p class="notice">{t.consoleWaiting(waitingAt)}</p> : null}
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const next = [...looked, lookUp];
          setLooked(next);
          void load(next);
        }}
      >
        <label for="look-up-date">{t.lookUpDate}</label>
        <input id="look-up-date" type="date" value={lookUp} onInput={(e) => setLookUp(e.currentTarget.value)} />
        <button type="submit" disabled={lookUp === ""}>{t.lookUp}</button>
      </form>
      <Problem error={error} />
      {rows ? (
        <table data-testid="date-seats">
          <thead>
            <tr><th scope="col">{t.date}</th><th scope="col">{t.concert}</th><th scope="col">{t.available}</th><th scope="col">{t.held}</th><th scope="col">{t.sold}</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.date} data-date={r.date}>
                <th scope="row">{formatDay(r.date, lang)}</th>
                <td>{r.title}</td>
                <td>{r.available}</td>
                <td>{r.held}</td>
                <td>{r.sold}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Panel>
  );
}
