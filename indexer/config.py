"""Where the reference data (gazetteer, NER sets, shared corpus) lives.

The data is never copied into this repository: it is read at run time from a
folder that holds ``gazetteer/`` (and, for tests and benchmarks, ``corpus/``
and ``ner/``). By default that is ``../shared`` beside the repository; the
environment variable ``AMTSBLICK_DATA`` points elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_ENV_VAR = "AMTSBLICK_DATA"
PACKAGE_DATA = Path(__file__).resolve().parent / "data"


class ReferenceDataMissing(RuntimeError):
    """Raised with a message that tells the user how to get the data."""


def reference_data_dir() -> Path:
    configured = os.environ.get(DATA_ENV_VAR)
    return Path(configured) if configured else REPO_ROOT.parent / "shared"


def gazetteer_dir() -> Path:
    folder = reference_data_dir() / "gazetteer"
    if not (folder / "municipalities_de.tsv").is_file():
        raise ReferenceDataMissing(
            f"Gazetteer not found in {folder}. Set {DATA_ENV_VAR} to a folder that holds "
            "gazetteer/municipalities_de.tsv, or create it from the official Destatis file with "
            "'.venv/bin/python -m indexer gazetteer --from GV100AD_<date>.txt "
            f"--out {folder}' (see docs/reference-data.md)."
        )
    return folder
