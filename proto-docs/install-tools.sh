#!/usr/bin/env bash
# Installs the pinned Node tools of proto-docs/package-lock.json (Redocly CLI, Pact CLI, Prism)
# into proto-docs/node_modules with `npm ci`, unless they are already installed from this very
# lock file. The only network access: the npm registry. Telemetry of every tool is off.
set -euo pipefail
cd "$(dirname "$0")"

stamp=node_modules/.installed-from-lock
if [[ -f $stamp ]] && cmp -s package-lock.json "$stamp"; then
  exit 0
fi
echo "== npm ci (proto-docs: Redocly, Pact, Prism)" >&2
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
