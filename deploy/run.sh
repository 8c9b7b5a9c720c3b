#!/usr/bin/env bash
# `make run`: the whole of Civic Inbox on this machine. Starts Kafka and FerretDB (deploy/infra.sh), every
# service as its own process, then posts sample traffic so the inbox is not empty. Ctrl-C stops
# everything this script started (infrastructure that was already running is left running).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY="$ROOT/.venv/bin/python"
LOCAL="${CIVIC_LOCAL_DIR:-$ROOT/.local}"
LOG="$LOCAL/log"
mkdir -p "$LOG"

# Development-only credentials, made fresh for each run unless given; the sample traffic signs with them.
export CONNECTORS_META_APP_SECRET="${CONNECTORS_META_APP_SECRET:-$("$PY" -c 'import secrets; print(secrets.token_hex(16))')}"
export CONNECTORS_META_VERIFY_TOKEN="${CONNECTORS_META_VERIFY_TOKEN:-$("$PY" -c 'import secrets; print(secrets.token_hex(8))')}"
export KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:${KAFKA_PORT:-9092}}"
export MONGODB_URI="${MONGODB_URI:-mongodb://127.0.0.1:${MONGO_PORT:-27017}}"

# Every other channel (issue 3): throwaway secrets the sample traffic signs with, and the platforms' APIs
# answered by the sandbox stand-ins on :8090 (replies, DMs, moderation, polled mentions and comments).
secret() { "$PY" -c 'import secrets; print(secrets.token_hex(16))'; }
SANDBOX_URL="${SANDBOX_URL:-http://127.0.0.1:8090}"
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
# Demo staff accounts for the inbox, created (or their demo passwords renewed) at its start-up; the passwords
# are made fresh for each run unless given, and printed below. Nothing is committed.
demo_password() { "$PY" -c 'import secrets; print(secrets.token_urlsafe(12))'; }
DEMO_ADMIN_PASSWORD="${DEMO_ADMIN_PASSWORD:-$(demo_password)}"
DEMO_SUPERVISOR_PASSWORD="${DEMO_SUPERVISOR_PASSWORD:-$(demo_password)}"
DEMO_AGENT_PASSWORD="${DEMO_AGENT_PASSWORD:-$(demo_password)}"
DEMO_HIGHWAYS_PASSWORD="${DEMO_HIGHWAYS_PASSWORD:-$(demo_password)}"
export INBOX_BOOTSTRAP_USERS="${INBOX_BOOTSTRAP_USERS:-admin:admin:$DEMO_ADMIN_PASSWORD;supervisor:supervisor:$DEMO_SUPERVISOR_PASSWORD;agent:agent:$DEMO_AGENT_PASSWORD;highways:department_staff:$DEMO_HIGHWAYS_PASSWORD:highways,street_lighting}"

started_infra=0
if ! bash deploy/infra.sh status >/dev/null 2>&1; then
  bash deploy/infra.sh up
  started_infra=1
fi

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "Stopping services..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$started_infra" = 1 ]; then bash deploy/infra.sh down; fi
  echo "Stopped."
}
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

start() {  # start NAME PORT: python -m NAME, logging to $LOG/NAME.log, then wait for its /healthz
  local name=$1 port=$2
  OTEL_SERVICE_NAME="$name" "$PY" -m "$name" >"$LOG/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
      printf '  %-11s http://127.0.0.1:%s  (log: %s)\n' "$name" "$port" "$LOG/$name.log"
      return 0
    fi
    if ! kill -0 "${pids[-1]}" 2>/dev/null; then
      echo "$name exited during start-up; last lines of $LOG/$name.log:" >&2
      tail -n 30 "$LOG/$name.log" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "$name did not become healthy on port $port; see $LOG/$name.log" >&2
  return 1
}

echo "Starting services..."
start triage 8082
start responder 8083
start sandbox 8090
start connectors 8081
start notifier 8084
start inbox 8080

echo "Posting sample traffic (signed webhooks on every channel; X mentions and YouTube comments are polled)..."
"$PY" -m sandbox.traffic --app-secret "$CONNECTORS_META_APP_SECRET" \
  --x-consumer-secret "$CONNECTORS_X_CONSUMER_SECRET" --x-account "$SANDBOX_X_ACCOUNT_ID" \
  --twilio-auth-token "$CONNECTORS_TWILIO_AUTH_TOKEN" --mailgun-signing-key "$CONNECTORS_MAILGUN_SIGNING_KEY" \
  --open311-api-key "$OPEN311_API_KEY"

cat <<MSG

Civic Inbox is running.
  Inbox API          http://127.0.0.1:8080/api/conversations   (OpenAPI: http://127.0.0.1:8080/docs)
  Meta webhook       http://127.0.0.1:8081/webhooks/meta   (also /webhooks/x, /webhooks/twilio, /webhooks/email)
  Web forms          http://127.0.0.1:8081/contact   Open311: http://127.0.0.1:8081/open311/v2/services.json
  Channel health     http://127.0.0.1:8081/api/channel-health
  Duty alerts        http://127.0.0.1:8084/api/alerts   (SMS, email and Slack land in the sandbox's /_sandbox/sent)
  Platform sandbox   ${SANDBOX_URL}/docs   (what was sent: ${SANDBOX_URL}/_sandbox/sent)
  Health             :8080 inbox, :8081 connectors, :8082 triage, :8083 responder, :8084 notifier  (/healthz, /metrics)
  Kafka              ${KAFKA_BOOTSTRAP_SERVERS}      MongoDB wire (FerretDB)  ${MONGODB_URI}
  Logs               $LOG/
  Sign in (demo)     admin / $DEMO_ADMIN_PASSWORD    supervisor / $DEMO_SUPERVISOR_PASSWORD
                     agent / $DEMO_AGENT_PASSWORD    highways (department staff) / $DEMO_HIGHWAYS_PASSWORD
                     POST /api/auth/login {"username": ..., "password": ...}, or the web app at http://127.0.0.1:8080/
Press Ctrl-C to stop everything this started.
MSG
wait -n "${pids[@]}" || true
echo "A service stopped; see the logs in $LOG/" >&2
