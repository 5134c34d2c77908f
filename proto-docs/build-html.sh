#!/usr/bin/env bash
# Renders every OpenAPI document in proto-docs/ to one self-contained HTML page each
# (Redocly `build-docs --inlineBundle`: the Redoc scripts are embedded, no CDN is needed to view
# them) under proto-docs/html/. Lints first: a document that fails its lint is not rendered.
set -euo pipefail
cd "$(dirname "$0")"

export REDOCLY_TELEMETRY=off
export REDOCLY_SUPPRESS_UPDATE_NOTICE=true
export NO_UPDATE_NOTIFIER=1

./lint.sh

out=html
rm -rf "$out"
mkdir -p "$out/internal"

render() {  # render <document> <output> <title>
  node_modules/.bin/redocly build-docs "$1" --inlineBundle --lint-config=error \
    --output "$2" --title "$3"
}

render public.openapi.yaml "$out/public.html" "Concert ticketing: public API"
for service in queue concert payment; do
  render "internal/$service.openapi.yaml" "$out/internal/$service.html" \
    "Concert ticketing: $service service (internal)"
done

cat > "$out/index.html" <<'HTML'
<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Concert ticketing API documents</title></head>
<body>
<h1>Concert ticketing API documents</h1>
<ul>
  <li><a href="public.html">Public API (through the gateway)</a></li>
  <li><a href="internal/queue.html">Queue service (as the service sees it, internal routes)</a></li>
  <li><a href="internal/concert.html">Concert service (as the service sees it, internal routes)</a></li>
  <li><a href="internal/payment.html">Payment service (as the service sees it)</a></li>
</ul>
</body>
</html>
HTML

echo "HTML written to $(pwd)/$out/"
