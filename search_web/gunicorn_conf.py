"""gunicorn hooks of the production server (scripts/serve.sh passes the settings).

With --preload the master builds the app, which loads the query analysis (simplemma's German
dictionary, gazetteer names, synonyms: ~110 MB of Python objects), and then forks the workers,
which share those pages copy-on-write. Python's cyclic garbage collector writes to the header
of every object it examines, so the first full collection in a worker would copy most of them
into it. gc.freeze() moves everything the master allocated into a permanent generation that
collections never examine: the pages stay shared (docs/serving.md, "Memory").
"""

from __future__ import annotations

import contextlib
import gc


def pre_fork(server, worker) -> None:
    gc.freeze()


def post_worker_init(worker) -> None:
    """Open the index and build the suggestion tables before the worker takes its first request:
    lazily, the first /api/suggest of each worker waited for them (13-25 s on the full corpus under
    load, issue 14). The index is opened here, after the fork, as it must be. A worker on an
    unreadable index starts anyway and answers 503 with the reason (docs/operations.md)."""
    from search_web.api import SUGGESTER
    from search_web.search import IndexUnavailable
    from search_web.service import get_service

    with contextlib.suppress(IndexUnavailable):
        SUGGESTER.tables(get_service(worker.wsgi).searcher())
