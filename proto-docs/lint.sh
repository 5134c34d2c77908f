#!/usr/bin/env bash
# Lints every OpenAPI document in proto-docs/ (the `apis` in redocly.yaml) with the pinned
# Redocly CLI and the local ruleset. Exits non-zero on any problem (recommended-strict: warnings
# are errors). Network: only the npm registry, and only when the pinned tools are not installed.
set -euo pipefail
cd "$(dirname "$0")"

export REDOCLY_TELEMETRY=off
export REDOCLY_SUPPRESS_UPDATE_NOTICE=true
export NO_UPDATE_NOTIFIER=1

./install-tools.sh

# No name given: every api of redocly.yaml. The config file is linted too (--lint-config error).
node_modules/.bin/redocly lint --lint-config=error --format=codeframe "$@"
