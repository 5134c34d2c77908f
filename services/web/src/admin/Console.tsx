// The operators' console: the admin key (sessionStorage only, never localStorage), the live
// queue, concert creation and seats per date.
import { useEffect, useState } from "preact/hooks";
import { call } from "../shared/api";
import { type Lang, LangContext, initialLang, rememberLang, useLang } from "../shared/i18n";
import type { QueueSettings } from "../shared/types";
import { LanguageSwitch, Panel, Problem } from "../shared/ui";
import { CreateConcert } from "./CreateConcert";
import { DateSeats } from "./DateSeats";
import { QueuePanel } from "./QueuePanel";
import { adminText } from "./text";

const KEY = "ticketing.adminKey";

export function Console() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [adminKey, setAdminKey] = useState<string | null>(() => sessionStorage.getItem(KEY));
  const [createdDates, setCreatedDates] = useState<string[]>([]);
  const t = adminText[lang];

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t.pageTitle;
  }, [lang]);

  const signOut = () => {
    sessionStorage.removeItem(KEY);
    setAdminKey(null);
  };

  return (
    <LangContext.Provider value={lang}>
      <header class="top">
        <h1>{t.pageTitle}</h1>
        <div class="actions">
          {adminKey ? (
            <button type="button" class="link-button" onClick={signOut}>
              {t.signOut}
            </button>
          ) : null}
          <LanguageSwitch
            onChange={(next) => {
              rememberLang(next);
              setLang(next);
            }}
          />
        </div>
      </header>
      <main>
        {adminKey ? (
          <>
            <QueuePanel adminKey={adminKey} onKeyRejected={signOut} />
            <CreateConcert adminKey={adminKey} onCreated={(dates) => setCreatedDates((d) => [...d, ...dates])} />
            <DateSeats extraDates={createdDates} />
          </>
        ) : (
          <KeyForm
            onKey={(key) => {
              sessionStorage.setItem(KEY, key);
              setAdminKey(key);
            }}
          />
        )}
      </main>
    </LangContext.Provider>
  );
}

function KeyForm({ onKey }: { onKey: (key: string) => void }) {
  const t = adminText[useLang()];
  const [key, setKey] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // The key is checked before it is kept.
      await call<QueueSettings>("GET", "/api/v1/admin/queue", { adminKey: key });
      onKey(key);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <Panel id="sign-in" title={t.keyTitle}>
      <p>{t.keyIntro}</p>
      <form class="inline-form" onSubmit={submit}>
        <label for="admin-key">{t.keyLabel}</label>
        <input id="admin-key" type="password" autocomplete="off" value={key} onInput={(e) => setKey(e.currentTarget.value)} />
        <button type="submit" class="primary" disabled={busy || key === ""}>
          {t.signIn}
        </button>
      </form>
      <Problem error={error} />
    </Panel>
  );
}
