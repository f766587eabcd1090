"""`python -m indexer import-places`: Ortsteile from a GeoNames DE.txt (a small file in its format)."""

import csv

from indexer.build.cli import main
from indexer.config import gazetteer_dir
from indexer.enrich.places import PlaceMatcher
from indexer.gazetteer import load_gazetteer


def _town(name: str) -> dict:
    with (gazetteer_dir() / "municipalities_de.tsv").open(encoding="utf-8", newline="") as handle:
        return next(
            r for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE) if r["name"] == name
        )


def _geonames_line(geonameid: int, name: str, feature: str, code: str, ags: str) -> str:
    fields = [str(geonameid), name, name, "", "51.5", "14.0", feature, code, "DE", "", "11", "00", "12066"]
    fields += [ags, "0", "", "100", "Europe/Berlin", "2024-01-01"]
    return "\t".join(fields)


def test_import_places_writes_ortsteile_under_their_municipality(tmp_path, monkeypatch, capsys):
    town = _town("Senftenberg/Zły Komorow")
    folder = tmp_path / "gazetteer"
    folder.mkdir()
    for name in ("municipalities_de.tsv", "subdivisions_de.tsv"):
        (folder / name).symlink_to(gazetteer_dir() / name)
    sample = tmp_path / "DE.txt"
    sample.write_text(
        "\n".join([
            _geonames_line(1, "Sedlitz", "P", "PPLX", town["ags"]),
            _geonames_line(2, "Brieske", "P", "PPL", town["ags"]),
            _geonames_line(3, town["name"], "P", "PPL", town["ags"]),  # the town itself
            _geonames_line(4, "Schwarze Elster", "H", "STM", town["ags"]),  # a river
            _geonames_line(5, "Wüstung", "P", "PPLQ", town["ags"]),  # abandoned
            "kaputt\tzeile",
        ]) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    monkeypatch.setenv("AMTSBLICK_DATA", str(tmp_path))
    assert main(["import-places", str(sample)]) == 0
    out = capsys.readouterr()
    assert "2 Ortsteile" in out.out and "Zeile 6" in out.err
    gazetteer = load_gazetteer(folder)
    (sedlitz,) = gazetteer.candidates("Sedlitz")
    assert sedlitz.level == "ortsteil" and sedlitz.verband == town["name"] and sedlitz.state == "Brandenburg"
    words = ["Im", "Ortsteil", "Sedlitz", "von", "Senftenberg", "brannte", "es"]
    labels = {m.label for m in PlaceMatcher(gazetteer).find(words)}
    assert sedlitz.key in labels


def test_import_places_names_a_missing_file(tmp_path, capsys):
    assert main(["import-places", str(tmp_path / "fehlt.txt")]) == 2
    assert "Datei nicht gefunden" in capsys.readouterr().err
