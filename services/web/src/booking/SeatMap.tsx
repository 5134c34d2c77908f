// The 50 seats of a date: status by colour and by word, price in the accessible name, one tab
// stop for the whole map and the arrow keys inside it (a roving tabindex).
import { useRef, useState } from "preact/hooks";
import { formatDay, formatKrw, useLang } from "../shared/i18n";
import type { SeatMap as SeatMapData } from "../shared/types";
import { bookingText } from "./text";

// Must match the grid's columns in styles.css (10, or 5 on narrow screens).
const columns = (): number => (window.matchMedia("(max-width: 30rem)").matches ? 5 : 10);

export function SeatMap(props: {
  map: SeatMapData;
  heldSeatNo: number | null;
  locked: boolean;
  onPick: (seatNo: number) => void;
}) {
  const lang = useLang();
  const t = bookingText[lang];
  const [focus, setFocus] = useState(0);
  const grid = useRef<HTMLDivElement>(null);
  const seats = props.map.seats;

  const move = (event: KeyboardEvent) => {
    const steps: Record<string, number> = {
      ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns(), ArrowUp: -columns(),
    };
    let next = focus;
    if (event.key in steps) next = focus + steps[event.key];
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = seats.length - 1;
    else return;
    event.preventDefault();
    next = Math.min(seats.length - 1, Math.max(0, next));
    setFocus(next);
    grid.current?.querySelectorAll<HTMLButtonElement>("button")[next]?.focus();
  };

  return (
    <>
      <p class="stage" aria-hidden="true">{t.stage}</p>
      <div class="seat-grid" role="group" aria-label={t.seatMapLabel(formatDay(props.map.date, lang))} ref={grid} onKeyDown={move}>
        {seats.map((seat, index) => {
          const mine = seat.seatNo === props.heldSeatNo;
          const word = mine ? t.yours : t.status[seat.status];
          const pickable = seat.status === "AVAILABLE" && !props.locked;
          return (
            <button
              key={seat.seatNo}
              type="button"
              class={`seat seat-${mine ? "mine" : seat.status.toLowerCase()}`}
              data-seat={seat.seatNo}
              data-status={seat.status}
              tabIndex={index === focus ? 0 : -1}
              aria-disabled={!pickable}
              onFocus={() => setFocus(index)}
              onClick={() => pickable && props.onPick(seat.seatNo)}
            >
              <span class="visually-hidden">{lang === "ko" ? "" : "Seat "}</span>
              <span class="seat-no">{seat.seatNo}</span>
              <span class="visually-hidden">{lang === "ko" ? "번 좌석" : ""}, </span>
              <span class="seat-status">{word}</span>
              <span class="visually-hidden">, {formatKrw(seat.price, lang)}</span>
            </button>
          );
        })}
      </div>
      <ul class="legend" aria-hidden="true">
        <li><span class="swatch seat-available" />{t.status.AVAILABLE}</li>
        <li><span class="swatch seat-held" />{t.status.HELD}</li>
        <li><span class="swatch seat-sold" />{t.status.SOLD}</li>
        <li><span class="swatch seat-mine" />{t.yours}</li>
      </ul>
    </>
  );
}
