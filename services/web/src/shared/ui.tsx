// Small pieces both pages use.
import type { ComponentChildren } from "preact";
import { describeProblem } from "./problems";
import { type Lang, useLang } from "./i18n";

export function LanguageSwitch({ onChange }: { onChange: (lang: Lang) => void }) {
  const lang = useLang();
  const other: Lang = lang === "ko" ? "en" : "ko";
  return (
    <button type="button" class="link-button" lang={other} onClick={() => onChange(other)}>
      {other === "ko" ? "한국어" : "English"}
    </button>
  );
}

// A failure in words; role="alert" so screen readers hear it at once.
export function Problem({ error }: { error: unknown }) {
  const lang = useLang();
  if (!error) return null;
  return (
    <p class="problem" role="alert">
      {describeProblem(error, lang)}
    </p>
  );
}

export function Panel(props: { title: string; id: string; children: ComponentChildren }) {
  const headingId = `${props.id}-title`;
  return (
    <section class="panel" id={props.id} aria-labelledby={headingId}>
      <h2 id={headingId}>{props.title}</h2>
      {props.children}
    </section>
  );
}
