#!/usr/bin/env bash
# Fails when a service's domain/ or application/ includes a wire or storage header: the core may
# use the standard library, its own service's core and libs/core, nothing else.
#   check_layering.sh SOURCE_DIR
set -euo pipefail

root=${1:?usage: check_layering.sh SOURCE_DIR}
core_headers="$root/libs/core/include"
status=0

refuse() {
  echo "$1: $2" >&2
  status=1
}

for layer_dir in "$root"/services/*/domain "$root"/services/*/application; do
  [ -d "$layer_dir" ] || continue
  layer=$(basename "$layer_dir")
  while IFS= read -r hit; do
    file=${hit%%:*}
    rest=${hit#*:}
    line=${rest%%:*}
    header=$(sed -E 's/^[^#]*#[[:space:]]*include[[:space:]]*[<"]([^>"]+)[>"].*/\1/' <<<"${rest#*:}")
    where="${file#"$root"/}:$line"
    case "$header" in
      boost/* | pqxx/* | pqxx | *rapidjson*) refuse "$where" "$layer/ includes <$header>" ;;
      ticketing/*)
        [ -f "$core_headers/$header" ] || refuse "$where" "$layer/ includes $header, not libs/core" ;;
      adapters/*) refuse "$where" "$layer/ includes an adapter, $header" ;;
      application/*)
        [ "$layer" = domain ] && refuse "$where" "domain/ includes the application's $header" ;;
    esac
  done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include' --include='*.hpp' --include='*.cpp' \
             "$layer_dir" || true)
done

exit $status
