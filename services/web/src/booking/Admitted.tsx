// Admitted: the token's time left, the dates, a date's seat map, the hold, points and tickets.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, call } from "../shared/api";
import { secondsUntil, useNow } from "../shared/hooks";
import { formatClock, formatDay, useLang } from "../shared/i18n";
import type { DateSummary, Payment, Reservation, SeatMap as SeatMapData } from "../shared/types";
import { Panel, Problem } from "../shared/ui";
import { Dates } from "./Dates";
import { Hold } from "./Hold";
import { Payments } from "./Payments";
import { Points } from "./Points";
import { SeatMap } from "./SeatMap";
import { bookingText } from "./text";
import type { EndReason } from "./tokenPoll";

export function Admitted(props: {
  token: string;
  userId: string;
  expiresAt: string | null;
  onEnded: (reason: EndReason, payment?: Payment) => void;
}) {
  const lang = useLang();
  const t = bookingText[lang];
  const now = useNow();
  const heading = useRef<HTMLHeadingElement>(null);
  const [dates, setDates] = useState<DateSummary[] | null>(null);
  const [date, setDate] = useState<string | null>(null);
  const [seats, setSeats] = useState<SeatMapData | null>(null);
  const [hold, setHold] = useState<Reservation | null>(null);
  const [notice, setNotice] = useState("");
  const [error, setError] = useState<unknown>(null);
  const left = props.expiresAt ? secondsUntil(props.expiresAt, now) : null;

  // A Q call failing with 401 means the token has ended: back to the line.
  const q = async <T,>(method: string, path: string, body?: unknown): Promise<T> => {
    try {
      return await call<T>(method, path, { token: props.token, body });
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) props.onEnded("expired");
      throw failure;
    }
  };

  const loadDates = () =>
    q<{ dates: DateSummary[] }>("GET", "/api/v1/concerts/dates").then(
      (answer) => setDates(answer.dates),
      setError,
    );
  const loadSeats = (day: string) =>
    q<SeatMapData>("GET", `/api/v1/concerts/dates/${day}/seats`).then(setSeats, setError);

  useEffect(() => {
    heading.current?.focus();
    void loadDates();
  }, []);
  useEffect(() => {
    if (left === 0) props.onEnded("expired");
  }, [left === 0]);
  // Other visitors' holds and sales show up while the map is open.
  useEffect(() => {
    if (!date) return;
    void loadSeats(date);
    const timer = setInterval(() => void loadSeats(date), 5000);
    return () => clearInterval(timer);
  }, [date]);

  const pick = async (seatNo: number) => {
    if (!date) return;
    setError(null);
    setNotice("");
    try {
      setHold(await q<Reservation>("POST", "/api/v1/reservations", { date, seatNo }));
    } catch (failure) {
      setError(failure);
    }
    void loadSeats(date);
  };

  const holdGone = (message: string) => {
    setHold(null);
    setNotice(message);
    if (date) void loadSeats(date);
  };

  return (
    <>
      <section class="panel admitted" aria-labelledby="admitted-title">
        <h2 id="admitted-title" tabIndex={-1} ref={heading}>
          {t.admittedTitle}
        </h2>
        {left !== null ? (
          <p>
            {t.timeLeft}{" "}
            <span class="big" role="timer" data-testid="token-left">
              {formatClock(left)}
            </span>
          </p>
        ) : null}
      </section>
      <Dates dates={dates} selected={date} onSelect={setDate} />
      {seats && date === seats.date ? (
        <Panel id="seats" title={t.seatsTitle(seats.title, formatDay(seats.date, lang))}>
          <SeatMap map={seats} heldSeatNo={hold?.date === date ? hold.seatNo : null} locked={hold !== null} onPick={pick} />
          {hold ? <p class="hint">{t.holdFirst}</p> : null}
        </Panel>
      ) : null}
      <div aria-live="polite">{notice ? <p class="notice">{notice}</p> : null}</div>
      <Problem error={error} />
      {hold ? (
        <Hold
          hold={hold}
          token={props.token}
          onGone={holdGone}
          onPaid={(payment) => props.onEnded("paid", payment)}
          onTokenEnded={() => props.onEnded("expired")}
        />
      ) : null}
      <Points userId={props.userId} />
      <Payments userId={props.userId} />
    </>
  );
}
