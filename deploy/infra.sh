#!/usr/bin/env bash
# Local infrastructure for Civic Inbox, without Docker:
#   * Apache Kafka (KRaft, single node: broker + controller in one JVM), run from
#     its Maven Central jars (pinned in deploy/kafka/pom.xml);
#   * FerretDB v1 (MongoDB wire protocol), built from source with Go, on SQLite (default) or on PostgreSQL
#     (CIVIC_STORE_BACKEND=postgresql: Debian's `postgresql` package, installed with apt when missing, a
#     cluster of its own under the state folder, reached over a Unix socket only).
#
# Usage: bash deploy/infra.sh up|down|status
#
# Everything (downloads, builds, data, logs, pids) lives under one folder,
# <repo>/.local by default (override with CIVIC_LOCAL_DIR). See deploy/README.md.
set -euo pipefail

# ----------------------------------------------------------------------------- settings
DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$DEPLOY_DIR/.." && pwd)"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
MONGO_PORT="${MONGO_PORT:-27017}"
# FerretDB's debug HTTP listener (metrics, probes). Defaults to 8088 for MONGO_PORT 27017 and
# moves along with MONGO_PORT, so a second instance (e.g. tests on 27018 -> 8089) never collides.
FERRETDB_DEBUG_PORT="${FERRETDB_DEBUG_PORT:-$((8088 + MONGO_PORT - 27017))}"
READY_TIMEOUT="${INFRA_READY_TIMEOUT:-90}"             # seconds to wait for each service
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms512m -Xmx1g}"
KAFKA_OPTS="${KAFKA_OPTS:-}"                           # extra JVM flags, e.g. -XX:TieredStopAtLevel=1
PYTHON="${PYTHON:-python3}"                            # only the standard library is used
# What FerretDB stores its data in: sqlite (one file per database) or postgresql (see deploy/README.md for
# the figures behind the default).
STORE_BACKEND="${CIVIC_STORE_BACKEND:-sqlite}"
case "$STORE_BACKEND" in
  sqlite|postgresql) ;;
  *) echo "[infra] ERROR: CIVIC_STORE_BACKEND must be sqlite or postgresql, not '$STORE_BACKEND'" >&2; exit 2 ;;
esac
PG_SETTINGS="${CIVIC_PG_SETTINGS:-}"                   # extra postgresql.conf lines (tests of settings)

# Last FerretDB v1 release (v2 needs PostgreSQL with the DocumentDB extension).
FERRETDB_MODULE="github.com/FerretDB/FerretDB"
FERRETDB_VERSION="v1.24.2"

KAFKA_POM="$DEPLOY_DIR/kafka/pom.xml"
KAFKA_CONF_TEMPLATE="$DEPLOY_DIR/kafka/server.properties"
KAFKA_LOG4J="$DEPLOY_DIR/kafka/log4j2.yaml"
PROBE="$DEPLOY_DIR/probe.py"

LOCAL_DIR="${CIVIC_LOCAL_DIR:-$REPO_ROOT/.local}"
mkdir -p "$LOCAL_DIR"
LOCAL_DIR="$(cd "$LOCAL_DIR" && pwd)"   # absolute: it ends up in command lines we match on

# Downloads and builds; CIVIC_CACHE_DIR lets several state folders (e.g. the tests'
# .local/test) share one cache.
CACHE_DIR="${CIVIC_CACHE_DIR:-$LOCAL_DIR/cache}"
mkdir -p "$CACHE_DIR"
CACHE_DIR="$(cd "$CACHE_DIR" && pwd)"
DATA_DIR="$LOCAL_DIR/data"
LOG_DIR="$LOCAL_DIR/log"
RUN_DIR="$LOCAL_DIR/run"
CONF_DIR="$LOCAL_DIR/conf"

KAFKA_LIBS="$CACHE_DIR/kafka-libs"
KAFKA_LIBS_MARKER="$KAFKA_LIBS/.fetched"
KAFKA_DATA="$DATA_DIR/kafka"
KAFKA_CONF="$CONF_DIR/kafka.properties"
KAFKA_LOG="$LOG_DIR/kafka.log"
KAFKA_PID="$RUN_DIR/kafka.pid"

# FerretDB is built with deploy/ferretdb/civic.patch; the binary's name carries the patch's checksum, so checkouts
# with another patch (or none) keep their own binary in a shared cache, and a changed patch is built again.
FERRETDB_PATCH="$DEPLOY_DIR/ferretdb/civic.patch"
FERRETDB_BIN="$CACHE_DIR/bin/ferretdb-$FERRETDB_VERSION-$(sha256sum "$FERRETDB_PATCH" | cut -c1-12)"
FERRETDB_DATA="$DATA_DIR/ferretdb"
FERRETDB_STATE="$DATA_DIR/ferretdb-state"
FERRETDB_LOG="$LOG_DIR/ferretdb.log"
FERRETDB_PID="$RUN_DIR/ferretdb.pid"

PG_DATA="$DATA_DIR/postgresql"
PG_SOCKET_DIR="$RUN_DIR/postgresql"    # no TCP listener: the socket's folder is private to this state folder
PG_SOCKET_PORT=5432                    # names the socket file only (.s.PGSQL.5432)
PG_LOG="$LOG_DIR/postgresql.log"
PG_PID="$RUN_DIR/postgresql.pid"
PG_DATABASE="ferretdb"

# ----------------------------------------------------------------------------- helpers
info() { echo "[infra] $*"; }
warn() { echo "[infra] WARNING: $*" >&2; }
die()  { echo "[infra] ERROR: $*" >&2; exit 1; }

# Seconds elapsed since a start timestamp taken from $EPOCHREALTIME, one decimal.
elapsed() { awk -v s="$1" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.1f", e - s }'; }

# Print the tail of a log file to stderr (used on every failure).
show_log_tail() {
  local log="$1"
  if [[ -s "$log" ]]; then
    echo "---- last 20 lines of $log ----" >&2
    tail -n 20 "$log" >&2
    echo "---- end of $log ----" >&2
  else
    echo "(log $log is empty or missing)" >&2
  fi
}

# fail_with_log LOG MESSAGE...: report a failure with its log and exit.
fail_with_log() {
  local log="$1"; shift
  echo "[infra] ERROR: $*" >&2
  echo "[infra] log: $log" >&2
  show_log_tail "$log"
  exit 1
}

# Does something accept TCP connections on 127.0.0.1:PORT? (bash's /dev/tcp, no extra tools)
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# Describe who listens on PORT (best effort; process names need the same user or root).
port_owner() {
  local out=""
  if command -v ss >/dev/null 2>&1; then
    out="$(ss -Htlnp "sport = :$1" 2>/dev/null | awk '{print $4, $6}' | head -n 3)"
  fi
  echo "${out:-unknown process}"
}

# Fail unless every given port is free.
require_free_ports() {
  local name="$1"; shift
  local port
  for port in "$@"; do
    if port_open "$port"; then
      die "$name: port $port is already in use by a process not started by deploy/infra.sh" \
          "($(port_owner "$port")). Stop it, or choose other ports (KAFKA_PORT, KAFKA_CONTROLLER_PORT, MONGO_PORT, FERRETDB_DEBUG_PORT)."
    fi
  done
}

# Rotate LOG to LOG.1 so each start begins with a fresh log (one previous run is kept).
rotate_log() {
  if [[ -s "$1" ]]; then mv -f "$1" "$1.1"; fi
}

# ----------------------------------------------------------------------------- process tracking
# A pid file only counts if its pid is alive AND its command line still contains the
# marker we started it with (its config / data path under $LOCAL_DIR). That way a recycled
# pid, or an instance started with another CIVIC_LOCAL_DIR, is never mistaken for ours.
kafka_marker()    { echo "kafka.Kafka $KAFKA_CONF"; }
ferretdb_marker() { echo "--state-dir=$FERRETDB_STATE"; }
postgresql_marker() { echo "-D $PG_DATA"; }

# our_pid PIDFILE MARKER -> prints the pid and returns 0 if that process is ours and alive.
our_pid() {
  local pidfile="$1" marker="$2" pid cmdline
  [[ -s "$pidfile" ]] || return 1
  pid="$(<"$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline")"
  [[ "$cmdline" == *"$marker"* ]] || return 1
  echo "$pid"
}

# start_detached PIDFILE LOG CMD...: run CMD in its own session (immune to the caller's
# Ctrl-C / hang-up), stdout+stderr to LOG. The child writes its own pid before exec'ing,
# so the pid file holds the real service pid even if setsid had to fork.
start_detached() {
  local pidfile="$1" log="$2"; shift 2
  rm -f "$pidfile"
  # shellcheck disable=SC2016  # $$ and $@ must expand in the child shell
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" </dev/null >>"$log" 2>&1 &
  local i
  for i in $(seq 50); do
    [[ -s "$pidfile" ]] && return 0
    sleep 0.1
  done
  die "could not start: $* (no pid file $pidfile)"
}

# wait_ready NAME PIDFILE MARKER LOG PROBE-KIND PORT: poll the probe until it succeeds.
# Fails early if the process dies, and stops it if it is not ready in time.
wait_ready() {
  local name="$1" pidfile="$2" marker="$3" log="$4" kind="$5" port="$6"
  local deadline=$((SECONDS + READY_TIMEOUT)) pid
  while true; do
    if ! pid="$(our_pid "$pidfile" "$marker")"; then
      rm -f "$pidfile"
      fail_with_log "$log" "$name exited during startup."
    fi
    if "$PYTHON" "$PROBE" "$kind" 127.0.0.1 "$port" >/dev/null 2>&1; then
      return 0
    fi
    if ((SECONDS >= deadline)); then
      warn "$name (pid $pid) did not answer on port $port within ${READY_TIMEOUT}s; stopping it."
      stop_process "$name" "$pidfile" "$marker" 20 >/dev/null || true
      fail_with_log "$log" "$name did not become ready within ${READY_TIMEOUT}s."
    fi
    sleep 0.5
  done
}

# stop_process NAME PIDFILE MARKER GRACE_SECONDS: SIGTERM, wait, SIGKILL as a last resort.
stop_process() {
  local name="$1" pidfile="$2" marker="$3" grace="$4" pid i
  if [[ ! -e "$pidfile" ]]; then
    info "$name: not running"
    return 0
  fi
  if ! pid="$(our_pid "$pidfile" "$marker")"; then
    info "$name: not running (removing stale pid file $pidfile)"
    rm -f "$pidfile"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "$name (pid $pid) still running after ${grace}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$pidfile"
  info "$name: stopped (pid $pid)"
}

# ----------------------------------------------------------------------------- Kafka
kafka_pinned_version() {
  sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$KAFKA_POM" | head -n 1
}

# The marker names the pinned version and the pom's checksum: any pom edit re-fetches.
kafka_libs_stamp() {
  echo "kafka $(kafka_pinned_version) pom-sha256 $(sha256sum "$KAFKA_POM" | cut -d' ' -f1)"
}

# Copy the pom's runtime dependency closure into directory $1; "${@:2}" = extra mvn flags.
kafka_mvn_copy() {
  local dest="$1"; shift
  mvn -B -q -Dstyle.color=never "$@" -f "$KAFKA_POM" dependency:copy-dependencies \
    -DoutputDirectory="$dest"
}

kafka_fetch_libs() {
  local t0=$EPOCHREALTIME stamp
  stamp="$(kafka_libs_stamp)"
  if [[ -f "$KAFKA_LIBS_MARKER" && "$(<"$KAFKA_LIBS_MARKER")" == "$stamp" ]]; then
    info "kafka: jars cached ($(kafka_pinned_version), $KAFKA_LIBS)"
    return 0
  fi
  command -v java >/dev/null || die "kafka: java is not on PATH (Java 17+ required)"
  command -v mvn >/dev/null || die "kafka: mvn is not on PATH (needed once, to fetch the Kafka jars)"
  info "kafka: fetching Kafka $(kafka_pinned_version) jars with Maven..."
  mkdir -p "$LOG_DIR"
  # Fetch into a fresh directory and swap it in at the end: a broker of another state
  # folder sharing this cache may be running from the old jars.
  local fresh="$KAFKA_LIBS.new"
  rm -rf "$fresh"
  # Offline first (enough when ~/.m2 already holds everything), then online.
  if ! kafka_mvn_copy "$fresh" -o >"$LOG_DIR/kafka-fetch.log" 2>&1; then
    rm -rf "$fresh"
    if ! kafka_mvn_copy "$fresh" >>"$LOG_DIR/kafka-fetch.log" 2>&1; then
      rm -rf "$fresh"
      fail_with_log "$LOG_DIR/kafka-fetch.log" "kafka: Maven could not fetch the jars listed in $KAFKA_POM."
    fi
  fi
  echo "$stamp" >"$fresh/.fetched"
  rm -rf "$KAFKA_LIBS.old"
  if [[ -d "$KAFKA_LIBS" ]]; then mv "$KAFKA_LIBS" "$KAFKA_LIBS.old"; fi
  mv "$fresh" "$KAFKA_LIBS"
  rm -rf "$KAFKA_LIBS.old"
  info "kafka: fetched $(find "$KAFKA_LIBS" -name '*.jar' | wc -l) jars in $(elapsed "$t0")s"
}

# java -cp <libs>/* with our log4j2 config; "$@" = main class and its arguments.
kafka_java() {
  java -Dlog4j2.configurationFile="$KAFKA_LOG4J" -cp "$KAFKA_LIBS/*" "$@"
}

kafka_render_config() {
  mkdir -p "$CONF_DIR"
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" \
      -e "s|@KAFKA_CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
      -e "s|@KAFKA_DATA_DIR@|$KAFKA_DATA|g" \
      "$KAFKA_CONF_TEMPLATE" >"$KAFKA_CONF"
}

# Format the KRaft storage once; meta.properties (holding the cluster id) marks it done.
kafka_format_storage() {
  if [[ -f "$KAFKA_DATA/meta.properties" ]]; then
    return 0
  fi
  local cluster_id
  mkdir -p "$KAFKA_DATA"
  if ! cluster_id="$(kafka_java kafka.tools.StorageTool random-uuid 2>>"$KAFKA_LOG" | tail -n 1)" ||
      [[ -z "$cluster_id" ]]; then
    fail_with_log "$KAFKA_LOG" "kafka: could not generate a cluster id."
  fi
  info "kafka: formatting storage $KAFKA_DATA (cluster id $cluster_id)"
  if ! kafka_java kafka.tools.StorageTool format --cluster-id "$cluster_id" \
      --config "$KAFKA_CONF" >>"$KAFKA_LOG" 2>&1; then
    fail_with_log "$KAFKA_LOG" "kafka: formatting the storage directory $KAFKA_DATA failed."
  fi
}

# Prints "running" / "starting" (ours, but not answering yet) / "stopped".
kafka_state() {
  our_pid "$KAFKA_PID" "$(kafka_marker)" >/dev/null || { echo stopped; return; }
  if "$PYTHON" "$PROBE" kafka 127.0.0.1 "$KAFKA_PORT" >/dev/null 2>&1; then echo running; else echo starting; fi
}

# Start Kafka in the background (readiness is awaited separately by cmd_up).
kafka_start() {
  case "$(kafka_state)" in
    running)  info "kafka: already running (pid $(<"$KAFKA_PID"), port $KAFKA_PORT)"; return 0 ;;
    starting) info "kafka: already started (pid $(<"$KAFKA_PID")), waiting for it"; return 0 ;;
  esac
  rm -f "$KAFKA_PID"
  require_free_ports kafka "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"
  mkdir -p "$LOG_DIR" "$RUN_DIR"
  rotate_log "$KAFKA_LOG"
  kafka_render_config
  kafka_format_storage
  # JVM flags follow Kafka's own kafka-server-start.sh defaults (G1, short pauses).
  # log4j2's own shutdown hook would stop logging half-way through Kafka's shutdown.
  # shellcheck disable=SC2086  # KAFKA_HEAP_OPTS / KAFKA_OPTS are intentionally word-split
  start_detached "$KAFKA_PID" "$KAFKA_LOG" \
    java $KAFKA_HEAP_OPTS \
      -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
      -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true \
      -Dlog4j2.configurationFile="$KAFKA_LOG4J" -Dlog4j2.shutdownHookEnabled=false \
      $KAFKA_OPTS \
      -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_CONF"
  info "kafka: started (pid $(<"$KAFKA_PID")), log $KAFKA_LOG"
}

# ----------------------------------------------------------------------------- FerretDB
ferretdb_installed_version() {
  [[ -x "$FERRETDB_BIN" ]] || return 0
  "$FERRETDB_BIN" --version 2>/dev/null | sed -n 's/^version: //p'
}

# Build FerretDB from its module source. Plain `go install ...@version` does not work
# for FerretDB v1: the module zip lacks build/version/version.txt (a generated file),
# so such a binary panics at startup. We therefore copy the module source, write
# version.txt with the pinned tag, and `go build` ./cmd/ferretdb (SQLite backend is
# compiled in by default; it is pure Go, so no cgo/C compiler is needed).
ferretdb_build() {
  local t0=$EPOCHREALTIME build_log="$LOG_DIR/ferretdb-build.log"
  if [[ "$(ferretdb_installed_version)" == "$FERRETDB_VERSION" ]]; then
    info "ferretdb: binary cached ($FERRETDB_VERSION, $FERRETDB_BIN)"
    return 0
  fi
  command -v go >/dev/null || die "ferretdb: go is not on PATH (needed once, to build FerretDB)"
  info "ferretdb: building FerretDB $FERRETDB_VERSION with $(go env GOVERSION 2>/dev/null) (first run only, ~2 min)..."
  mkdir -p "$LOG_DIR" "$CACHE_DIR/bin"
  local work="$CACHE_DIR/ferretdb-src"
  rm -rf "$work"
  mkdir -p "$work"
  # (`set -e` does not apply inside a `( ... ) || ...` list, hence the && chain.)
  (
    # Run outside any go.mod/go.work so nothing in the repository is touched.
    cd "$work" && export GOWORK=off &&
      src="$(go mod download -json "$FERRETDB_MODULE@$FERRETDB_VERSION" |
        sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')" &&
      [[ -d "$src" ]] &&
      cp -R "$src" "$work/FerretDB" &&
      chmod -R u+w "$work/FerretDB" &&
      echo "$FERRETDB_VERSION" >"$work/FerretDB/build/version/version.txt" &&
      # Civic Inbox's fixes (see the patch's header and deploy/README.md); `git apply` applies all of it or
      # nothing. The ceiling keeps git from taking the checkout around the cache for the patch's repository.
      (cd "$work/FerretDB" && GIT_CEILING_DIRECTORIES="$work" git apply -p1 "$FERRETDB_PATCH") &&
      cd "$work/FerretDB" &&
      go build -trimpath -buildvcs=false -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb &&
      mv -f "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  ) >"$build_log" 2>&1 || {
    rm -rf "$work" "$FERRETDB_BIN.tmp"
    fail_with_log "$build_log" "ferretdb: building FerretDB $FERRETDB_VERSION failed."
  }
  rm -rf "$work"
  [[ "$(ferretdb_installed_version)" == "$FERRETDB_VERSION" ]] ||
    fail_with_log "$build_log" "ferretdb: built binary does not report version $FERRETDB_VERSION."
  info "ferretdb: built in $(elapsed "$t0")s"
}

ferretdb_state() {
  our_pid "$FERRETDB_PID" "$(ferretdb_marker)" >/dev/null || { echo stopped; return; }
  if "$PYTHON" "$PROBE" mongo 127.0.0.1 "$MONGO_PORT" >/dev/null 2>&1; then echo running; else echo starting; fi
}

# Start FerretDB in the background (readiness is awaited separately by cmd_up).
ferretdb_start() {
  case "$(ferretdb_state)" in
    running)  info "ferretdb: already running (pid $(<"$FERRETDB_PID"), port $MONGO_PORT)"; return 0 ;;
    starting) info "ferretdb: already started (pid $(<"$FERRETDB_PID")), waiting for it"; return 0 ;;
  esac
  rm -f "$FERRETDB_PID"
  require_free_ports ferretdb "$MONGO_PORT" "$FERRETDB_DEBUG_PORT"
  mkdir -p "$LOG_DIR" "$RUN_DIR" "$FERRETDB_DATA" "$FERRETDB_STATE"
  rotate_log "$FERRETDB_LOG"
  local backend=(--handler=sqlite --sqlite-url="file:$FERRETDB_DATA/")
  if [[ "$STORE_BACKEND" == postgresql ]]; then
    backend=(--handler=postgresql --postgresql-url="postgres:///$PG_DATABASE?host=$PG_SOCKET_DIR&port=$PG_SOCKET_PORT&user=postgres")
  fi
  start_detached "$FERRETDB_PID" "$FERRETDB_LOG" \
    "$FERRETDB_BIN" \
      "${backend[@]}" \
      --state-dir="$FERRETDB_STATE" \
      --listen-addr="127.0.0.1:$MONGO_PORT" \
      --debug-addr="127.0.0.1:$FERRETDB_DEBUG_PORT" \
      --telemetry=disable \
      --log-level=INFO
  info "ferretdb: started on $STORE_BACKEND (pid $(<"$FERRETDB_PID")), log $FERRETDB_LOG"
}

# A running FerretDB of this state folder must be on the backend asked for (data does not move between them).
ferretdb_check_backend() {
  local pid
  pid="$(our_pid "$FERRETDB_PID" "$(ferretdb_marker)")" || return 0
  if ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "--handler=$STORE_BACKEND "; then
    die "ferretdb (pid $pid) is running on another backend than CIVIC_STORE_BACKEND=$STORE_BACKEND; run 'down' first."
  fi
}

# ----------------------------------------------------------------------------- PostgreSQL (optional backend)
. "$DEPLOY_DIR/postgresql.sh"

# ----------------------------------------------------------------------------- commands
cmd_up() {
  local t0=$EPOCHREALTIME t
  command -v "$PYTHON" >/dev/null || die "$PYTHON is not on PATH (used for readiness probes)"

  # 0. Fail fast, before any download or start, if a port we need is taken by someone else.
  [[ "$(kafka_state)" != stopped ]] || require_free_ports kafka "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"
  [[ "$(ferretdb_state)" != stopped ]] || require_free_ports ferretdb "$MONGO_PORT" "$FERRETDB_DEBUG_PORT"
  ferretdb_check_backend

  # 1. Downloads / builds (cached after the first run). The lock serialises concurrent
  #    `up`s sharing one cache (e.g. `make run` and the tests).
  {
    flock -w 900 9 || die "timed out waiting for another infra.sh to finish fetching/building ($CACHE_DIR)"
    kafka_fetch_libs
    ferretdb_build
  } 9>"$CACHE_DIR/.prepare.lock"

  # 2. Launch both, so the JVM warms up while FerretDB starts (after its PostgreSQL, when that is the backend).
  kafka_start
  if [[ "$STORE_BACKEND" == postgresql ]]; then
    postgresql_up
  fi
  ferretdb_start

  # 3. Wait until each one really answers its protocol.
  t=$EPOCHREALTIME
  wait_ready kafka "$KAFKA_PID" "$(kafka_marker)" "$KAFKA_LOG" kafka "$KAFKA_PORT"
  info "kafka: ready on 127.0.0.1:$KAFKA_PORT (waited $(elapsed "$t")s)"
  t=$EPOCHREALTIME
  wait_ready ferretdb "$FERRETDB_PID" "$(ferretdb_marker)" "$FERRETDB_LOG" mongo "$MONGO_PORT"
  info "ferretdb: ready on 127.0.0.1:$MONGO_PORT (waited $(elapsed "$t")s)"

  info "up: done in $(elapsed "$t0")s"
}

cmd_down() {
  stop_process ferretdb "$FERRETDB_PID" "$(ferretdb_marker)" 15
  # Whatever CIVIC_STORE_BACKEND says now: a PostgreSQL this state folder started is stopped too.
  if [[ -e "$PG_PID" ]]; then stop_process postgresql "$PG_PID" "$(postgresql_marker)" 60; fi
  # Kafka's controlled shutdown usually takes a few seconds.
  stop_process kafka "$KAFKA_PID" "$(kafka_marker)" 60
}

cmd_status() {
  local rc=0 state
  state="$(kafka_state)"
  case "$state" in
    running)  printf '%-9s running (pid %s, port %s)\n' kafka "$(<"$KAFKA_PID")" "$KAFKA_PORT" ;;
    starting) printf '%-9s not answering (pid %s alive, port %s; log %s)\n' kafka "$(<"$KAFKA_PID")" "$KAFKA_PORT" "$KAFKA_LOG"; rc=1 ;;
    *)        printf '%-9s stopped\n' kafka; rc=1 ;;
  esac
  state="$(ferretdb_state)"
  case "$state" in
    running)  printf '%-9s running (pid %s, port %s)\n' ferretdb "$(<"$FERRETDB_PID")" "$MONGO_PORT" ;;
    starting) printf '%-9s not answering (pid %s alive, port %s; log %s)\n' ferretdb "$(<"$FERRETDB_PID")" "$MONGO_PORT" "$FERRETDB_LOG"; rc=1 ;;
    *)        printf '%-9s stopped\n' ferretdb; rc=1 ;;
  esac
  if [[ "$STORE_BACKEND" == postgresql ]]; then
    if our_pid "$PG_PID" "$(postgresql_marker)" >/dev/null; then
      printf '%-9s running (pid %s, socket %s)\n' postgresql "$(<"$PG_PID")" "$PG_SOCKET_DIR"
    else
      printf '%-9s stopped\n' postgresql; rc=1
    fi
  fi
  return "$rc"
}

usage() {
  echo "usage: bash deploy/infra.sh up|down|status" >&2
  exit 2
}

[[ $# -eq 1 ]] || usage
case "$1" in
  up)     cmd_up ;;
  down)   cmd_down ;;
  status) cmd_status ;;
  *)      usage ;;
esac
