#!/usr/bin/env bash
# Sets up everything Linkpulse needs on a fresh Debian machine, then runs the given command with that environment:
#   bash scripts/setup-and-run.sh npm run demo
#   bash scripts/setup-and-run.sh npm test
# Node 22+ (from the npm registry when the machine's is older), Debian's Chromium and Firefox ESR, and `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."

node_major() { node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/'; }

if [ "$(node_major || echo 0)" -lt 22 ] 2>/dev/null || ! command -v node >/dev/null; then
  if ! "$HOME/.node22/bin/node" --version >/dev/null 2>&1; then
    echo "setup: installing Node 22 into ~/.node22 (this machine has $(node --version 2>/dev/null || echo no node))"
    npm install -g --prefix "$HOME/.node22" node@22
  fi
  export PATH="$HOME/.node22/bin:$PATH"
fi
if [ "$(node_major)" -lt 22 ]; then
  echo "setup: Node 22 or newer is needed, found $(node --version)" >&2
  exit 1
fi

# Browsers from Debian: Chromium for the end-to-end tests and the demo, Firefox ESR for the Firefox tests.
missing=()
if [ -z "${PUPPETEER_EXECUTABLE_PATH:-}" ] && ! /usr/bin/chromium --version >/dev/null 2>&1; then missing+=(chromium); fi
if [ -z "${FIREFOX_EXECUTABLE_PATH:-}" ] && ! /usr/bin/firefox-esr --version >/dev/null 2>&1; then missing+=(firefox-esr); fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]} from Debian"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${missing[@]}"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci
fi

echo "setup: node $(node --version), $(/usr/bin/chromium --version 2>/dev/null || echo "chromium at ${PUPPETEER_EXECUTABLE_PATH:-?}"), $(/usr/bin/firefox-esr --version 2>/dev/null || echo "firefox at ${FIREFOX_EXECUTABLE_PATH:-?}")"
exec "$@"
