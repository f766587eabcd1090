from indexer.ingest.inputs import expand_inputs, read_inputs
from indexer.model import Announcement, InputError


def test_bad_lines_are_reported_with_file_line_and_reason_and_good_lines_kept(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        b'{"id": "a", "title": "Gut", "body": "Text", "date": "2015-06-09", "url": "", "source": "KV"}\n'
        b"{kein json\n"
        b'{"id": "b", "title": "Ohne Text", "body": ""}\n'
        b'{"id": "c", "title": "Datum", "body": "Text", "date": "2015-13-45"}\n'
        b'{"id": "d", "title": "Latin-1 \xe4", "body": "Text"}\n'
        b"[1, 2]\n"
        b'{"id": "e", "title": "Auch gut", "body": "Noch ein Text"}\n'
    )
    items = list(read_inputs(expand_inputs([str(tmp_path)])))
    good = [i for i in items if isinstance(i, Announcement)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert [a.id for a in good] == ["a", "e"]
    assert [(e.line, e.file) for e in errors] == [(n, str(path)) for n in (2, 3, 4, 5, 6)]
    assert "ungültiges JSON" in errors[0].reason
    assert "'body'" in errors[1].reason
    assert "2015-13-45" in errors[2].reason and "JJJJ-MM-TT" in errors[2].reason
    assert "UTF-8" in errors[3].reason


def test_missing_input_file_is_an_error_not_a_crash(tmp_path):
    items = list(read_inputs(expand_inputs([str(tmp_path / "fehlt.jsonl")])))
    assert len(items) == 1 and "nicht gefunden" in items[0].reason
