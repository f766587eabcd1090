"""What keeps a web worker small (issue #6, docs/serving.md "Memory"): it never imports spaCy,
reads the index without copying it into the heap, and bounds its caches."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import numpy as np
from whoosh import index as whoosh_index

from indexer.engine import searcher as searcher_module
from indexer.engine.searcher import Searcher
from indexer.engine.storage import open_existing
from indexer.text import analysis
from indexer.text.lemmas import Lemmatizer, shared_lemmatizer
from search_web.search import SearchService
from tests.conftest import REPO

# One request of each kind the app serves, in a fresh interpreter (this test process has
# imported spaCy long ago, for building the indexes).
WORKER_SCRIPT = """
import json, sys
from search_web import create_app
app = create_app({"INDEX_DIR": sys.argv[1], "TESTING": True})
client = app.test_client()
hits = client.get("/api/search?q=Jugendamt").get_json()["hits"]
paths = ["/?q=Kreisjugendamtes&place=Trier-Saarburg", "/api/search?q=%22Freiwillige+Feuerwehr%22",
         "/api/suggest?q=kre", "/doc/" + hits[0]["id"], "/api/doc/" + hits[0]["id"] + "/similar",
         "/ort/Konz", "/feed.atom?q=Schule", "/ueber"]
statuses = [client.get(path).status_code for path in paths]
print(json.dumps({"statuses": statuses, "hits": len(hits),
                  "spacy": sorted(m for m in sys.modules if m.split(".")[0] in ("spacy", "thinc"))}))
"""


def test_the_web_app_serves_every_kind_of_page_without_importing_spacy(demo_index):
    done = subprocess.run(
        [sys.executable, "-c", WORKER_SCRIPT, str(demo_index)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["hits"] > 0
    assert set(result["statuses"]) == {200}, result
    assert result["spacy"] == []  # ~50 MB per worker for a library only the indexer runs


def test_no_part_of_the_index_is_copied_into_the_heap(demo_index):
    reader = open_existing(demo_index).reader()
    storage = reader._storage.a  # the segment's compound file (Whoosh internals, on purpose)
    parts = storage.list()
    assert any(name.endswith(".pst") for name in parts) and any(name.endswith(".trm") for name in parts)
    for name in parts:
        part = storage.open_file(name)
        # Whoosh's own reader wraps every part in a BytesIO: a full copy of it per worker
        assert not isinstance(part.file, io.BytesIO), name
        assert part.get(0, 16) == part.read(16), name


def test_the_windowed_index_reads_exactly_what_whoosh_reads(demo_index):
    ours = open_existing(demo_index).searcher()
    stock = whoosh_index.open_dir(str(demo_index)).searcher()
    assert ours.doc_count_all() == stock.doc_count_all() > 0
    assert list(ours.all_stored_fields()) == list(stock.all_stored_fields())
    for term in ("jugendamt", "feuerwehr", "kreis"):
        assert list(ours.reader().postings("body", term).all_items()) == list(
            stock.reader().postings("body", term).all_items()
        )


def test_term_postings_cache_is_bounded_by_bytes(demo_index, monkeypatch):
    monkeypatch.setattr(searcher_module, "TERM_CACHE_BYTES", 2_000)
    searcher = Searcher(open_existing(demo_index))
    fresh = Searcher(open_existing(demo_index))
    terms = [t.decode() for t in list(searcher._searcher.lexicon("body"))[:300]]
    for term in terms:
        ids, _freqs = searcher._term_postings("body", term)
        assert np.array_equal(ids, fresh._term_postings("body", term)[0])
        assert searcher._term_bytes <= 2_000 or len(searcher._term_ids) == 1
    assert 1 <= len(searcher._term_ids) < len(terms)
    assert searcher._term_bytes == sum(i.nbytes + f.nbytes for i, f in searcher._term_ids.values())


def test_a_search_service_sizes_the_analysis_caches_for_searching(demo_index):
    SearchService(demo_index)
    assert analysis.index_forms.cache_info().maxsize == analysis.SEARCH_CACHE_SIZE
    assert shared_lemmatizer().cache_limit == analysis.SEARCH_CACHE_SIZE
    assert analysis.compound_splitter()._cache_limit == analysis.SEARCH_CACHE_SIZE


def test_a_lemmatiser_caches_no_more_than_its_limit():
    lemmatize = Lemmatizer()
    lemmatize.cache_limit = 10
    lemmas = [lemmatize(word) for word in ["Häuser", "Kreisen", "Gemeinden"] * 2 + list("abcdefghijkl")]
    assert lemmas[:3] == ["Haus", "Kreis", "Gemeinde"] and lemmas[3:6] == lemmas[:3]
    assert len(lemmatize._cache) == 10


def test_stop_words_read_without_spacy_are_spacys():
    from spacy.lang.de.stop_words import STOP_WORDS as SPACY_STOP_WORDS

    from indexer.text.stop_words import STOP_WORDS as OURS

    assert "und" in OURS
    assert frozenset(SPACY_STOP_WORDS) == OURS


def test_postings_read_block_by_block_equal_the_matchers_postings(demo_index):
    from whoosh.matching.wrappers import FilterMatcher, MultiMatcher

    from indexer.engine.postings import read_postings

    def one_by_one(matcher):
        found = []
        while matcher.is_active():
            found.append((matcher.id(), matcher.weight()))
            matcher.next()
        return found

    reader = open_existing(demo_index).reader()
    for term in ("jugendamt", "kreis", "feuerwehr"):
        expected = one_by_one(reader.postings("body", term))
        ids, freqs = (array.tolist() for array in read_postings(reader.postings("body", term)))
        assert list(zip(ids, freqs, strict=True)) == expected and expected
        # another kind of matcher (deleted documents dropped) and several segments
        dropped = {expected[0][0]}
        filtered = read_postings(FilterMatcher(reader.postings("body", term), dropped, exclude=True))
        assert filtered[0].tolist() == [docnum for docnum, _ in expected[1:]]
        both = MultiMatcher([reader.postings("body", term), reader.postings("body", term)], [0, 1000])
        assert read_postings(both)[0].tolist() == ids + [docnum + 1000 for docnum in ids]


def test_gunicorn_freezes_the_preloaded_objects_before_forking():
    import gc

    from search_web import gunicorn_conf

    try:
        gunicorn_conf.pre_fork(server=None, worker=None)
        assert gc.get_freeze_count() > 0  # the collector will not touch (and so copy) them
    finally:
        gc.unfreeze()
    assert "search_web.gunicorn_conf" in (REPO / "scripts" / "serve.sh").read_text()
