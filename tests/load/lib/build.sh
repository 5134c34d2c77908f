# Builds release targets with the project's CMake preset when they are missing or stale.

# bench_build_release REPO_ROOT TARGET...: configures build/release if needed and runs ninja
# for the targets (ninja does nothing when they are up to date).
bench_build_release() {
  local root=$1; shift
  if [ ! -f "$root/build/release/build.ninja" ]; then
    bench_log "configuring release build"
    (cd "$root" && cmake --preset release >/dev/null) || bench_die "cmake --preset release failed"
  fi
  bench_log "building $* (release)"
  ninja -C "$root/build/release" "$@" >"${BENCH_WORKDIR:-/tmp}/build.log" 2>&1 || {
    tail -30 "${BENCH_WORKDIR:-/tmp}/build.log" >&2
    bench_die "release build of $* failed"
  }
}
