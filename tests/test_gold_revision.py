"""The entity gold's revision 3 is data the scorers read, not a call into the system under test."""

import json
from pathlib import Path

import pytest

from bench.entities import gold_orgs, org_keys

GOLD = sorted((Path(__file__).resolve().parents[1] / "bench" / "data").glob("entities_*.jsonl"))


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.name)
def test_every_revised_name_is_a_name_as_read_and_names_the_publishers_body(path):
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        for read, revised in entry.get("orgs_revision3", {}).items():
            assert read in entry["orgs"], (entry["id"], read)
            # Revision 3 only completes a bare name with the publisher's Land or town.
            assert read in revised and revised != read, (entry["id"], revised)


def test_the_scorer_applies_the_revision_unless_asked_for_the_names_as_read():
    entry = {
        "orgs": ["Landeskriminalamt", "Polizei e. V."],
        "orgs_revision3": {"Landeskriminalamt": "X Berlin"},
    }
    assert gold_orgs(entry) == org_keys(["X Berlin", "Polizei"])
    assert gold_orgs(entry, as_annotated=True) == org_keys(["Landeskriminalamt", "Polizei"])
    assert org_keys(["Polizei"]) != org_keys(["Landeskriminalamt"])


def test_the_scorer_sees_no_difference_in_legal_form_or_letter_case_only():
    assert org_keys(["IKEA", "TÜV NORD GROUP"]) == org_keys(["Ikea", "TÜV Nord Group"])
    assert org_keys(["OMV AG"]) == org_keys(["OMV"])
    assert org_keys(["IKEA"]) != org_keys(["IKEA Deutschland"])
