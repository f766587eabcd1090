#!/usr/bin/env bash
# Serve the UI and JSON API with gunicorn on 127.0.0.1:${PORT:-8000} (docs/serving.md).
#
# Workers and threads for a 2-core machine: a search is CPU-bound pure Python, so one
# process per core (WORKERS=2) is what gives parallelism; the GIL lets a worker run one
# search at a time however many threads it has, so threads add no throughput and only
# stretch every request's latency under load. They are not safe yet either: a worker's
# searcher shares one Whoosh reader between its threads, and the benchmark saw zlib errors
# (HTTP 500) from concurrent posting reads with 4 threads (docs/serving.md). So THREADS=1, which makes
# gunicorn use its sync worker: a worker accepts a connection only when it is free, so
# requests spread evenly over the workers (measured: a thread-pool worker that keeps
# accepting while busy doubled the p95 under 16 clients). Sync workers do not keep
# connections alive and expect slow clients to be buffered by a reverse proxy
# (docs/serving.md). THREADS>1 switches to the gthread worker once the searcher is per
# thread. Bigger machine: WORKERS = cores.
# --preload builds the app once in the master before forking: create_app() loads the query
# analysis (dictionary, gazetteer names, synonyms) there, so the workers share it copy-on-write
# (gc.freeze() before each fork keeps it shared: search_web/gunicorn_conf.py) and a broken app
# fails at start, not at the first request. The index itself is opened after
# the fork, in each worker: workers must not share its file offsets.
# The access log records every request with its time in microseconds (%(D)s).
set -euo pipefail
cd "$(dirname "$0")/.."
# AMTSBLICK_VENV: serve from an existing virtualenv (e.g. one shared by several work trees) without setup.
VENV=${AMTSBLICK_VENV:-.venv}
if [ "$VENV" = .venv ]; then
  bash scripts/setup.sh
fi
export AMTSBLICK_INDEX=${AMTSBLICK_INDEX:-index}
if [ ! -d "$AMTSBLICK_INDEX" ]; then
  echo "Kein Index in '$AMTSBLICK_INDEX'. Erst bauen: .venv/bin/python -m indexer build --index $AMTSBLICK_INDEX corpus/" >&2
  exit 2
fi
# An index that cannot be opened (damaged, a segment missing) is reported now, with how to rebuild,
# not as a 503 at the first request. Running servers keep their last good generation instead.
if ! "$VENV/bin/python" -m search_web --check --index "$AMTSBLICK_INDEX"; then
  exit 2
fi
# Gunicorn 27 opens a control socket at one fixed path per user; nothing here uses it, and two
# servers on one machine (a benchmark beside a demo) would fight over it.
extra=()
if [[ "$("$VENV/bin/gunicorn" --help)" == *--no-control-socket* ]]; then
  extra+=(--no-control-socket)
fi
exec "$VENV/bin/gunicorn" \
  --bind "127.0.0.1:${PORT:-8000}" \
  --workers "${WORKERS:-2}" \
  --threads "${THREADS:-1}" \
  --preload \
  --config python:search_web.gunicorn_conf \
  --timeout 30 \
  --graceful-timeout 10 \
  --access-logfile "${ACCESS_LOG:--}" \
  --access-logformat '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(D)sus' \
  --error-logfile - \
  "${extra[@]}" \
  'search_web:create_app()'
