// The visitor's language (Korean or English) and the formats that follow from it.
import { createContext } from "preact";
import { useContext } from "preact/hooks";

export type Lang = "ko" | "en";

const LANG_KEY = "ticketing.lang";

export function initialLang(): Lang {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === "ko" || saved === "en") return saved;
  return navigator.language.toLowerCase().startsWith("ko") ? "ko" : "en";
}

export function rememberLang(lang: Lang): void {
  localStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang;
}

export const LangContext = createContext<Lang>("en");
export const useLang = (): Lang => useContext(LangContext);

const locale = (lang: Lang): string => (lang === "ko" ? "ko-KR" : "en-US");

// 120,000원 in Korean, ₩120,000 in English.
export function formatKrw(amount: number, lang: Lang): string {
  const digits = Math.abs(amount).toLocaleString("en-US");
  const sign = amount < 0 ? "-" : "";
  return lang === "ko" ? `${sign}${digits}원` : `${sign}₩${digits}`;
}

// A concert date (YYYY-MM-DD, a calendar day: no time zone shift).
export function formatDay(date: string, lang: Lang): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Intl.DateTimeFormat(locale(lang), {
    weekday: "short", year: "numeric", month: "long", day: "numeric", timeZone: "UTC",
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

// A moment (RFC 3339) in the visitor's own time zone.
export function formatMoment(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: "medium", timeStyle: "medium" })
    .format(new Date(iso));
}

// 0:42, 9:05, 1:02:03: a countdown's face.
export function formatClock(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

// An estimated wait in words: "about 3 min" / "약 3분".
export function formatWait(seconds: number, lang: Lang): string {
  if (seconds < 60) return lang === "ko" ? "1분 미만" : "under a minute";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return lang === "ko" ? `약 ${minutes}분` : `about ${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return lang === "ko" ? `약 ${h}시간 ${m}분` : `about ${h} h ${m} min`;
}
