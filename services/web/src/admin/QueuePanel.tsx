// The live queue: capacity, paused, active, waiting (refreshed every 2 s), with pause/resume,
// capacity and, when the API has it, the sale's opening time.
import { useEffect, useState } from "preact/hooks";
import { ApiError, call } from "../shared/api";
import { formatMoment, useLang } from "../shared/i18n";
import type { QueueSettings } from "../shared/types";
import { Panel, Problem } from "../shared/ui";
import { adminText } from "./text";

export function QueuePanel(props: { adminKey: string; onKeyRejected: () => void }) {
  const lang = useLang();
  const t = adminText[lang];
  const [queue, setQueue] = useState<QueueSettings | null>(null);
  const [updatedAt, setUpdatedAt] = useState<string>("");
  const [capacity, setCapacity] = useState("");
  const [opensAt, setOpensAt] = useState("");
  const [notice, setNotice] = useState("");
  const [error, setError] = useState<unknown>(null);

  const rejected = (failure: unknown) => failure instanceof ApiError && failure.code === "ADMIN_KEY_INVALID";
  const load = async () => {
    try {
      const next = await call<QueueSettings>("GET", "/api/v1/admin/queue", { adminKey: props.adminKey });
      setQueue(next);
      setUpdatedAt(new Date().toISOString());
      setError(null);
    } catch (failure) {
      if (rejected(failure)) props.onKeyRejected();
      else setError(failure);
    }
  };
  useEffect(() => {
    void load();
    const timer = setInterval(load, 2000);
    return () => clearInterval(timer);
  }, [props.adminKey]);

  const change = async (body: Partial<Pick<QueueSettings, "capacity" | "paused" | "opensAt">>) => {
    setNotice("");
    setError(null);
    try {
      setQueue(await call<QueueSettings>("PUT", "/api/v1/admin/queue", { adminKey: props.adminKey, body }));
      setNotice(t.saved);
    } catch (failure) {
      if (rejected(failure)) props.onKeyRejected();
      else setError(failure);
    }
  };

  const yesNo = (value: boolean) => (value ? t.yes : t.no);
  return (
    <Panel id="queue" title={t.queueTitle}>
      {queue ? (
        <>
          <dl class="status-grid" data-testid="queue-status">
            <div><dt>{t.capacity}</dt><dd data-testid="capacity">{queue.capacity}</dd></div>
            <div><dt>{t.paused}</dt><dd data-testid="paused">{yesNo(queue.paused)}</dd></div>
            <div><dt>{t.active}</dt><dd data-testid="active">{queue.active}</dd></div>
            <div><dt>{t.waiting}</dt><dd data-testid="waiting">{queue.waiting}</dd></div>
            {"opensAt" in queue ? (
              <div><dt>{t.opensAt}</dt><dd>{queue.opensAt ? formatMoment(queue.opensAt, lang) : t.openNow}</dd></div>
            ) : null}
            {"soldOut" in queue ? (
              <div><dt>{t.soldOut}</dt><dd>{yesNo(Boolean(queue.soldOut))}</dd></div>
            ) : null}
          </dl>
          <p class="hint">{t.updated(formatMoment(updatedAt, lang))}</p>
          <div class="actions">
            <button type="button" class="primary" onClick={() => change({ paused: !queue.paused })}>
              {queue.paused ? t.resume : t.pause}
            </button>
          </div>
          <form class="inline-form" onSubmit={(e) => { e.preventDefault(); void change({ capacity: Number(capacity) }); }}>
            <label for="capacity">{t.newCapacity}</label>
            <input id="capacity" type="number" min={0} step={1} value={capacity} onInput={(e) => setCapacity(e.currentTarget.value)} />
            <button type="submit" disabled={capacity === ""}>{t.setCapacity}</button>
          </form>
          {"opensAt" in queue ? (
            <form class="inline-form" onSubmit={(e) => { e.preventDefault(); void change({ opensAt: new Date(opensAt).toISOString().replace(/\.\d{3}Z$/, "Z") }); }}>
              <label for="opens-at">{t.newOpensAt}</label>
              <input id="opens-at" type="datetime-local" value={opensAt} onInput={(e) => setOpensAt(e.currentTarget.value)} />
              <button type="submit" disabled={opensAt === ""}>{t.setOpensAt}</button>
              <button type="button" onClick={() => change({ opensAt: null })}>{t.clearOpensAt}</button>
            </form>
          ) : null}
        </>
      ) : null}
      <div aria-live="polite">{notice ? <p class="notice">{notice}</p> : null}</div>
      <Problem error={error} />
    </Panel>
  );
}
