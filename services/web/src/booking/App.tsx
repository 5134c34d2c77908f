// The visitors' page: join the line, wait, book, pay. Which screen shows follows from the
// visitor kept in localStorage and the token's state.
import { useEffect, useState } from "preact/hooks";
import { call } from "../shared/api";
import { type Lang, LangContext, initialLang, rememberLang } from "../shared/i18n";
import type { Payment, TokenState } from "../shared/types";
import { LanguageSwitch } from "../shared/ui";
import { Ended } from "./Ended";
import { InLine } from "./InLine";
import { Join } from "./Join";
import { bookingText } from "./text";
import type { EndReason } from "./tokenPoll";
import { loadVisitor, saveVisitor, type Visitor } from "./visitor";

export interface Ending {
  reason: EndReason;
  payment?: Payment;
}

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [visitor, setVisitor] = useState<Visitor>(loadVisitor);
  const [issued, setIssued] = useState<TokenState | null>(null);
  const [ending, setEnding] = useState<Ending | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const t = bookingText[lang];

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t.pageTitle;
  }, [lang]);

  const keep = (next: Visitor) => {
    saveVisitor(next);
    setVisitor(next);
  };

  // Throws the API's error: the caller shows it.
  const join = async (userId: string | null) => {
    const state = await call<TokenState>("POST", "/api/v1/queue/tokens", {
      body: userId ? { userId } : {},
    });
    keep({ userId: state.userId, token: state.token, startPosition: state.position });
    setIssued(state);
    setEnding(null);
  };

  const end = (reason: EndReason, payment?: Payment) => {
    keep({ ...loadVisitor(), token: null, startPosition: null });
    setIssued(null);
    setEnding({ reason, payment });
  };

  const remember = (startPosition: number) => keep({ ...visitor, startPosition });

  return (
    <LangContext.Provider value={lang}>
      <header class="top">
        <div>
          <h1>{t.pageTitle}</h1>
          <p class="tagline">{t.tagline}</p>
        </div>
        <LanguageSwitch
          onChange={(next) => {
            rememberLang(next);
            setLang(next);
          }}
        />
      </header>
      <main>
        {visitor.token && visitor.userId ? (
          <InLine
            key={visitor.token}
            token={visitor.token}
            userId={visitor.userId}
            initial={issued}
            startPosition={visitor.startPosition}
            onStartPosition={remember}
            onEnded={end}
            announce={setAnnouncement}
          />
        ) : ending && visitor.userId ? (
          <Ended ending={ending} userId={visitor.userId} onJoin={join} />
        ) : (
          <Join knownUserId={visitor.userId} onJoin={join} />
        )}
      </main>
      <div class="visually-hidden" aria-live="assertive" aria-atomic="true" data-testid="announcer">
        {announcement}
      </div>
    </LangContext.Provider>
  );
}
