#!/usr/bin/env bash
# Builds Sluice's container image from deploy/Dockerfile, with podman (or docker where its daemon runs).
#
#   deploy/image/build-image.sh [--tag NAME] [--pipeline FILE] [--base auto|public|local]
#
#   --tag       image name (default localhost/sluice:dev)
#   --pipeline  SQL baked in at /app/pipeline.sql (default deploy/pipeline.sql; path inside the repo)
#   --base      public: FROM maven:3.9-eclipse-temurin-17 / eclipse-temurin:17-jre as pulled from a registry;
#               local:  bases made from Debian packages by build-base.sh (no registry needed);
#               auto (default): public when the runtime base can be pulled, else local.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
. "$HERE/engine.sh"
TAG=localhost/sluice:dev; PIPELINE=deploy/pipeline.sql; BASE=auto
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) TAG=$2; shift 2 ;;
    --pipeline) PIPELINE=$2; shift 2 ;;
    --base) BASE=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "build-image: unknown option $1" >&2; exit 64 ;;
  esac
done
PUBLIC_BUILD=maven:3.9-eclipse-temurin-17; PUBLIC_RUNTIME=eclipse-temurin:17-jre
LOCAL_BUILD=${SLUICE_BASE_BUILD:-localhost/sluice-base:build}; LOCAL_RUNTIME=${SLUICE_BASE_RUNTIME:-localhost/sluice-base:jre17}

have_image() { engine image inspect "$1" >/dev/null 2>&1; }
if [ "$BASE" = auto ]; then
  if have_image "$PUBLIC_RUNTIME" || timeout 60 "$ENGINE" pull -q "docker.io/library/$PUBLIC_RUNTIME" >/dev/null 2>&1; then
    BASE=public
  else
    echo "build-image: no registry answers for $PUBLIC_RUNTIME; using bases made from Debian packages" >&2
    BASE=local
  fi
fi
extra=()
if [ "$BASE" = local ]; then
  have_image "$LOCAL_RUNTIME" && have_image "$LOCAL_BUILD" || "$HERE/build-base.sh"
  extra+=(--pull=never --build-arg "BUILD_IMAGE=$LOCAL_BUILD" --build-arg "RUNTIME_IMAGE=$LOCAL_RUNTIME")
fi
if [ "$ENGINE" = podman ]; then
  # HEALTHCHECK survives only in the docker image format (OCI has no such field).
  extra+=(--format docker)
  # Maven in the build stage trusts the host's CAs too (a TLS-intercepting proxy's, for one). RUN only.
  [ -f /etc/ssl/certs/java/cacerts ] && extra+=(-v /etc/ssl/certs/java/cacerts:/etc/ssl/certs/java/cacerts:ro)
  # ~/.m2 of the build stage is kept between builds without entering a layer.
fi
start=$(date +%s)
engine build "${extra[@]}" --build-arg "PIPELINE=$PIPELINE" -f "$REPO/deploy/Dockerfile" -t "$TAG" "$REPO"
echo "build-image: $TAG built in $(( $(date +%s) - start )) s ($ENGINE, $BASE bases)" >&2
