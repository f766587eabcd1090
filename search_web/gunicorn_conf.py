"""gunicorn hooks of the production server (scripts/serve.sh passes the settings).

With --preload the master builds the app, which loads the query analysis (simplemma's German
dictionary, gazetteer names, synonyms: ~110 MB of Python objects), and then forks the workers,
which share those pages copy-on-write. Python's cyclic garbage collector writes to the header
of every object it examines, so the first full collection in a worker would copy most of them
into it. gc.freeze() moves everything the master allocated into a permanent generation that
collections never examine: the pages stay shared (docs/serving.md, "Memory").
"""

from __future__ import annotations

import gc


def pre_fork(server, worker) -> None:
    gc.freeze()
