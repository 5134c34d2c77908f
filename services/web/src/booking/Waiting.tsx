// Waiting in line: the exact place, an honest estimate, the way to the front; before the sale
// opens, a countdown to the opening; sold out when nothing can come back.
import { formatClock, formatMoment, formatWait, useLang } from "../shared/i18n";
import { secondsUntil, useNow } from "../shared/hooks";
import type { TokenState } from "../shared/types";
import { Panel, Problem } from "../shared/ui";
import { OpeningProof } from "./Opening";
import { bookingText } from "./text";

export function Waiting(props: { state: TokenState; startPosition: number | null; error: unknown }) {
  const lang = useLang();
  const t = bookingText[lang];
  const { state } = props;

  if (state.soldOut) {
    return (
      <Panel id="sold-out" title={t.soldOutTitle}>
        <p class="notice">{t.soldOut}</p>
        <Problem error={props.error} />
      </Panel>
    );
  }
  if (state.position === null) return <BeforeOpening state={state} error={props.error} />;

  const start = Math.max(props.startPosition ?? state.position, state.position);
  const travelled = start - state.position;
  return (
    <Panel id="waiting" title={t.waitingTitle}>
      <dl class="figures">
        <div>
          <dt>{t.yourPlace}</dt>
          <dd class="big" data-testid="position">
            {state.position.toLocaleString(lang === "ko" ? "ko-KR" : "en-US")}
          </dd>
        </div>
        <div>
          <dt>{t.estimatedWait}</dt>
          <dd class="big" data-testid="estimate">
            {formatWait(state.estimatedWaitSeconds ?? 0, lang)}
          </dd>
        </div>
      </dl>
      <p>{t.peopleAhead(state.position - 1)}</p>
      {state.arrivalNumber ? (
        <>
          <p>{t.arrival(state.arrivalNumber)}</p>
          <OpeningProof />
        </>
      ) : null}
      <label for="progress">{t.progressLabel}</label>
      <progress id="progress" max={Math.max(start, 1)} value={travelled} />
      <p class="hint">{t.nextSteps}</p>
      <Problem error={props.error} />
    </Panel>
  );
}

function BeforeOpening({ state, error }: { state: TokenState; error: unknown }) {
  const lang = useLang();
  const t = bookingText[lang];
  const now = useNow();
  return (
    <Panel id="before-opening" title={t.beforeOpening}>
      {state.opensAt ? (
        <>
          <p>{t.opensAt(formatMoment(state.opensAt, lang))}</p>
          <p>
            {t.opensIn}{" "}
            <span class="big" role="timer" data-testid="opens-in">
              {formatClock(secondsUntil(state.opensAt, now))}
            </span>
          </p>
        </>
      ) : null}
      <p>{t.openingDraw}</p>
      {state.arrivalNumber ? <p>{t.arrival(state.arrivalNumber)}</p> : null}
      <OpeningProof />
      <p class="hint">{t.nextSteps}</p>
      <Problem error={error} />
    </Panel>
  );
}
