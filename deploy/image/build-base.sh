#!/usr/bin/env bash
# Makes the image's base without any container registry: a Debian bookworm minbase root file system
# (debootstrap, from the Debian mirror apt already uses) plus openjdk-17-jre-headless, imported as
# localhost/sluice-base:jre17 (and a JDK + Maven image for the build stage, localhost/sluice-base:build).
#
#   deploy/image/build-base.sh [WORKDIR]      # as root; ~2 min; keeps WORKDIR/*.tar for a quick re-import
#
# Why: where no registry is reachable, FROM eclipse-temurin/maven cannot be pulled; Debian's packages
# can. The JRE is Debian's OpenJDK 17, patched by Debian security updates.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=engine.sh
. "$HERE/engine.sh"
WORK=${1:-/var/tmp/sluice-base}
ROOT=$WORK/rootfs
RUNTIME_TAG=${SLUICE_BASE_RUNTIME:-localhost/sluice-base:jre17}
BUILD_TAG=${SLUICE_BASE_BUILD:-localhost/sluice-base:build}

sources=/etc/apt/sources.list.d/debian.sources
if [ -f "$sources" ]; then
  MIRROR=$(awk '/^URIs:/{print $2; exit}' "$sources")
  SECURITY=$(awk '/^URIs:/{u=$2} /^Suites:.*security/{print u; exit}' "$sources")
fi
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY=${SECURITY:-http://deb.debian.org/debian-security}

mkdir -p "$WORK"
if [ ! -f "$WORK/base-rootfs.tar" ]; then
  command -v debootstrap >/dev/null || { echo "build-base: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
  rm -rf "$ROOT"
  echo "build-base: debootstrap bookworm from $MIRROR (log: $WORK/debootstrap.log)" >&2
  debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR" > "$WORK/debootstrap.log" 2>&1
  cat > "$ROOT/etc/apt/sources.list" <<S
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb $SECURITY bookworm-security main
S
  mount -t proc proc "$ROOT/proc"; mount --bind /dev "$ROOT/dev"
  trap 'umount "$ROOT/proc" "$ROOT/dev" 2>/dev/null || true' EXIT
  echo "build-base: installing openjdk-17-jre-headless (log: $WORK/jre.log)" >&2
  chroot "$ROOT" sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      openjdk-17-jre-headless ca-certificates-java && apt-get clean && rm -rf /var/lib/apt/lists/*' > "$WORK/jre.log" 2>&1
  umount "$ROOT/proc" "$ROOT/dev"; trap - EXIT
  # Delete files only: a later apt-get install (update-alternatives) needs /usr/share/man/man1 to exist.
  find "$ROOT/usr/share/doc" "$ROOT/usr/share/man" "$ROOT/usr/share/info" -type f -delete
  rm -f "$ROOT"/var/cache/apt/*.bin "$ROOT"/var/log/*.log "$ROOT"/var/log/apt/*
  tar --numeric-owner --xattrs -C "$ROOT" -cf "$WORK/base-rootfs.tar" .
  rm -rf "$ROOT"
fi
engine import --change 'ENV LANG=C.UTF-8' --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
  --change 'CMD ["bash"]' "$WORK/base-rootfs.tar" "$RUNTIME_TAG" >/dev/null
echo "build-base: $RUNTIME_TAG" >&2

# The build stage: the same base plus Debian's JDK and Maven.
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
cat > "$ctx/Containerfile" <<C
FROM $RUNTIME_TAG
RUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    maven openjdk-17-jdk-headless && apt-get clean && rm -rf /var/lib/apt/lists/*
C
engine build --pull=never --format docker -t "$BUILD_TAG" "$ctx" > "$WORK/build-image.log" 2>&1 \
  || { echo "build-base: building $BUILD_TAG failed, see $WORK/build-image.log" >&2; exit 1; }
echo "build-base: $BUILD_TAG" >&2
