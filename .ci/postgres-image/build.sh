#!/usr/bin/env bash
# Builds a PostgreSQL image offline (no registry needed): debootstrap a Debian suite from the apt mirror, install the
# server in it, `docker import` it, then add the official image's settings and entrypoint with a small Dockerfile.
# Reuses the image when one built from the same recipe is already in the engine.
#
#   image="$(.ci/postgres-image/build.sh)"    # needs a running engine (see .ci/run); prints the image name
#
# Settings: POSTGRES_CI_IMAGE (default aspire-migrations-ci/postgres:17), POSTGRES_CI_SUITE (trixie carries 17),
# DEBIAN_MIRROR (default: the host's apt mirror), POSTGRES_CI_REBUILD=1 to build from scratch.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POSTGRES_CI_IMAGE="${POSTGRES_CI_IMAGE:-aspire-migrations-ci/postgres:17}"
POSTGRES_CI_SUITE="${POSTGRES_CI_SUITE:-trixie}"
PG_MAJOR=17
# The imported rootfs gets its own tag so that a changed entrypoint only rebuilds the thin top layer.
base_image="${POSTGRES_CI_IMAGE%:*}-rootfs:${POSTGRES_CI_IMAGE##*:}"

started=$SECONDS
log() { echo "postgres-image: $*" >&2; }

# Recipe fingerprints, stored as labels: an image built from other inputs is not reused.
base_recipe="$(cat "$here/rootfs-setup.sh" <(echo "$POSTGRES_CI_SUITE $PG_MAJOR") | sha256sum | cut -c1-16)"
image_recipe="$(cat "$here/Dockerfile" "$here/docker-entrypoint.sh" <(echo "$base_recipe") | sha256sum | cut -c1-16)"

label_of() {
  docker image inspect --format '{{ index .Config.Labels "ci.recipe" }}' "$1" 2>/dev/null || true
}

docker info >/dev/null 2>&1 || { log "no Docker engine answers (.ci/run starts one)"; exit 1; }

if [[ "${POSTGRES_CI_REBUILD:-0}" != 1 && "$(label_of "$POSTGRES_CI_IMAGE")" == "$image_recipe" ]]; then
  log "reusing $POSTGRES_CI_IMAGE ($((SECONDS - started))s)"
  echo "$POSTGRES_CI_IMAGE"
  exit 0
fi

# The host's own mirror: the only package source these machines reach.
debian_mirror() {
  local uri=""
  if [[ -r /etc/apt/sources.list.d/debian.sources ]]; then
    uri="$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' \
      /etc/apt/sources.list.d/debian.sources)"
  fi
  if [[ -z "$uri" && -r /etc/apt/sources.list ]]; then
    uri="$(awk '$1 == "deb" && !/security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' \
      /etc/apt/sources.list)"
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

# debootstrap mounts /proc and /sys inside the rootfs: never delete through a mount left by a failed run.
remove_tree() {
  local m
  while read -r m; do umount -l "$m" || true; done < <(awk -v d="$1/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r)
  if grep -qF " $1/" /proc/mounts; then log "mounts remain under $1; leaving it"; else rm -rf "$1"; fi
}
# The image this build replaces; removed at the end so rebuilds do not pile up untagged copies.
replaced_id="$(docker image inspect --format '{{ .Id }}' "$POSTGRES_CI_IMAGE" 2>/dev/null || true)"
workdir="$(mktemp -d "${TMPDIR:-/var/tmp}/postgres-image.XXXXXX")"
trap 'remove_tree "$workdir"' EXIT

if [[ "${POSTGRES_CI_REBUILD:-0}" != 1 && "$(label_of "$base_image")" == "$base_recipe" ]]; then
  log "reusing rootfs image $base_image"
else
  command -v debootstrap >/dev/null || "$here/../apt-install.sh" debootstrap
  mirror="${DEBIAN_MIRROR:-$(debian_mirror)}"
  rootfs="$workdir/rootfs"
  t=$SECONDS
  log "debootstrap $POSTGRES_CI_SUITE from $mirror"
  debootstrap --variant=minbase "$POSTGRES_CI_SUITE" "$rootfs" "$mirror" >"$workdir/debootstrap.log" 2>&1 \
    || { tail -n 20 "$workdir/debootstrap.log" >&2; exit 1; }
  log "debootstrap took $((SECONDS - t))s"

  t=$SECONDS
  log "installing postgresql-$PG_MAJOR in the rootfs"
  cp "$here/rootfs-setup.sh" "$rootfs/tmp/rootfs-setup.sh"
  chroot "$rootfs" /bin/bash /tmp/rootfs-setup.sh "$PG_MAJOR" >"$workdir/setup.log" 2>&1 \
    || { tail -n 20 "$workdir/setup.log" >&2; exit 1; }
  # The engine supplies these at run time; the build host's copies do not belong in the image.
  rm -f "$rootfs/tmp/rootfs-setup.sh" "$rootfs/etc/resolv.conf" "$rootfs/etc/hostname"
  log "package install took $((SECONDS - t))s"

  t=$SECONDS
  # Numeric owners: the rootfs's postgres (999) must not be mapped through the build host's user names.
  tar --numeric-owner -C "$rootfs" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -c . \
    | docker import --change "LABEL ci.recipe=$base_recipe" --message "debootstrap $POSTGRES_CI_SUITE + postgresql-$PG_MAJOR" \
      - "$base_image" >/dev/null
  remove_tree "$rootfs"
  log "docker import took $((SECONDS - t))s"
fi

t=$SECONDS
# A clean context guarantees the entrypoint is executable whatever the checkout did to file modes.
mkdir "$workdir/context"
cp "$here/Dockerfile" "$here/docker-entrypoint.sh" "$workdir/context/"
chmod 0755 "$workdir/context/docker-entrypoint.sh"
# The classic builder, explicitly: there is no buildx plugin here, and the result must not depend on which client is on PATH.
DOCKER_BUILDKIT=0 docker build -q \
  --build-arg BASE_IMAGE="$base_image" --build-arg PG_MAJOR="$PG_MAJOR" \
  --label ci.recipe="$image_recipe" -t "$POSTGRES_CI_IMAGE" "$workdir/context" >/dev/null 2>"$workdir/build.log" \
  || { cat "$workdir/build.log" >&2; exit 1; }
log "docker build took $((SECONDS - t))s"

# One still used by a container stays, which is fine; its untagged parents (an old rootfs) go with it.
if [[ -n "$replaced_id" && "$replaced_id" != "$(docker image inspect --format '{{ .Id }}' "$POSTGRES_CI_IMAGE")" ]]; then
  docker image rm "$replaced_id" >/dev/null 2>&1 || true
fi

size="$(docker image inspect --format '{{ .Size }}' "$POSTGRES_CI_IMAGE")"
log "built $POSTGRES_CI_IMAGE ($((size / 1000000)) MB) in $((SECONDS - started))s"
echo "$POSTGRES_CI_IMAGE"
