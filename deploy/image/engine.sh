# Sourced by the deploy scripts: picks the container engine and the settings it needs here.
#   SLUICE_ENGINE=podman|docker overrides the choice.
# podman is preferred when present (it needs no daemon); docker is used when its daemon answers.
_sluice_pick_engine() {
  if [ -n "${SLUICE_ENGINE:-}" ]; then echo "$SLUICE_ENGINE"; return; fi
  if command -v podman >/dev/null 2>&1; then echo podman; return; fi
  if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then echo docker; return; fi
  echo "no container engine: install podman (apt-get install podman runc) or start docker" >&2
  return 1
}
ENGINE=$(_sluice_pick_engine)
ENGINE_HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "$ENGINE" = podman ] && [ -z "${CONTAINERS_CONF:-}" ]; then
  # runc and explicit ulimits: crun refuses hybrid cgroups, and rootful podman asks for a nofile limit
  # above what an unprivileged container host grants (see docs/deploy.md, "podman on a locked-down host").
  nofile=$(ulimit -Hn); [ "$nofile" = unlimited ] && nofile=1048576
  nproc=$(ulimit -Hu); { [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; } && nproc=32768
  conf=${TMPDIR:-/tmp}/sluice-containers.conf
  printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n' "$nofile" "$nofile" "$nproc" "$nproc" > "$conf"
  if command -v runc >/dev/null 2>&1; then printf '\n[engine]\nruntime = "runc"\n' >> "$conf"; fi
  export CONTAINERS_CONF=$conf
fi
engine() { "$ENGINE" "$@"; }
