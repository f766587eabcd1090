#!/usr/bin/env bash
# The main job: set up, index the shipped demo corpus, serve the UI on localhost.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m indexer build --index index corpus/
exec .venv/bin/python -m search_web --index index --port "${PORT:-8000}"
