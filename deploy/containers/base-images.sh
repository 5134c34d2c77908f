#!/usr/bin/env bash
# Makes the base images the Dockerfiles and the compose file name, from Debian packages, where
# no image registry is reachable: debian:bookworm, debian:bookworm-slim (mmdebstrap minbase,
# imported) and postgres:15-bookworm (deploy/containers/base/postgres.Dockerfile). An image
# that exists already is kept, so this costs nothing after the first run; BASE_REBUILD=1 makes
# them afresh. A user with a registry needs none of this.
#   deploy/containers/base-images.sh             all three
#   deploy/containers/base-images.sh --run-only  not debian:bookworm, which only the Dockerfile's
#                                                build stage uses (prebuilt binaries skip it)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${TMPDIR:-/tmp}/ticketing-base-images.$$
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"

mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
sources=("deb $mirror bookworm main" "deb $mirror bookworm-updates main"
         "deb $security bookworm-security main")

have_image() { [ "${BASE_REBUILD:-0}" != 1 ] && podman image exists "$1"; }

# import_rootfs NAME [mmdebstrap options...]: a minbase bookworm root filesystem as image NAME.
import_rootfs() {
  local name=$1; shift
  if have_image "$name"; then echo "base image $name: present"; return; fi
  echo "base image $name: mmdebstrap minbase (about 2 minutes)"
  local started=$SECONDS
  # merged-usr: /usr merged by the hook, so the usrmerge package (and with it perl) stays out.
  # The image's apt keeps no downloaded packages and no caches, so an `apt-get install` layer
  # holds only what it installed.
  mmdebstrap --quiet --variant=minbase --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --customize-hook='printf "%s\n" "APT::Keep-Downloaded-Packages \"false\";" \
      "Dir::Cache::pkgcache \"\";" "Dir::Cache::srcpkgcache \"\";" \
      >"$1/etc/apt/apt.conf.d/docker-clean"' \
    --customize-hook='rm -f "$1"/var/cache/apt/*.bin' \
    "$@" bookworm "$work/rootfs.tar" "${sources[@]}" >"$work/mmdebstrap.log" 2>&1 ||
    { cat "$work/mmdebstrap.log" >&2; return 1; }
  podman import --quiet --change 'CMD ["bash"]' "$work/rootfs.tar" "$name" >/dev/null
  rm -f "$work/rootfs.tar"
  echo "base image $name: made in $((SECONDS - started)) s"
}

[ "${1:-}" = --run-only ] || import_rootfs docker.io/library/debian:bookworm
# The slim variant keeps no manuals, documentation or translations, like the registry's.
import_rootfs docker.io/library/debian:bookworm-slim \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*'

name=docker.io/library/postgres:15-bookworm
if have_image "$name"; then
  echo "base image $name: present"
else
  started=$SECONDS
  podman build --quiet -t "$name" -f "$here/base/postgres.Dockerfile" "$here/base" >/dev/null
  echo "base image $name: built in $((SECONDS - started)) s"
fi
