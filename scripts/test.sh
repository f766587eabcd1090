#!/usr/bin/env bash
# Set up and run the whole test suite (lint included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# System tools for the browser security test and the load test (Debian packages); only as root, only when
# missing. Without them those tests skip and say why.
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null \
  && ! { command -v chromium && command -v chromedriver && command -v wrk; } >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver wrk) \
    >/dev/null || echo "chromium/chromium-driver/wrk konnten nicht installiert werden; Browser-Tests werden übersprungen." >&2
fi
# axe-core for the accessibility test (tests/test_browser_a11y.py): an npm package, installed into the
# git-ignored test-tools/, never shipped. Without npm (or network) that test skips and says why.
if [ ! -f test-tools/node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null; then
  npm install --silent --no-audit --no-fund --no-save --prefix test-tools "axe-core@4" >/dev/null 2>&1 \
    || echo "axe-core konnte nicht mit npm installiert werden; der Barrierefreiheitstest wird übersprungen." >&2
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest "$@"
