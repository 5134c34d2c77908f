// The first screen: join the line as a new visitor, or come back with a user id.
import { useState } from "preact/hooks";
import { useLang } from "../shared/i18n";
import { Panel, Problem } from "../shared/ui";
import { bookingText } from "./text";

export function Join(props: { knownUserId: string | null; onJoin: (userId: string | null) => Promise<void> }) {
  const t = bookingText[useLang()];
  const [userId, setUserId] = useState(props.knownUserId ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const join = async (id: string | null) => {
    setBusy(true);
    setError(null);
    try {
      await props.onJoin(id);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <Panel id="join" title={t.joinTitle}>
      <p>{t.joinIntro}</p>
      <button type="button" class="primary" disabled={busy} onClick={() => join(props.knownUserId)}>
        {t.joinButton}
      </button>
      <details open={props.knownUserId !== null}>
        <summary>{t.returningSummary}</summary>
        <form
          class="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void join(userId.trim());
          }}
        >
          <label for="user-id">{t.userIdLabel}</label>
          <input
            id="user-id"
            value={userId}
            autocomplete="off"
            spellcheck={false}
            onInput={(event) => setUserId(event.currentTarget.value)}
          />
          <button type="submit" disabled={busy || userId.trim() === ""}>
            {t.joinAsUser}
          </button>
        </form>
      </details>
      <Problem error={error} />
    </Panel>
  );
}
