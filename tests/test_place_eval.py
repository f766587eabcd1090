"""The place evaluation of issue 12 in a fast form: seeded samples of the directory-wide
frames and of the lexicon's traps, through the real pipeline (bench/place_frames.py,
bench/place_traps.py run them on everything)."""

from bench import place_frames, place_traps
from indexer.gazetteer import default_gazetteer


def test_everyday_names_are_derived_by_rule_from_every_row():
    rows = place_frames.directory_rows()
    names = place_frames.everyday_names(rows)
    assert len(rows) > 12_000 and all(names[r.key] for r in rows if r.level == "municipality")
    by_key = {key: {n for n, _unique in found} for key, found in names.items()}
    slashed = [r for r in rows if "/" in r.name and r.level == "municipality"]
    assert slashed and all(r.name.split("/")[0].strip() in by_key[r.key] for r in slashed)
    qualified = [r for r in rows if r.name.endswith(")") and r.level == "municipality"]
    assert all(r.name.split("/")[0].strip() in by_key[r.key] for r in qualified)  # "Halle (Saale)"
    gazetteer = default_gazetteer()
    assert "Bad Homburg" in by_key[gazetteer.candidates("Bad Homburg v. d. Höhe")[0].key]


def test_frames_cover_every_frame_and_state():
    report = place_frames.run(sample=40, seed=3)
    assert set(report.by_frame) == set(place_frames.FRAMES)
    assert report.total.cases >= 40 * 10
    assert all(t.cases for t in report.by_state.values())


def test_directory_frames_meet_the_targets_on_a_seeded_sample():
    report = place_frames.run(sample=150, seed=7)
    for frame, tally in report.by_frame.items():
        figures = tally.figures()
        assert figures["recall"] >= 0.98, (frame, figures)
        assert figures["wrong"] <= 0.005, (frame, figures)


def test_homonyms_and_streets_become_no_place_on_a_seeded_sample():
    tally, errors, homonym_words = place_traps.run(sample=150, seed=7, keep_errors=5, limit=4000)
    assert homonym_words >= 20  # the lexicon finds them; nobody listed them
    for part in ("homonym", "street"):
        passed, total = tally[(part, "ALL")]
        assert passed / total >= (0.95 if part == "homonym" else 0.99), (part, passed, total, errors)


def test_localities_the_directory_lacks_attach_to_the_town_named_with_them():
    import random

    from indexer.build.build import analyse_records, place_hierarchy
    from indexer.gazetteer import unlisted_key

    gazetteer = default_gazetteer()
    towns = random.Random(11).sample(place_frames._partners(place_frames.directory_rows(), 0), 30)
    frames = [
        "{town}, Ortsteil Tannwiesel: Einbruch",
        "Im Ortsteil Tannwiesel brannte es in {town}.",
        "Tannwiesel-{town}: Einbruch in Gartenlaube",
        "In {town} (OT Tannwiesel) brannte es.",
    ]
    records = [
        {"id": f"{t.key}|{n}", "title": "Meldung", "body": f.format(town=t.name)}
        for t in towns
        for n, f in enumerate(frames)
    ]
    by_key = {t.key: t for t in towns}
    for result in analyse_records(iter(records)):
        town = by_key[result["id"].split("|")[0]]
        expected = unlisted_key("Tannwiesel", town.key)
        assert expected in result["places"], (result["id"], result["places"])
        places, hierarchy = place_hierarchy(result["places"], gazetteer)
        assert town.key in places and town.state in hierarchy["state"]
