"""Import Ortsteile from GeoNames `DE.txt` (CC BY 4.0) into the gazetteer folder.

    python -m indexer import-places DE.txt [--out FILE]

No open Ortsteil directory can be reached from the build machines (see
docs/reference-data.md). A user with internet access downloads
https://download.geonames.org/export/dump/DE.zip, unpacks `DE.txt` and runs this
command: every populated place (feature class P) whose `admin4` code is the AGS of
a municipality of `municipalities_de.tsv` and whose name differs from that
municipality's becomes an Ortsteil row of `ortsteile_de.tsv` beside it, in the
columns of `subdivisions_de.tsv`. The gazetteer loads that file when it is there.

GeoNames `DE.txt`: UTF-8, tab-separated, no header, 19 columns (geonameid, name,
asciiname, alternatenames, latitude, longitude, feature class, feature code,
country code, cc2, admin1, admin2, admin3, admin4, population, elevation, dem,
timezone, modification date).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

COLUMNS = 19
NAME, FEATURE_CLASS, FEATURE_CODE, ADMIN4 = 1, 6, 7, 13
# PPL populated place, PPLX section of one, PPLL locality; not PPLH (historical), PPLQ (abandoned)
FEATURE_CODES = {"PPL", "PPLX", "PPLL", "PPLF", "PPLR", "PPLS"}
OUTPUT_NAME = "ortsteile_de.tsv"
HEADER = ["name", "kind", "parent", "district", "state", "source", "bezirk", "code"]
SOURCE = "GeoNames (geonames.org), DE.txt, CC BY 4.0; umformatiert (eigene Darstellung)"


@dataclass
class ImportResult:
    rows: int
    skipped: int
    bad_lines: list[str]
    out: Path


def _municipalities(gazetteer_folder: Path) -> dict[str, dict[str, str]]:
    with (gazetteer_folder / "municipalities_de.tsv").open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {r["ags"]: r for r in rows if r["ags"] and r["kind"] not in ("Land", "Landkreis", "Kreis")}


def import_geonames(source: Path, gazetteer_folder: Path, out: Path | None = None) -> ImportResult:
    """Write the Ortsteile of `source` as `ortsteile_de.tsv`; bad lines are reported, the rest kept."""
    towns = _municipalities(gazetteer_folder)
    out = out or gazetteer_folder / OUTPUT_NAME
    rows, seen, skipped, bad = [], set(), 0, []
    with source.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            fields = line.rstrip("\n").split("\t")
            if len(fields) != COLUMNS:
                bad.append(f"Zeile {number}: {len(fields)} statt {COLUMNS} Spalten, keine GeoNames-Zeile")
                continue
            town = towns.get(fields[ADMIN4])
            name = fields[NAME].strip()
            if fields[FEATURE_CLASS] != "P" or fields[FEATURE_CODE] not in FEATURE_CODES or town is None:
                skipped += 1
                continue
            if not name or name == town["name"] or (name, fields[ADMIN4]) in seen:
                skipped += 1  # the municipality itself, or the same village twice
                continue
            seen.add((name, fields[ADMIN4]))
            rows.append([name, "Ortsteil", town["name"], town["district"], town["state"],
                         f"{SOURCE}, geonameid {fields[0]}", "", f"GN:{fields[0]}"])  # fmt: skip
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", quoting=csv.QUOTE_NONE, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(sorted(rows, key=lambda r: (r[4], r[2], r[0])))
    return ImportResult(len(rows), skipped, bad, out)
