"""Fixtures written from real pages for issue 13 (tests/fixtures/real/), run as a ratchet.

Each fixture keeps a real page's structure, furniture and kinds of phrasing in its
writer's own words, with expected rows written by reading that text (see
docs/accuracy.md). As for the holdout set, individual cases are not
enforced; tests/fixtures/real/PASSING holds how many passed when it was last set and
this test fails if fewer pass today. tools/realpages.py prints each document's scores
and the misses by class.
"""
import csv
from pathlib import Path

from tests.test_holdout import run_ratchet

HERE = Path(__file__).parent / "fixtures" / "real"
CASES = sorted(p for p in HERE.iterdir() if p.suffix in (".txt", ".html"))
INDEX_COLUMNS = ["url", "force_id", "page_type", "source_type", "publisher", "published_date",
                 "is_ncpi", "subject_kind", "hm_inspector", "fixture"]


def test_real_fixtures_ratchet():
    run_ratchet(CASES, HERE / "PASSING")


def test_every_real_case_has_expectations():
    missing = [p.name for p in CASES if not p.with_name(p.stem + ".expected.toml").exists()]
    assert not missing, f"real fixtures without .expected.toml: {missing}"


def test_indexes_are_facts_only_and_point_at_fixtures():
    forces = {r["force_id"] for r in csv.DictReader((HERE.parents[2] / "raw" / "reference" / "forces.csv").open())}
    for index in sorted(HERE.glob("index-*.csv")):
        with index.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            assert reader.fieldnames == INDEX_COLUMNS, f"{index.name}: columns {reader.fieldnames}"
            for n, row in enumerate(reader, start=2):
                where = f"{index.name} line {n}"
                assert row["url"].startswith("http"), where
                assert row["force_id"] in forces | {""}, f"{where}: unknown force {row['force_id']!r}"
                assert row["is_ncpi"] in ("true", "false"), where
                assert row["subject_kind"] in ("", "inspection", "post_inspection_review",
                                               "assessment_of_progress", "re_inspection"), where
                if row["fixture"]:
                    assert (HERE / row["fixture"]).exists(), f"{where}: no fixture {row['fixture']}"
