#!/usr/bin/env bash
# The browser tests' tools, installed from the machine's ordinary package managers (nothing is committed):
#   * Chromium from Debian's apt repository, when /usr/bin/chromium is missing (needs root or sudo);
#   * axe-core (the accessibility checker the tests inject into pages) with npm, into the ignored
#     .local/web-tools/node_modules.
# Usage: bash deploy/browser.sh [--axe-only]     Safe to run again: it installs only what is missing.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AXE_VERSION="4.14.1"
TOOLS="$REPO/.local/web-tools"

info() { echo "browser.sh: $*"; }

install_chromium() {
  if [[ -x /usr/bin/chromium ]]; then
    info "chromium: present ($(/usr/bin/chromium --version 2>/dev/null | head -n 1))"
    return
  fi
  local sudo=""
  if [[ "$(id -u)" != "0" ]]; then
    if command -v sudo >/dev/null; then sudo="sudo"; else info "chromium: missing, and not root: install the 'chromium' package"; exit 1; fi
  fi
  if ! command -v apt-get >/dev/null; then
    info "chromium: missing and there is no apt-get here: install Chromium so that /usr/bin/chromium exists"
    exit 1
  fi
  info "chromium: installing with apt-get..."
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends chromium
  info "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
}

install_axe() {
  local installed="$TOOLS/node_modules/axe-core/package.json"
  if [[ -f "$installed" ]] && grep -q "\"version\": \"$AXE_VERSION\"" "$installed"; then
    info "axe-core: $AXE_VERSION present"
    return
  fi
  if ! command -v npm >/dev/null; then
    info "axe-core: npm is missing: install Node.js and npm (apt-get install npm)"
    exit 1
  fi
  info "axe-core: installing $AXE_VERSION with npm into $TOOLS..."
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "axe-core@$AXE_VERSION"
}

if [[ "${1:-}" != "--axe-only" ]]; then
  install_chromium
fi
install_axe
