#!/usr/bin/env bash
# Builds the pages into services/web/dist (what the gateway serves as WEB_ROOT), only when
# something changed: `npm ci` when package-lock.json differs from the installed one, the type
# check and `vite build` when the sources differ from those of the last build.
#   services/web/build.sh          prints nothing when dist/ is current
#   FORCE=1 services/web/build.sh  rebuilds anyway
set -euo pipefail
cd "$(dirname "$0")"

installed=node_modules/.installed-from-lock
if [[ ! -f $installed ]] || ! cmp -s package-lock.json "$installed"; then
  echo "== npm ci (services/web: TypeScript, Vite, Preact)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  cp package-lock.json "$installed"
fi

sources=$(find index.html admin public src package.json package-lock.json tsconfig.json vite.config.ts \
  -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
stamp=dist/.sources-sha256
if [[ ${FORCE:-0} != 1 && -f $stamp && $(cat "$stamp") == "$sources" ]]; then
  exit 0
fi
echo "== web pages (services/web: tsc, vite build)" >&2
npm run --silent build >&2
echo "$sources" >"$stamp"
