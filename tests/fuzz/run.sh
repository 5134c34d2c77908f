#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 in build/fuzz (once, under a lock: ctest runs several
# of these at a time), replays a target's regressions and seed corpus, then fuzzes it.
#   tests/fuzz/run.sh TARGET [SECONDS]   SECONDS defaults to $FUZZ_SECONDS, else 20
# A crash fails the run; its input is copied to regressions/TARGET/ to be committed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${1:?usage: tests/fuzz/run.sh TARGET [SECONDS]}
seconds=${2:-${FUZZ_SECONDS:-20}}
build="$root/build/fuzz"
binary="$build/tests/fuzz/fuzz_$target"
corpus="$here/corpus/$target"
regressions="$here/regressions/$target"

[ -f "$here/$target.cpp" ] || { echo "fuzz: no target '$target' (no $target.cpp)" >&2; exit 2; }

mkdir -p "$build"
(
  flock 9
  if [ ! -f "$build/build.ninja" ]; then
    # -O1 -g as libFuzzer advises; no NDEBUG, so Result's asserts stay on.
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
      -DTICKETING_SANITIZE=ON -DTICKETING_FUZZ=ON >/dev/null
  fi
  cmake --build "$build" --target fuzz_targets >"$build/build.log" 2>&1 ||
    { cat "$build/build.log" >&2; echo "fuzz: build failed" >&2; exit 1; }
) 9>"$build/.lock"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
# Any report halts, except the third-party ones listed (with why) in ubsan.supp.
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}:halt_on_error=1:suppressions=$here/ubsan.supp"

work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-$target.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Every input that once crashed, then every seed: each must pass before any new fuzzing.
mapfile -t known < <(find "$regressions" "$corpus" -type f ! -name '.*' 2>/dev/null | sort)
if [ ${#known[@]} -gt 0 ] && ! "$binary" -timeout=5 -rss_limit_mb=2048 "${known[@]}" >"$work/replay.log" 2>&1; then
  tail -n 60 "$work/replay.log" >&2
  echo "fuzz $target: a regression or seed input fails again (see above)" >&2
  exit 1
fi

case "$target" in
  http_session) max_len=12288 ;;  # past the 8 KiB header limit
  *) max_len=4096 ;;
esac

mkdir -p "$work/corpus" "$work/artifacts"
[ -d "$corpus" ] && cp "$corpus"/* "$work/corpus/" 2>/dev/null || true
status=0
"$binary" -max_total_time="$seconds" -max_len="$max_len" -timeout=5 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" >"$work/fuzz.log" 2>&1 ||
  status=$?

if [ "$status" -ne 0 ]; then
  tail -n 60 "$work/fuzz.log" >&2
  mkdir -p "$regressions"
  for found in "$work"/artifacts/*; do
    [ -f "$found" ] || continue
    cp "$found" "$regressions/"
    echo "fuzz $target: kept tests/fuzz/regressions/$target/$(basename "$found")" >&2
  done
  echo "fuzz $target: FAILED (exit $status). Fix the bug, then commit the input above as a" \
    "regression test: git add tests/fuzz/regressions/$target/" >&2
  exit 1
fi

# One summary line: executions, speed, coverage (cov: edges, ft: features), corpus size.
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log")
speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/fuzz.log")
last=$(grep -E '^#[0-9]+' "$work/fuzz.log" | tail -n 1)
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
echo "fuzz $target: ${runs:-?} execs in ${seconds}s (${speed:-?}/s) cov ${cov:-?} ft ${ft:-?}" \
  "corpus ${corp:-?} (${#known[@]} replayed)"
