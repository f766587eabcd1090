"""Train a small German spaCy NER pipeline on the shared NER corpora.

The result is an ordinary spaCy pipeline (``spacy.blank("de")`` + ``ner``), saved
with ``nlp.to_disk``; ``AMTSBLICK_MODEL=<dir>`` makes ``build_pipeline()`` load
it exactly like ``de_core_news_sm``. Data (see ``../shared/ner/README.md``):

- GermEval 2014 dev (CC BY 4.0): TSV, the outer column; the coarse types only
  (``-deriv``/``-part`` are not entities, as in ``bench.entities``).
- Europeana Newspapers German (CC0): ``token tag`` lines without sentence
  boundaries; split on the last whitespace, misspelt tags normalised, sentences
  cut at final punctuation, an orphan ``I-`` read as ``B-``.

GermEval dev is split in two fixed halves by sentence position (`germeval_halves`):
training may use the first, evaluation uses the second, never the same sentences.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import minibatch

LABELS = ("LOC", "ORG", "PER")
GERMEVAL_FILE = "germeval2014_dev.tsv"
EUROPEANA_FILES = ("enp_DE.lft.bio", "enp_DE.onb.bio", "enp_DE.sbb.bio")
_TAG = re.compile(r"^([BI])[-_.]([A-Za-z]+)$")
_SENTENCE_END = {".", "!", "?"}
MAX_SENTENCE_TOKENS = 60  # Europeana has no boundaries; longer runs are cut here


@dataclass(frozen=True)
class Sentence:
    words: tuple[str, ...]
    spans: tuple[tuple[int, int, str], ...]  # token start, end, label


def spans_from_bio(tags: Iterable[str]) -> tuple[tuple[int, int, str], ...]:
    """Entity spans of BIO tags of our labels; an orphan I- starts a span."""
    spans, start, label = [], None, None
    for i, tag in enumerate([*tags, "O"]):
        kind = tag[:1]
        tag_label = tag[2:] if kind in "BI" and len(tag) > 2 else None
        if start is not None and not (kind == "I" and tag_label == label):
            spans.append((start, i, label))
            start = label = None
        if tag_label in LABELS and (kind == "B" or start is None):
            start, label = i, tag_label
    return tuple(spans)


def read_germeval(path: Path) -> list[Sentence]:
    sentences, words, tags = [], [], []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if words:
                sentences.append(Sentence(tuple(words), spans_from_bio(tags)))
            words, tags = [], []
            continue
        fields = line.split("\t")
        words.append(fields[1])
        tags.append(fields[2])
    return sentences


def _normalise_tag(raw: str) -> str:
    match = _TAG.match(raw.strip())
    if not match:
        return "O"
    label = match.group(2).upper()
    return f"{match.group(1)}-{label}" if label in LABELS else "O"


def read_europeana(path: Path) -> list[Sentence]:
    sentences, words, tags = [], [], []

    def flush():
        if words:
            sentences.append(Sentence(tuple(words), spans_from_bio(tags)))
        words.clear()
        tags.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# ") or not line.strip():
            continue  # document headers of enp_DE.sbb
        parts = line.rsplit(maxsplit=1)
        if len(parts) != 2:
            continue  # a token without a tag
        token, tag = parts[0].strip(), _normalise_tag(parts[1])
        if " " in token:
            token = token.replace(" ", "")  # "New York", ". ." are one token here
        if not token:
            continue
        words.append(token)
        tags.append(tag)
        if (token in _SENTENCE_END and tag == "O") or len(words) >= MAX_SENTENCE_TOKENS:
            flush()
    flush()
    return sentences


def germeval_halves(sentences: list[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """(train, held out): sentences 1-1100 and 1101-2200 of GermEval 2014 dev, by position."""
    middle = len(sentences) // 2
    return sentences[:middle], sentences[middle:]


def load_corpora(ner_dir: Path, europeana: bool = True) -> tuple[list[Sentence], list[Sentence]]:
    """(training sentences, GermEval held-out half): GermEval's first half plus Europeana."""
    train, held_out = germeval_halves(read_germeval(ner_dir / GERMEVAL_FILE))
    if europeana:
        for name in EUROPEANA_FILES:
            train += read_europeana(ner_dir / name)
    return train, held_out


def _example(nlp: Language, sentence: Sentence) -> Example:
    predicted = Doc(nlp.vocab, words=list(sentence.words))
    reference = Doc(nlp.vocab, words=list(sentence.words))
    reference.ents = [Span(reference, start, end, label=label) for start, end, label in sentence.spans]
    return Example(predicted, reference)


def train(
    sentences: list[Sentence],
    iterations: int = 5,
    seed: int = 0,
    batch_size: int = 8,
    dropout: float = 0.2,
    log=None,
) -> Language:
    """A blank German pipeline with an ``ner`` trained on the sentences."""
    spacy.util.fix_random_seed(seed)
    nlp = spacy.blank("de")
    ner = nlp.add_pipe("ner")
    for label in LABELS:
        ner.add_label(label)
    examples = [_example(nlp, s) for s in sentences]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for iteration in range(iterations):
        rng.shuffle(examples)
        losses: dict = {}
        started = time.perf_counter()
        for batch in minibatch(examples, size=batch_size):
            nlp.update(batch, sgd=optimizer, drop=dropout, losses=losses)
        if log:
            log(f"Iteration {iteration + 1}/{iterations}: loss {losses.get('ner', 0):.0f}, "
                f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    nlp.meta["name"] = "amtsblick_ner"
    nlp.meta["version"] = "0.0.0"
    nlp.meta["description"] = f"NER trained on {len(sentences)} sentences, {iterations} iterations"
    return nlp


def sample(sentences: list[Sentence], size: int, seed: int = 0) -> list[Sentence]:
    """A seeded sample, sentences with entities first (they teach the most)."""
    rng = random.Random(seed)
    with_entities = [s for s in sentences if s.spans]
    rng.shuffle(with_entities)
    return with_entities[:size]
