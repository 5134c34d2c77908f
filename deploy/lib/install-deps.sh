#!/usr/bin/env bash
# Installs the Debian packages the project builds, tests and runs with, when any is missing.
set -euo pipefail

packages=(build-essential cmake ninja-build ccache pkg-config libboost1.81-dev libpqxx-dev
          rapidjson-dev catch2 postgresql postgresql-contrib nginx wrk curl python3 procps
          docker-compose python3-yaml jq)
# clang 14 and its libFuzzer and sanitizer runtimes build the fuzz targets (tests/fuzz/run.sh).
packages+=(clang-14 libfuzzer-14-dev libclang-rt-14-dev)
# The on-sale benchmark's visitors (tests/load/onsale.sh) run on uvloop, a cheaper event loop.
packages+=(python3-uvloop)
# Node.js and npm run the pinned API and contract tools (proto-docs/package.json); a machine
# that has them from elsewhere keeps its own.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
sudo_if_needed apt-get update -qq
DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null
