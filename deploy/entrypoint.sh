#!/bin/sh
# The image's entrypoint. With no arguments, or with options only, it runs the baked-in (or mounted)
# pipeline against $SLUICE_BOOTSTRAP_SERVERS, serving /health, /ready and /metrics on $SLUICE_OPS_PORT;
# the options are appended to `sluice run`. A first argument that is not an option is a sluice command
# (and --help, --version are sluice's own), so `docker run IMAGE --help` and `docker run IMAGE compile
# /app/pipeline.sql` do what they say. No list of command names here: it would drift from the CLI's.
#
# exec makes the JVM PID 1, so the SIGTERM of `docker stop` or Kubernetes reaches Sluice's graceful
# shutdown (commit, close, leave the group).
set -eu
JAR=/app/sluice.jar
# The serial collector on two processors or fewer, unless JAVA_TOOL_OPTIONS or JDK_JAVA_OPTIONS names a
# collector: as the sluice launcher does, see there and docs/performance.md "The garbage collector on
# two cores". nproc sees a cpuset, not a CPU quota: with a quota, name the collector yourself.
GC=""
case " ${JAVA_TOOL_OPTIONS:-} ${JDK_JAVA_OPTIONS:-} " in
  *-XX:+Use*GC*) ;;
  *) if [ "$(nproc 2>/dev/null || echo 4)" -le 2 ]; then GC="-XX:+UseSerialGC"; fi ;;
esac
# Smaller C2 inlining budgets on two processors or fewer, unless one is set: as the sluice launcher does,
# see there and docs/performance.md "Smaller inlining budgets on two cores".
JIT=""
case " ${JAVA_TOOL_OPTIONS:-} ${JDK_JAVA_OPTIONS:-} " in
  *-XX:MaxInlineLevel=*|*-XX:FreqInlineSize=*) ;;
  *) if [ "$(nproc 2>/dev/null || echo 4)" -le 2 ]; then JIT="-XX:MaxInlineLevel=9 -XX:FreqInlineSize=150"; fi ;;
esac
case "${1:-}" in
  -h|--help|-V|--version) exec java $GC $JIT -jar "$JAR" "$@" ;;
  -*|"") ;;
  *) exec java $GC $JIT -jar "$JAR" "$@" ;;
esac
# The ops endpoint listens on every interface inside the container: probes and port mappings come from
# outside its network namespace. Publish it only where it should be reachable (-p 127.0.0.1:8080:8080).
exec java $GC $JIT -jar "$JAR" run "${SLUICE_PIPELINE:-/app/pipeline.sql}" \
  --bootstrap-servers "${SLUICE_BOOTSTRAP_SERVERS:?set SLUICE_BOOTSTRAP_SERVERS to the Kafka cluster}" \
  --ops-bind "${SLUICE_OPS_BIND:-0.0.0.0}" --ops-port "${SLUICE_OPS_PORT:-8080}" "$@"
