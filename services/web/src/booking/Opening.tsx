// The sale's opening, checkable by anyone (GET /api/v1/queue/opening): the seed's SHA-256
// before the opening, the seed itself after it. Shown only when the server has an opening.
import { useEffect, useState } from "preact/hooks";
import { call } from "../shared/api";
import { useLang } from "../shared/i18n";

interface Opening {
  opensAt: string | null;
  seedSha256: string;
  earlyCount: number | null;
  seed: string | null;
}

const words = {
  en: {
    summary: "How the draw can be checked",
    text: "Places of everyone who joined before the opening are drawn from a secret seed fixed in advance. Its fingerprint (SHA-256) is published now; the seed itself once the line opens, so anyone can recompute the order.",
    fingerprint: "Seed fingerprint (SHA-256)",
    seed: "Seed",
    early: "Joined before the opening",
  },
  ko: {
    summary: "추첨을 확인하는 방법",
    text: "오픈 전에 들어온 분들의 순번은 미리 정해진 비밀 시드로 추첨됩니다. 시드의 지문(SHA-256)은 지금 공개되고, 시드는 오픈 후 공개되어 누구나 순서를 다시 계산할 수 있습니다.",
    fingerprint: "시드 지문 (SHA-256)",
    seed: "시드",
    early: "오픈 전 입장 인원",
  },
};

export function OpeningProof() {
  const t = words[useLang()];
  const [opening, setOpening] = useState<Opening | null>(null);
  useEffect(() => {
    call<Opening>("GET", "/api/v1/queue/opening").then(setOpening, () => setOpening(null));
  }, []);
  if (!opening) return null;
  return (
    <details>
      <summary>{t.summary}</summary>
      <p class="hint">{t.text}</p>
      <dl class="receipt">
        <dt>{t.fingerprint}</dt>
        <dd><code>{opening.seedSha256}</code></dd>
        {opening.earlyCount !== null ? (<><dt>{t.early}</dt><dd>{opening.earlyCount}</dd></>) : null}
        {opening.seed ? (<><dt>{t.seed}</dt><dd><code>{opening.seed}</code></dd></>) : null}
      </dl>
    </details>
  );
}
