"""Fixtures that build real temporary indexes (no mocks of Whoosh or spaCy)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.build.build import build_index
from indexer.config import reference_data_dir
from search_web import create_app

REPO = Path(__file__).resolve().parent.parent
DEMO_CORPUS = REPO / "corpus" / "demo.jsonl"
SAMPLE_LINES_PER_FILE = 150


def shared_corpus_dir() -> Path:
    return reference_data_dir() / "corpus"


@pytest.fixture(scope="session")
def demo_index(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo-index")
    build_index(path, [str(DEMO_CORPUS)], show_progress=False)
    return path


@pytest.fixture(scope="session")
def shared_sample(tmp_path_factory) -> Path:
    """The first lines of every shared JSON Lines file (read at run time, never copied)."""
    files = sorted(shared_corpus_dir().rglob("*.jsonl"))
    if not files:
        pytest.skip(f"shared corpus not found in {shared_corpus_dir()} (set AMTSBLICK_DATA)")
    sample = tmp_path_factory.mktemp("shared-sample") / "sample.jsonl"
    with sample.open("w", encoding="utf-8") as out:
        for path in files:
            with path.open(encoding="utf-8") as handle:
                for number, line in enumerate(handle):
                    if number >= SAMPLE_LINES_PER_FILE:
                        break
                    out.write(line)
    return sample


@pytest.fixture(scope="session")
def shared_index(tmp_path_factory, shared_sample) -> Path:
    path = tmp_path_factory.mktemp("shared-index")
    build_index(path, [str(shared_sample)], show_progress=False)
    return path


@pytest.fixture
def app(demo_index):
    return create_app({"INDEX_DIR": str(demo_index), "TESTING": False})


@pytest.fixture
def client(app):
    return app.test_client()


def demo_records() -> list[dict]:
    with DEMO_CORPUS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


TRAINED_NER_SENTENCES = 300  # with entities, from GermEval 2014 dev 1-1100: a few seconds per iteration
TRAINED_NER_ITERATIONS = 3


@pytest.fixture(scope="session")
def trained_ner_model(tmp_path_factory) -> Path:
    """A small German NER pipeline trained here and saved with nlp.to_disk (AMTSBLICK_MODEL=<dir>)."""
    from indexer.enrich.train_ner import GERMEVAL_FILE, germeval_halves, read_germeval, sample, train

    germeval = reference_data_dir() / "ner" / GERMEVAL_FILE
    if not germeval.is_file():
        pytest.skip(f"GermEval 2014 dev not found at {germeval} (set AMTSBLICK_DATA)")
    training, _held_out = germeval_halves(read_germeval(germeval))
    nlp = train(sample(training, TRAINED_NER_SENTENCES), iterations=TRAINED_NER_ITERATIONS)
    path = tmp_path_factory.mktemp("trained-ner") / "model"
    nlp.to_disk(path)
    return path
