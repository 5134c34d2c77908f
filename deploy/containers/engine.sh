# Sourced by deploy/containers/test.sh: the container engine of this machine, made ready.
#   engine_install          Debian's podman, runc, mmdebstrap, docker-compose (and what podman's
#                           networks need) when missing
#   engine_configure        /etc/containers/containers.conf: the settings this machine needs,
#                           added only where missing
#   engine_start_api DIR    `podman system service` on DIR/podman.sock; exports DOCKER_HOST
#   engine_start_health_timer PROJECT
#                           runs the health checks of PROJECT's containers every few seconds
#   engine_stop             stops what engine_start_* started
# Root, or sudo for root: podman here runs rootful (its networks, published ports and
# containers.conf are the system's).

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

engine_install() {
  # iptables: netavark sets up the bridge networks with it; aardvark-dns: the network DNS that
  # lets containers find each other by service name.
  local wanted=(podman runc mmdebstrap docker-compose netavark aardvark-dns iptables
                slirp4netns fuse-overlayfs uidmap) missing=() package
  for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$package")
  done
  ((${#missing[@]} == 0)) && return
  echo "installing: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# conf_ensure FILE SECTION KEY LINE: LINE under [SECTION] of FILE unless KEY is set there already.
conf_ensure() {
  local file=$1 section=$2 key=$3 line=$4
  if as_root awk -v s="[$section]" -v k="$key" '
      /^\[/ { inside = ($0 == s) }
      inside && $1 == k { found = 1 }
      END { exit !found }' "$file"; then
    return
  fi
  echo "containers.conf: [$section] $line"
  if grep -qxF "[$section]" "$file"; then
    as_root sed -i "/^\[$section\]\$/a $line" "$file"
  else
    printf '\n[%s]\n%s\n' "$section" "$line" | as_root tee -a "$file" >/dev/null
  fi
}

engine_configure() {
  local file=/etc/containers/containers.conf
  as_root mkdir -p /etc/containers
  [ -f "$file" ] || as_root touch "$file"
  # Raising RLIMIT_NOFILE or RLIMIT_NPROC inside a container is refused on this kind of machine:
  # the containers get fixed limits instead.
  conf_ensure "$file" containers default_ulimits \
    'default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]'
  # crun refuses a kernel that mixes cgroup v1 and v2; runc runs.
  conf_ensure "$file" engine runtime 'runtime = "runc"'
}

engine_start_api() {
  local dir=$1
  mkdir -p "$dir"
  podman system service --time=0 "unix://$dir/podman.sock" >"$dir/podman-service.log" 2>&1 &
  engine_api_pid=$!
  export DOCKER_HOST="unix://$dir/podman.sock"
  local waited
  for ((waited = 0; waited < 100; waited++)); do
    [ -S "$dir/podman.sock" ] && docker-compose version >/dev/null 2>&1 && return
    sleep 0.1
  done
  echo "podman system service did not come up; see $dir/podman-service.log" >&2
  return 1
}

# Podman runs a container's health checks from systemd timers; without systemd (as here) nobody
# runs them and every container stays "starting". This loop runs them instead, as often as the
# shortest interval the compose file asks for would.
engine_start_health_timer() {
  local project=$1
  (
    while sleep 2; do
      for id in $(podman ps -q --filter "label=com.docker.compose.project=$project"); do
        podman healthcheck run "$id" >/dev/null 2>&1 &
      done
      wait
    done
  ) &
  engine_health_pid=$!
}

engine_stop() {
  [ -n "${engine_health_pid:-}" ] && kill "$engine_health_pid" 2>/dev/null
  [ -n "${engine_api_pid:-}" ] && kill "$engine_api_pid" 2>/dev/null
  engine_health_pid="" engine_api_pid=""
  wait 2>/dev/null || true
}
