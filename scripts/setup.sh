#!/usr/bin/env bash
# Create .venv at the repo root and install the project into it.
# Idempotent: re-installs only when pyproject.toml changed since the last run.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Amtsblick braucht Python 3.11 oder neuer ($PYTHON ist älter oder fehlt)." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "Lege .venv an …"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.amtsblick-installed
wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "Installiere Abhängigkeiten …"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[test]"
  echo "$wanted" > "$stamp"
fi
