# shellcheck shell=bash
# The release build, with the project's CMake presets.

# bench_build_release REPO_ROOT TARGET...: configures build/release when it has never been
# configured (cmake --preset release), then builds the targets (cmake --build --preset release;
# nothing to do when they are up to date). Only the targets the run starts, not the tests, so a
# benchmark does not wait for a full build. The build log goes to the work directory.
bench_build_release() {
  local root=$1; shift
  local log="${BENCH_WORKDIR:-/tmp}/build.log"
  if [ ! -f "$root/build/release/build.ninja" ]; then
    bench_log "configuring the release build (cmake --preset release)"
    (cd "$root" && cmake --preset release) >"$log" 2>&1 || { tail -30 "$log" >&2; bench_die "cmake --preset release failed"; }
  fi
  bench_log "building $* (cmake --build --preset release)"
  (cd "$root" && cmake --build --preset release --target "$@") >>"$log" 2>&1 || {
    tail -30 "$log" >&2
    bench_die "release build of $* failed"
  }
}

# The three services' binaries: BENCH_*_BIN when given, else the release build's.
bench_pick_binaries() {
  local bin="$1/build/release/services"
  QUEUE_BIN="${BENCH_QUEUE_BIN:-$bin/queue/queue-service}"
  CONCERT_BIN="${BENCH_CONCERT_BIN:-$bin/concert/concert-service}"
  PAYMENT_BIN="${BENCH_PAYMENT_BIN:-$bin/payment/payment-service}"
}
