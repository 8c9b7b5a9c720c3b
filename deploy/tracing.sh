#!/usr/bin/env bash
# The local trace store and viewer: Jaeger v2 (one binary: OTLP receiver, in-memory store, UI), built from its
# Go module with the machine's Go and cached under .local/cache (no container, no download at run time).
#
# Usage: bash deploy/tracing.sh path     builds Jaeger once if needed, prints the binary's path
# deploy/run.sh runs it with deploy/jaeger.yaml and supervises it like the services.
#
# Jaeger's module cannot be built with a plain `go install module@version` (its go.mod has a replace
# directive), so it is built inside a small module of our own that requires it at the pinned version and
# repeats that replace.
set -euo pipefail
DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$DEPLOY_DIR/.." && pwd)"
LOCAL_DIR="${CIVIC_LOCAL_DIR:-$REPO_ROOT/.local}"
CACHE_DIR="${CIVIC_CACHE_DIR:-$LOCAL_DIR/cache}"

# Jaeger v2's binary is published in the module github.com/jaegertracing/jaeger under its v1 version numbers
# (v1.75.0 is Jaeger v2.12.0).
JAEGER_MODULE=github.com/jaegertracing/jaeger
JAEGER_VERSION=v1.75.0
JAEGER_BIN="$CACHE_DIR/bin/jaeger-$JAEGER_VERSION"

build() {
  command -v go >/dev/null || { echo "[tracing] Go is needed to build Jaeger" >&2; return 1; }
  local work; work="$(mktemp -d)"
  echo "[tracing] building Jaeger $JAEGER_VERSION with go (once; several minutes)..." >&2
  cat >"$work/go.mod" <<MOD
module civicinbox.local/jaeger-build

go 1.24.6

replace github.com/Shopify/sarama => github.com/Shopify/sarama v1.33.0
MOD
  if ! (cd "$work" && export GOTOOLCHAIN=local GOFLAGS=-mod=mod \
        && go get "$JAEGER_MODULE/cmd/jaeger@$JAEGER_VERSION" >&2 \
        && go build -o "$work/jaeger" "$JAEGER_MODULE/cmd/jaeger" >&2); then
    rm -rf "$work"
    echo "[tracing] building Jaeger failed" >&2
    return 1
  fi
  mkdir -p "$(dirname "$JAEGER_BIN")"
  mv "$work/jaeger" "$JAEGER_BIN"
  rm -rf "$work"
}

case "${1:-}" in
  path)
    [ -x "$JAEGER_BIN" ] || build
    echo "$JAEGER_BIN" ;;
  *) echo "usage: $0 path" >&2; exit 2 ;;
esac
