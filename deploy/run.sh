#!/usr/bin/env bash
# `make run`: the whole of Civic Inbox on this machine. Starts Kafka and FerretDB (deploy/infra.sh), the trace
# store and viewer (Jaeger, deploy/tracing.sh), every service as its own supervised process, then posts sample
# traffic so the inbox is not empty. A service that exits is restarted with backoff (and the restart is
# reported); Ctrl-C or SIGTERM stops everything this script started (infrastructure that was already running
# is left running). It refuses to start, naming the process, when a port it needs is taken.
#
# Ports (environment, defaults in brackets): INBOX_PORT [8080], CONNECTORS_PORT [8081], TRIAGE_PORT [8082],
# RESPONDER_PORT [8083], NOTIFIER_PORT [8084], SANDBOX_PORT [8090], KAFKA_PORT [9092], KAFKA_CONTROLLER_PORT
# [9093], MONGO_PORT [27017], FERRETDB_DEBUG_PORT [8088], TRACE_UI_PORT [16686], OTLP_HTTP_PORT [4318],
# OTLP_GRPC_PORT [4317], JAEGER_HEALTH_PORT [13133], JAEGER_QUERY_GRPC_PORT [16685] (Jaeger: deploy/jaeger.yaml).
# Also: <SERVICE>_REPLICAS (triage, responder, connectors, notifier, inbox; [1]:
# replica n listens on the port + REPLICA_PORT_STEP*(n-1), step [100]), CIVIC_RUN_TRAFFIC [1] (0: no sample
# traffic), CIVIC_RUN_TRACING [1] (0: no Jaeger), CIVIC_LOCAL_DIR [.local].
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY="$ROOT/.venv/bin/python"
LOCAL="${CIVIC_LOCAL_DIR:-$ROOT/.local}"
LOG="$LOCAL/log"
RUN="$LOCAL/run"
mkdir -p "$LOG" "$RUN"
INBOX_PORT="${INBOX_PORT:-8080}"
CONNECTORS_PORT="${CONNECTORS_PORT:-8081}"
TRIAGE_PORT="${TRIAGE_PORT:-8082}"
RESPONDER_PORT="${RESPONDER_PORT:-8083}"
NOTIFIER_PORT="${NOTIFIER_PORT:-8084}"
SANDBOX_PORT="${SANDBOX_PORT:-8090}"
export KAFKA_PORT="${KAFKA_PORT:-9092}" MONGO_PORT="${MONGO_PORT:-27017}"
export KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
export FERRETDB_DEBUG_PORT="${FERRETDB_DEBUG_PORT:-$((8088 + MONGO_PORT - 27017))}"
TRACING="${CIVIC_RUN_TRACING:-1}"
# Jaeger's ports (deploy/tracing.sh reads the same variables).
export TRACE_UI_PORT="${TRACE_UI_PORT:-16686}" OTLP_HTTP_PORT="${OTLP_HTTP_PORT:-4318}"
export OTLP_GRPC_PORT="${OTLP_GRPC_PORT:-4317}" JAEGER_HEALTH_PORT="${JAEGER_HEALTH_PORT:-13133}"
export JAEGER_QUERY_GRPC_PORT="${JAEGER_QUERY_GRPC_PORT:-16685}"
replicas() { local var="${1^^}_REPLICAS"; echo "${!var:-1}"; }
if [ "$(replicas responder)" -gt 1 ] && [ -z "${MONGODB_URI:-}" ]; then
  # FerretDB v1 does not apply a conditional update atomically: two responders deciding on one conversation
  # can both win and one change is lost (deploy/README.md, "Replicas"). MongoDB is safe.
  echo "warning: $(replicas responder) responder replicas on the local FerretDB: concurrent changes to one conversation" \
       "can be lost (FerretDB v1 has no atomic conditional update); safe on MongoDB only (deploy/README.md)" >&2
fi
REPLICA_PORT_STEP="${REPLICA_PORT_STEP:-100}"

# Development-only credentials, made fresh for each run unless given; the sample traffic signs with them.
export CONNECTORS_META_APP_SECRET="${CONNECTORS_META_APP_SECRET:-$("$PY" -c 'import secrets; print(secrets.token_hex(16))')}"
export CONNECTORS_META_VERIFY_TOKEN="${CONNECTORS_META_VERIFY_TOKEN:-$("$PY" -c 'import secrets; print(secrets.token_hex(8))')}"
export KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:$KAFKA_PORT}"
export MONGODB_URI="${MONGODB_URI:-mongodb://127.0.0.1:$MONGO_PORT}"

# Every other channel (issue 3): throwaway secrets the sample traffic signs with, and the platforms' APIs
# answered by the sandbox stand-ins on :8090 (replies, DMs, moderation, polled mentions and comments).
secret() { "$PY" -c 'import secrets; print(secrets.token_hex(16))'; }
SANDBOX_URL="${SANDBOX_URL:-http://127.0.0.1:$SANDBOX_PORT}"
export SANDBOX_X_ACCOUNT_ID="${SANDBOX_X_ACCOUNT_ID:-1456000000000000001}"
export SANDBOX_YOUTUBE_CHANNEL_ID="${SANDBOX_YOUTUBE_CHANNEL_ID:-UCcivicInboxCouncil000001}"
export CONNECTORS_X_CONSUMER_SECRET="${CONNECTORS_X_CONSUMER_SECRET:-$(secret)}"
export CONNECTORS_TWILIO_ACCOUNT_SID="${CONNECTORS_TWILIO_ACCOUNT_SID:-AC00000000000000000000000000000001}"
export CONNECTORS_TWILIO_AUTH_TOKEN="${CONNECTORS_TWILIO_AUTH_TOKEN:-$(secret)}"
export CONNECTORS_MAILGUN_SIGNING_KEY="${CONNECTORS_MAILGUN_SIGNING_KEY:-$(secret)}"
export CONNECTORS_MAILGUN_API_KEY="${CONNECTORS_MAILGUN_API_KEY:-$(secret)}"
OPEN311_API_KEY="${OPEN311_API_KEY:-$(secret)}"
export CONNECTORS_OPEN311_API_KEYS="${CONNECTORS_OPEN311_API_KEYS:-[\"$OPEN311_API_KEY\"]}"
export CONNECTORS_META_PAGE_TOKENS="${CONNECTORS_META_PAGE_TOKENS:-{\"104729113\": \"sandbox\", \"17841400000000001\": \"sandbox\"\}}"
export CONNECTORS_X_BEARER_TOKEN="${CONNECTORS_X_BEARER_TOKEN:-sandbox}"
export CONNECTORS_X_USER_TOKENS="${CONNECTORS_X_USER_TOKENS:-{\"$SANDBOX_X_ACCOUNT_ID\": \"sandbox\"\}}"
export CONNECTORS_X_POLL_ACCOUNTS="${CONNECTORS_X_POLL_ACCOUNTS:-[\"$SANDBOX_X_ACCOUNT_ID\"]}"
export CONNECTORS_YOUTUBE_API_KEY="${CONNECTORS_YOUTUBE_API_KEY:-sandbox}"
export CONNECTORS_YOUTUBE_CHANNEL_IDS="${CONNECTORS_YOUTUBE_CHANNEL_IDS:-[\"$SANDBOX_YOUTUBE_CHANNEL_ID\"]}"
export CONNECTORS_YOUTUBE_ACCESS_TOKENS="${CONNECTORS_YOUTUBE_ACCESS_TOKENS:-{\"$SANDBOX_YOUTUBE_CHANNEL_ID\": \"sandbox\"\}}"
export CONNECTORS_META_API_BASE_URL="${CONNECTORS_META_API_BASE_URL:-$SANDBOX_URL/meta/v25.0}"
export CONNECTORS_X_API_BASE_URL="${CONNECTORS_X_API_BASE_URL:-$SANDBOX_URL/x}"
export CONNECTORS_YOUTUBE_API_BASE_URL="${CONNECTORS_YOUTUBE_API_BASE_URL:-$SANDBOX_URL/youtube}"
export CONNECTORS_TWILIO_API_BASE_URL="${CONNECTORS_TWILIO_API_BASE_URL:-$SANDBOX_URL/twilio}"
export CONNECTORS_MAILGUN_API_BASE_URL="${CONNECTORS_MAILGUN_API_BASE_URL:-$SANDBOX_URL/mailgun}"
export CONNECTORS_POLL_INTERVAL_SECONDS="${CONNECTORS_POLL_INTERVAL_SECONDS:-15}"
# Duty alerts: SMS, email and Slack through the sandbox; SMS replies come back to the notifier's webhook.
export NOTIFIER_LINK_SECRET="${NOTIFIER_LINK_SECRET:-$(secret)}"
export NOTIFIER_TWILIO_ACCOUNT_SID="${NOTIFIER_TWILIO_ACCOUNT_SID:-$CONNECTORS_TWILIO_ACCOUNT_SID}"
export NOTIFIER_TWILIO_AUTH_TOKEN="${NOTIFIER_TWILIO_AUTH_TOKEN:-$CONNECTORS_TWILIO_AUTH_TOKEN}"
export NOTIFIER_TWILIO_FROM="${NOTIFIER_TWILIO_FROM:-+447700900999}"
export NOTIFIER_TWILIO_API_BASE_URL="${NOTIFIER_TWILIO_API_BASE_URL:-$SANDBOX_URL/twilio}"
export NOTIFIER_MAILGUN_API_KEY="${NOTIFIER_MAILGUN_API_KEY:-$CONNECTORS_MAILGUN_API_KEY}"
export NOTIFIER_MAILGUN_DOMAIN="${NOTIFIER_MAILGUN_DOMAIN:-alerts.council.example}"
export NOTIFIER_MAILGUN_API_BASE_URL="${NOTIFIER_MAILGUN_API_BASE_URL:-$SANDBOX_URL/mailgun}"
export NOTIFIER_CHAT_KIND="${NOTIFIER_CHAT_KIND:-slack}"
export NOTIFIER_CHAT_WEBHOOK_URL="${NOTIFIER_CHAT_WEBHOOK_URL:-$SANDBOX_URL/slack/services/T0CIVIC01/B0DUTY001/$(secret)}"
export NOTIFIER_ADMINS="${NOTIFIER_ADMINS:-[{\"name\": \"Demo admin\", \"phone\": \"+447700900201\", \"email\": \"admin@council.example\"\}]}"
export NOTIFIER_OPS="${NOTIFIER_OPS:-[{\"name\": \"Demo ops\", \"email\": \"ops@council.example\"\}]}"
# Demo staff accounts for the inbox, created (or their demo passwords renewed) at its start-up; the passwords
# are made fresh for each run unless given, and printed below. Nothing is committed.
demo_password() { "$PY" -c 'import secrets; print(secrets.token_urlsafe(12))'; }
DEMO_ADMIN_PASSWORD="${DEMO_ADMIN_PASSWORD:-$(demo_password)}"
DEMO_SUPERVISOR_PASSWORD="${DEMO_SUPERVISOR_PASSWORD:-$(demo_password)}"
DEMO_AGENT_PASSWORD="${DEMO_AGENT_PASSWORD:-$(demo_password)}"
DEMO_HIGHWAYS_PASSWORD="${DEMO_HIGHWAYS_PASSWORD:-$(demo_password)}"
export INBOX_BOOTSTRAP_USERS="${INBOX_BOOTSTRAP_USERS:-admin:admin:$DEMO_ADMIN_PASSWORD;supervisor:supervisor:$DEMO_SUPERVISOR_PASSWORD;agent:agent:$DEMO_AGENT_PASSWORD;highways:department_staff:$DEMO_HIGHWAYS_PASSWORD:highways,street_lighting}"

# The trace viewer the conversation page links to, and where every service sends its spans.
if [ "$TRACING" = 1 ]; then
  export OTEL_EXPORTER_OTLP_ENDPOINT="${OTEL_EXPORTER_OTLP_ENDPOINT:-http://127.0.0.1:$OTLP_HTTP_PORT}"
  # Jaeger built from its Go module carries no UI assets (they are built from jaeger-ui with npm and not
  # published in any registry), so the inbox shows the trace itself: its ops trace page reads Jaeger's query
  # API on the server and draws the span waterfall; the conversation page's Trace links open that page.
  export INBOX_WEB_TRACE_QUERY_URL="${INBOX_WEB_TRACE_QUERY_URL:-http://127.0.0.1:$TRACE_UI_PORT}"
  export INBOX_WEB_TRACE_URL_TEMPLATE="${INBOX_WEB_TRACE_URL_TEMPLATE:-}"
fi

# ------------------------------------------------------------------------------------------------ ports
# Every port this run will listen on must be free, or it refuses to start (naming the holder) before it starts
# anything. Kafka's and FerretDB's are checked only when they are not already running from this folder.
needed=()
for svc in triage responder connectors notifier inbox; do
  var="${svc^^}_PORT"
  for ((i = 1; i <= $(replicas "$svc"); i++)); do needed+=("$svc=$(( ${!var} + REPLICA_PORT_STEP * (i - 1) ))"); done
done
needed+=("sandbox=$SANDBOX_PORT")
if [ "$TRACING" = 1 ]; then
  needed+=("jaeger-ui=$TRACE_UI_PORT" "jaeger-otlp-http=$OTLP_HTTP_PORT" "jaeger-otlp-grpc=$OTLP_GRPC_PORT"
           "jaeger-health=$JAEGER_HEALTH_PORT" "jaeger-query-grpc=$JAEGER_QUERY_GRPC_PORT")
fi
infra_running=0
if bash deploy/infra.sh status >/dev/null 2>&1; then infra_running=1; else
  needed+=("kafka=$KAFKA_PORT" "kafka-controller=$KAFKA_CONTROLLER_PORT" "ferretdb=$MONGO_PORT" "ferretdb-debug=$FERRETDB_DEBUG_PORT")
fi
python3 deploy/ports.py "${needed[@]}" || exit 1

started_infra=0
if [ "$infra_running" = 0 ]; then
  bash deploy/infra.sh up
  started_infra=1
fi

# ------------------------------------------------------------------------------------------------ supervision
say() { echo "[run $(date +%H:%M:%S)] $*"; }

# supervise INSTANCE HEALTH_URL COMMAND...: run COMMAND (logging to $LOG/INSTANCE.log, pid in $RUN/INSTANCE.pid)
# for as long as this run lasts; when it exits, say so and start it again after a backoff (1 s doubling to 30 s,
# back to 1 s once it has run a minute). SIGTERM stops the command (itself stopping within its deadline) and
# the supervisor.
supervise() {
  local inst=$1 health=$2; shift 2
  local child="" stopping=0 backoff=1 restarts=0 began rc why
  trap 'stopping=1; [ -z "$child" ] || kill -TERM "$child" 2>/dev/null || true' TERM INT
  while [ "$stopping" = 0 ]; do
    began=$SECONDS
    "$@" >>"$LOG/$inst.log" 2>&1 &
    child=$!
    echo "$child" >"$RUN/$inst.pid"
    if [ "$restarts" -gt 0 ]; then
      ( t0=$EPOCHREALTIME
        for _ in $(seq 1 240); do
          if curl -fsS -m 2 "$health" >/dev/null 2>&1; then
            say "$inst is back (healthy $(awk -v s="$t0" -v e="$EPOCHREALTIME" 'BEGIN{printf "%.1f", e-s}')s after its restart)"
            exit 0
          fi
          kill -0 "$child" 2>/dev/null || exit 0
          sleep 0.25
        done ) &
    fi
    rc=0; wait "$child" || rc=$?
    while kill -0 "$child" 2>/dev/null; do rc=0; wait "$child" || rc=$?; done  # a signal interrupted the wait
    rm -f "$RUN/$inst.pid"
    [ "$stopping" = 0 ] || break
    if [ $((SECONDS - began)) -ge 60 ]; then backoff=1; fi
    if [ "$rc" -gt 128 ]; then why="killed by signal $((rc - 128))"; else why="exit code $rc"; fi
    restarts=$((restarts + 1))
    say "$inst stopped ($why) after $((SECONDS - began))s; restarting it in ${backoff}s (restart $restarts; log: $LOG/$inst.log)" >&2
    sleep "$backoff" & wait $! || true
    backoff=$((backoff * 2 > 30 ? 30 : backoff * 2))
  done
}

sups=()
stop_all() {
  trap - INT TERM EXIT
  echo
  say "Stopping services..."
  local sup deadline
  for sup in "${sups[@]}"; do kill -TERM "$sup" 2>/dev/null || true; done
  # Every service stops within its own deadline (8 s); past 12 s whatever is left is killed.
  deadline=$((SECONDS + 12))
  for sup in "${sups[@]}"; do
    while kill -0 "$sup" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  done
  for sup in "${sups[@]}"; do
    if kill -0 "$sup" 2>/dev/null; then
      say "a service did not stop in time; killing it" >&2
      pkill -KILL -P "$sup" 2>/dev/null || true
      kill -KILL "$sup" 2>/dev/null || true
    fi
  done
  wait 2>/dev/null || true
  if [ "$started_infra" = 1 ]; then bash deploy/infra.sh down; fi
  say "Stopped."
}
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

# start INSTANCE PORT[/PATH] COMMAND...: supervise COMMAND and wait until http://127.0.0.1:PORT/PATH (default
# /healthz) answers.
start() {
  local inst=$1 spec=$2 port=${2%%/*} health="http://127.0.0.1:$2"; shift 2
  [[ "$spec" == */* ]] || health="$health/healthz"
  supervise "$inst" "$health" "$@" &
  sups+=($!)
  for _ in $(seq 1 240); do
    if curl -fsS -m 2 "$health" >/dev/null 2>&1; then
      printf '  %-13s http://127.0.0.1:%s  (log: %s)\n' "$inst" "$port" "$LOG/$inst.log"
      return 0
    fi
    sleep 0.5
  done
  echo "$inst did not become healthy on port $port within 2 minutes; see $LOG/$inst.log:" >&2
  tail -n 30 "$LOG/$inst.log" >&2 || true
  return 1
}

# start_service NAME: every replica of `python -m NAME`, replica n on the service's port + REPLICA_PORT_STEP*(n-1).
start_service() {
  local name=$1 var="${1^^}_PORT" port inst
  for ((i = 1; i <= $(replicas "$name"); i++)); do
    port=$(( ${!var} + REPLICA_PORT_STEP * (i - 1) )); inst=$name; [ "$i" = 1 ] || inst="$name-$i"
    start "$inst" "$port" env "${name^^}_PORT=$port" OTEL_SERVICE_NAME="$name" \
      OTEL_RESOURCE_ATTRIBUTES="service.instance.id=$inst" "$PY" -m "$name"
  done
}

if [ "$TRACING" = 1 ]; then
  echo "Starting the trace store and viewer (Jaeger; the first time it is built with go install)..."
  if JAEGER="$(bash deploy/tracing.sh path)"; then
    start jaeger "$JAEGER_HEALTH_PORT/status" "$JAEGER" --config "$ROOT/deploy/jaeger.yaml"
  else
    echo "  no trace viewer: the Jaeger build failed (see above); services still trace, the links will not open" >&2
    unset OTEL_EXPORTER_OTLP_ENDPOINT
  fi
fi
echo "Starting services..."
start_service triage
start_service responder
start sandbox "$SANDBOX_PORT" env SANDBOX_PORT="$SANDBOX_PORT" "$PY" -m sandbox
start_service connectors
start_service notifier
start_service inbox

if [ "${CIVIC_RUN_TRAFFIC:-1}" = 1 ]; then
  echo "Posting sample traffic (signed webhooks on every channel; X mentions and YouTube comments are polled)..."
  "$PY" -m sandbox.traffic --connectors "http://127.0.0.1:$CONNECTORS_PORT" --app-secret "$CONNECTORS_META_APP_SECRET" \
    --x-consumer-secret "$CONNECTORS_X_CONSUMER_SECRET" --x-account "$SANDBOX_X_ACCOUNT_ID" \
    --twilio-auth-token "$CONNECTORS_TWILIO_AUTH_TOKEN" --mailgun-signing-key "$CONNECTORS_MAILGUN_SIGNING_KEY" \
    --open311-api-key "$OPEN311_API_KEY"
fi

I="http://127.0.0.1:$INBOX_PORT" C="http://127.0.0.1:$CONNECTORS_PORT"
cat <<MSG

Civic Inbox is running.
  Inbox API          $I/api/conversations   (OpenAPI, signed in: $I/openapi.json)
  Meta webhook       $C/webhooks/meta   (also /webhooks/x, /webhooks/twilio, /webhooks/email)
  Web forms          $C/contact   Open311: $C/open311/v2/services.json
  Channel health     http://127.0.0.1:$((CONNECTORS_PORT + 1000))/api/channel-health   (internal listener; :$CONNECTORS_PORT faces the internet)
  Duty alerts        http://127.0.0.1:$NOTIFIER_PORT/api/alerts   (SMS, email and Slack land in the sandbox's /_sandbox/sent)
  Platform sandbox   ${SANDBOX_URL}/docs   (what was sent: ${SANDBOX_URL}/_sandbox/sent)
  Traces (Jaeger)    $( [ -n "${OTEL_EXPORTER_OTLP_ENDPOINT:-}" ] && echo "http://127.0.0.1:$INBOX_PORT/ops/traces/<trace id>  (the Trace link on a conversation page, supervisors and admins; store: Jaeger's query API on :$TRACE_UI_PORT)" || echo "off")
  Health             :$INBOX_PORT inbox, :$CONNECTORS_PORT connectors, :$TRIAGE_PORT triage, :$RESPONDER_PORT responder,
                     :$NOTIFIER_PORT notifier  (/healthz, /metrics; inbox's and connectors' /metrics on their
                     internal listeners, port + 1000)
  Kafka              ${KAFKA_BOOTSTRAP_SERVERS}      MongoDB wire (FerretDB)  ${MONGODB_URI}
  Logs               $LOG/   (pids: $RUN/)
  Sign in (demo)     admin / $DEMO_ADMIN_PASSWORD    supervisor / $DEMO_SUPERVISOR_PASSWORD
                     agent / $DEMO_AGENT_PASSWORD    highways (department staff) / $DEMO_HIGHWAYS_PASSWORD
                     POST /api/auth/login {"username": ..., "password": ...}, or the web app at $I/
A service that stops is restarted (with backoff) and reported here. Press Ctrl-C to stop everything this started.
MSG
while :; do sleep 5 & wait $! || true; done
