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


class ModelError(ValueError):
    """The configured spaCy model (AMTSBLICK_MODEL) cannot be loaded; the message says what to do."""


class ReferenceDataMissing(RuntimeError):
    """Raised with a message that tells the user how to get the data."""


def reference_data_dir() -> Path:
    configured = os.environ.get(DATA_ENV_VAR)
    return Path(configured) if configured else REPO_ROOT.parent / "shared"


def gazetteer_dir() -> Path:
    folder = reference_data_dir() / "gazetteer"
    if not (folder / "municipalities_de.tsv").is_file():
        raise ReferenceDataMissing(
            f"Ortsverzeichnis nicht gefunden in {folder}. Setzen Sie {DATA_ENV_VAR} auf einen Ordner mit "
            "gazetteer/municipalities_de.tsv; wie man ihn aus dem Destatis-Gemeindeverzeichnis erstellt, "
            "steht in docs/reference-data.md."
        )
    return folder
