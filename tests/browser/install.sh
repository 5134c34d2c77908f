#!/usr/bin/env bash
# What the browser tests need, installed only when missing: Debian's chromium (and a Korean
# font for the screenshots), the pinned npm
# packages of tests/browser/package-lock.json (playwright-core, @axe-core/playwright,
# lighthouse) and the built pages (services/web/build.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

if ! command -v "${CHROMIUM:-/usr/bin/chromium}" >/dev/null 2>&1; then
  echo "== apt-get install chromium" >&2
  apt-get install -y --no-install-recommends chromium >/dev/null ||
    { apt-get update -qq && apt-get install -y --no-install-recommends chromium >/dev/null; }
fi

# Korean glyphs for the screenshots (Chromium draws boxes without a Korean font).
if ! fc-list :lang=ko 2>/dev/null | grep -q .; then
  echo "== apt-get install fonts-nanum" >&2
  apt-get install -y --no-install-recommends fonts-nanum >/dev/null || true
fi

cd "$here"
installed=node_modules/.installed-from-lock
if [[ ! -f $installed ]] || ! cmp -s package-lock.json "$installed"; then
  echo "== npm ci (tests/browser: playwright-core, axe-core, lighthouse)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  cp package-lock.json "$installed"
fi

"$root/services/web/build.sh"
