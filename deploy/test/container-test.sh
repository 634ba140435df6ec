#!/usr/bin/env bash
# The deploy path, run for real: builds the image, starts a Kafka broker on the host, runs two containers
# of deploy/pipeline.sql as one consumer group, checks /health, /metrics and the HEALTHCHECK, SIGKILLs one
# container mid-stream and checks that the survivor finishes every window exactly once (read_committed),
# then stops the survivor with `podman stop` and checks the shutdown was graceful.
#
#   deploy/test/container-test.sh            # as root, with podman (or docker); ~4-6 min, the image build most of it
#   SLUICE_IMAGE=localhost/sluice:dev deploy/test/container-test.sh   # test an image built already
#
# Prints one line per check and ends with `container test: N passed, N failed`.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
. "$REPO/deploy/image/engine.sh"
WORK=$(mktemp -d /tmp/sluice-container-test.XXXXXX)
IMAGE=${SLUICE_IMAGE:-}
JAR=$REPO/cli/target/sluice.jar
APP=sluice-orders         # SET 'application.id' in deploy/pipeline.sql
passed=0; failed=0
pass() { passed=$((passed + 1)); echo "ok    $*"; }
fail() { failed=$((failed + 1)); echo "FAIL  $*"; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
now_ms() { date +%s%3N; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# compiled once: a source-file launch compiles on every call, seconds each on a loaded machine
# event time starts at today's midnight (UTC): recent enough that retention keeps every record
EPOCH=$(date -u +%Y-%m-%dT00:00:00Z)
kcheck() { java -Depoch="$EPOCH" -cp "$JAR:$WORK/classes" ContainerCheck "$@"; }
BROKER_PID=
KEEP=${SLUICE_CONTAINER_TEST_LOGS:-/tmp/sluice-container-test-logs}
cleanup() {
  # the containers' logs outlive them: a failed check is explained by what the members logged
  rm -rf "$KEEP"; mkdir -p "$KEEP"
  for c in sluice-ct-a sluice-ct-b; do engine logs "$c" > "$KEEP/$c.log" 2>&1; done
  cp "$WORK"/broker.err "$KEEP/" 2>/dev/null
  echo "logs: $KEEP"
  engine rm -f -v sluice-ct-a sluice-ct-b >/dev/null 2>&1
  [ -n "$BROKER_PID" ] && kill "$BROKER_PID" 2>/dev/null && wait "$BROKER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

[ -f "$JAR" ] || (cd "$REPO" && mvn -q -B -DskipTests -pl cli -am package)
javac -d "$WORK/classes" -cp "$JAR" "$HERE/ContainerCheck.java"
if [ -z "$IMAGE" ]; then
  IMAGE=localhost/sluice:container-test
  t0=$(date +%s)
  "$REPO/deploy/image/build-image.sh" --tag "$IMAGE" > "$WORK/build.log" 2>&1 \
    || { cat "$WORK/build.log"; fail "image build"; echo "container test: $passed passed, $failed failed"; exit 1; }
  pass "image $IMAGE built in $(( $(date +%s) - t0 )) s"
fi

# --- the image itself ---
user=$(engine image inspect "$IMAGE" --format '{{.Config.User}}')
check "image runs as a non-root numeric user ($user)" test "${user%%:*}" = 10001
hc=$(engine image inspect "$IMAGE" --format '{{json .Config.Healthcheck}}')
check "image keeps its HEALTHCHECK" grep -q '/health' <<<"$hc"
engine run --rm --no-healthcheck "$IMAGE" --help > "$WORK/help.txt" 2>&1
check "\`run IMAGE --help\` prints sluice's usage" grep -q 'Usage: sluice' "$WORK/help.txt"
engine run --rm --no-healthcheck "$IMAGE" compile /app/pipeline.sql > "$WORK/compile.txt" 2>&1
check "\`run IMAGE compile /app/pipeline.sql\` compiles the baked-in pipeline" grep -q 'revenue_per_minute' "$WORK/compile.txt"

# --- a broker on the host, the containers on the host network ---
java -jar "$JAR" broker --topic orders:4 > "$WORK/broker.out" 2> "$WORK/broker.err" &
BROKER_PID=$!
for _ in $(seq 1 180); do [ -s "$WORK/broker.out" ] && break; sleep 1; done
BOOTSTRAP=$(head -1 "$WORK/broker.out")
[ -n "$BOOTSTRAP" ] || { cat "$WORK/broker.err"; fail "broker start"; echo "container test: $passed passed, $failed failed"; exit 1; }
pass "broker on $BOOTSTRAP"
# A crashed member is noticed after session.timeout.ms; 6 s is the least the broker allows by default.
printf 'session.timeout.ms=6000\nheartbeat.interval.ms=1000\n' > "$WORK/client.properties"
chmod 644 "$WORK/client.properties"; chmod 755 "$WORK"
PORT_A=$(free_port); PORT_B=$(free_port)
start_container() { # name ops-port
  engine run -d --name "$1" --network host -e SLUICE_BOOTSTRAP_SERVERS="$BOOTSTRAP" -e SLUICE_OPS_PORT="$2" \
    -v "$WORK/client.properties:/etc/sluice/client.properties:ro" "$IMAGE" --config /etc/sluice/client.properties >/dev/null
}
t0=$(now_ms)
start_container sluice-ct-a "$PORT_A"; start_container sluice-ct-b "$PORT_B"
health() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/health"; }
for _ in $(seq 1 120); do [ "$(health "$PORT_A")" = 200 ] && [ "$(health "$PORT_B")" = 200 ] && break; sleep 1; done
check "both containers answer /health 200 ($(( $(now_ms) - t0 )) ms after start)" \
  test "$(health "$PORT_A")$(health "$PORT_B")" = 200200
check "HEALTHCHECK passes (podman healthcheck run)" engine healthcheck run sluice-ct-a
for _ in $(seq 1 60); do [ "$(kcheck members "$BOOTSTRAP" "$APP" 2>/dev/null)" = 2 ] && break; sleep 1; done
check "the two containers are one consumer group of 2 members" test "$(kcheck members "$BOOTSTRAP" "$APP")" = 2

# --- first half of the data, both alive ---
check "the group processed the first half, minute by minute" kcheck drive "$BOOTSTRAP" orders "$APP" 0 5 120
for port in "$PORT_A" "$PORT_B"; do curl -s "http://127.0.0.1:$port/metrics"; done > "$WORK/metrics.txt"
# Sluice's own counters (late drops, errors) appear once something is counted; records processed are
# Kafka Streams' own thread metric, which must have moved on both members.
check "/metrics on both containers counts processed records" \
  bash -c "[ \$(grep -E '^kafka_streams_stream_thread_metrics_process_total\\{' '$WORK/metrics.txt' | awk '\$2 > 0' | wc -l) -ge 2 ]"

# --- kill one, the other finishes ---
t_kill=$(now_ms)
engine kill -s KILL sluice-ct-b >/dev/null
check "the survivor processed the rest after the SIGKILL" kcheck drive "$BOOTSTRAP" orders "$APP" 5 10 180
echo "      (fail-over and the second half took $(( $(now_ms) - t_kill )) ms)"
kcheck close "$BOOTSTRAP" orders
check "the closing records were processed" kcheck processed "$BOOTSTRAP" "$APP" orders 120
podman stats --no-stream --format '{{.Name}} {{.MemUsage}} {{.CPUPerc}}' sluice-ct-a 2>/dev/null | sed 's/^/      memory: /' 
check "every window (8 customers x 10 minutes) exactly once, with the right values" \
  kcheck verify "$BOOTSTRAP" revenue-per-minute 10 120

# --- graceful stop ---
t0=$(now_ms)
engine stop -t 30 sluice-ct-a >/dev/null
stop_ms=$(( $(now_ms) - t0 ))
code=$(engine inspect sluice-ct-a --format '{{.State.ExitCode}}')
engine logs sluice-ct-a > "$WORK/a.log" 2>&1
check "podman stop ends the survivor gracefully in ${stop_ms} ms (exit $code = SIGTERM handled, log says stopped)" \
  bash -c "[ '$code' = 143 ] && [ $stop_ms -lt 30000 ] && grep -q 'sluice: stopped' '$WORK/a.log'"
echo "container test: $passed passed, $failed failed"
[ "$failed" = 0 ]
