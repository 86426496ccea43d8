"""Inspections reconciled to the inspectorate's catalogue (ncpi/catalogue.py reconcile).

The seed expectations were written by reading raw/seeds/ and the catalogue's own rows:
000 reports Northumbria's post-inspection review (fieldwork January 2019); 001
Northamptonshire's assessment of progress (published 24 March 2021); 002 Humberside's
post-inspection review; 003 Norfolk's post-inspection review (HMIC, 2015); 004, a news
copy, reports Cleveland's first inspection and Cumbria's review, both published on
21 September 2017 - and never says which kind Cumbria's is ("acted decisively on previous
recommendations"), nor prints the right day ("Thursday (September 1)").
"""
import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ncpi.build import build
from ncpi.catalogue import (FLAG_AMBIGUOUS, FLAG_KIND_CONFLICT, FLAG_KIND_FILLED, FLAG_NO_MATCH,
                            FLAG_PUBLISHED_CONFLICT, FLAG_PUBLISHED_FILLED, FLAG_SHARED, FLAG_TITLE_CONFLICT,
                            FLAG_TITLE_FILLED, FLAG_UNCONFIRMED, normalise_title, reconcile)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seed_tables(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds") / "tables"
    build(ROOT / "raw", out, workers=1)
    return {name: pq.read_table(out / f"{name}.parquet").to_pylist()
            for name in ("inspections", "reports", "sources")}


def _subjects(tables):
    return {r["force_id"]: r for r in tables["inspections"] if r["is_subject"]}


@pytest.mark.parametrize("force_id,report_id", [
    ("northumbria", "northumbria-post_inspection_review-2019"),           # seed 000
    ("northamptonshire", "northamptonshire-assessment_of_progress-2021"), # seed 001
    ("humberside", "humberside-post_inspection_review-2018"),             # seed 002
    ("norfolk", "norfolk-post_inspection_review-2015"),                   # seed 003
    ("cleveland", "cleveland-inspection-2017"),                           # seed 004
    ("cumbria", "cumbria-post_inspection_review-2017"),                   # seed 004
])
def test_every_seed_subject_inspection_carries_its_report(seed_tables, force_id, report_id):
    subject = _subjects(seed_tables)[force_id]
    assert subject["report_id"] == report_id
    assert report_id in {r["report_id"] for r in seed_tables["reports"]}


def test_seed_004_cumbria_kind_is_read_and_agrees_with_the_catalogue(seed_tables):
    # Seed 004 says Cumbria "acted decisively" on earlier recommendations: a follow-up, read
    # from the text since issue 13 (it used to be unknown and filled from the catalogue).
    # The catalogue agrees, so nothing is filled and nothing conflicts.
    cumbria = _subjects(seed_tables)["cumbria"]
    assert cumbria["kind"] == "post_inspection_review" and cumbria["kind_rule"].startswith("kind.")
    assert cumbria["report_id"] == "cumbria-post_inspection_review-2017"
    assert FLAG_KIND_FILLED not in cumbria["quality_flags"]
    assert not [f for f in cumbria["quality_flags"] if f.startswith("kind_conflicts")]
    # Nor does the copy date it: the catalogue's day is filled in, and said so.
    assert cumbria["published_date"] == dt.date(2017, 9, 21)
    assert FLAG_PUBLISHED_FILLED in cumbria["quality_flags"]


def test_a_date_the_text_misprints_is_kept_and_flagged(seed_tables):
    cleveland = _subjects(seed_tables)["cleveland"]
    assert cleveland["published_date"] == dt.date(2017, 9, 1)        # what seed 004 prints
    assert FLAG_PUBLISHED_CONFLICT in cleveland["quality_flags"]


def test_earlier_inspections_the_releases_mention_are_reconciled_too(seed_tables):
    by_id = {r["inspection_id"]: r for r in seed_tables["inspections"]}
    norfolk_2014 = by_id["norfolk-inspection-2014"]
    assert norfolk_2014["report_id"] == "norfolk-inspection-2014"
    assert norfolk_2014["report_title"] == "Norfolk – national child protection inspection"
    assert FLAG_TITLE_FILLED in norfolk_2014["quality_flags"]
    assert by_id["northamptonshire-post_inspection_review-2019"]["report_id"] == "northamptonshire-post_inspection_review-2019"


def test_every_report_id_of_an_inspection_is_a_catalogue_report(seed_tables):
    ids = {r["report_id"] for r in seed_tables["reports"]}
    assert all(r["report_id"] in ids for r in seed_tables["inspections"] if r["report_id"])
    assert all(isinstance(r["quality_flags"], list) for r in seed_tables["inspections"])


# --- reconcile() on hand-written rows ---------------------------------------------------
def report(report_id, kind, published, precision="day", title=None, fieldwork=None, confirmed=True, force="kent"):
    return {"report_id": report_id, "force_id": force, "title": title, "kind": kind,
            "published_date": published, "published_precision": precision,
            "fieldwork_start": fieldwork[0] if fieldwork else None, "fieldwork_end": fieldwork[1] if fieldwork else None,
            "lead_inspector": None, "url": None, "source_url": "https://example.org/", "confirmed": confirmed, "note": None}


def inspection(iid, kind="unknown", published=None, precision=None, title=None, fieldwork=None, subject=True, force="kent"):
    return {"inspection_id": iid, "force_id": force, "kind": kind, "report_title": title,
            "fieldwork_start": fieldwork[0] if fieldwork else None, "fieldwork_end": fieldwork[1] if fieldwork else None,
            "published_date": published, "date_precision": precision, "inspectorate": "HMICFRS",
            "lead_inspector": None, "previous_inspection_id": None, "is_subject": subject}


KENT = [
    report("kent-inspection-2016", "inspection", dt.date(2016, 3, 10), title="Kent – National child protection inspection",
           fieldwork=(dt.date(2015, 10, 1), dt.date(2015, 10, 31))),
    report("kent-post_inspection_review-2016", "post_inspection_review", dt.date(2016, 11, 2),
           title="Kent – National child protection post-inspection review"),
    report("kent-inspection-2024", "inspection", dt.date(2024, 6, 5), title="Kent – National child protection inspection"),
]


def test_unknown_kind_is_filled_and_flagged_when_dates_point_at_one_report():
    [row] = reconcile([inspection("kent-unknown-2016", published=dt.date(2016, 11, 1), precision="month")], KENT)
    assert row["report_id"] == "kent-post_inspection_review-2016"
    assert row["kind"] == "post_inspection_review"
    assert row["kind_rule"] == "kind.catalogue.filled"        # names the catalogue, not the text's verdict
    assert FLAG_KIND_FILLED in row["quality_flags"]
    assert row["published_date"] == dt.date(2016, 11, 1)      # the text's date stays
    assert FLAG_PUBLISHED_CONFLICT not in row["quality_flags"]


def test_a_kind_the_text_states_is_never_overwritten():
    row = inspection("kent-re_inspection-2016", kind="re_inspection", published=dt.date(2016, 11, 2), precision="day",
                     title="Kent – National child protection post-inspection review")
    [out] = reconcile([row], KENT)
    assert out["report_id"] == "kent-post_inspection_review-2016"
    assert out["kind"] == "re_inspection"
    assert FLAG_KIND_CONFLICT in out["quality_flags"]


def test_the_quoted_title_and_fieldwork_choose_between_reports_of_one_kind():
    row = inspection("kent-inspection-2015", kind="inspection", title="Kent Police - National Child Protection Inspection",
                     fieldwork=(dt.date(2015, 10, 1), dt.date(2015, 10, 31)), precision="month")
    [out] = reconcile([row], KENT)
    assert out["report_id"] == "kent-inspection-2016"
    assert out["published_date"] == dt.date(2016, 3, 10)
    assert FLAG_PUBLISHED_FILLED in out["quality_flags"]
    assert FLAG_TITLE_CONFLICT not in out["quality_flags"]


def test_no_report_of_the_force_is_flagged_and_left_alone():
    row = inspection("surrey-inspection-2019", kind="inspection", published=dt.date(2019, 5, 1), precision="month", force="surrey")
    [out] = reconcile([row], KENT)
    assert out["report_id"] is None
    assert out["quality_flags"] == [FLAG_NO_MATCH]
    assert out["kind"] == "inspection" and out["published_date"] == dt.date(2019, 5, 1)


def test_dates_far_from_every_report_do_not_match():
    row = inspection("kent-inspection-2020", kind="inspection", published=dt.date(2020, 2, 1), precision="month")
    [out] = reconcile([row], KENT)
    assert out["report_id"] is None and FLAG_NO_MATCH in out["quality_flags"]


def test_nothing_to_choose_by_is_ambiguous_not_a_guess():
    [out] = reconcile([inspection("kent-inspection", kind="inspection")], KENT)
    assert out["report_id"] is None
    assert out["quality_flags"] == [FLAG_AMBIGUOUS]


def test_the_release_date_of_a_subject_source_chooses_the_report():
    row = dict(inspection("kent-unknown"), source_ids=["a" * 16])
    sources = [{"source_id": "a" * 16, "published_date": dt.date(2024, 6, 5)}]
    [out] = reconcile([row], KENT, sources)
    assert out["report_id"] == "kent-inspection-2024"
    links = [{"inspection_id": "kent-unknown", "source_id": "a" * 16, "role": "subject"}]
    [out] = reconcile([inspection("kent-unknown")], KENT, sources, links)
    assert out["report_id"] == "kent-inspection-2024"


def test_two_inspections_of_one_report_are_both_flagged():
    rows = [inspection("kent-inspection-2024", kind="inspection", published=dt.date(2024, 6, 5), precision="day"),
            inspection("kent-unknown-2024", published=dt.date(2024, 6, 1), precision="month")]
    out = reconcile(rows, KENT)
    assert [r["report_id"] for r in out] == ["kent-inspection-2024"] * 2
    assert all(FLAG_SHARED in r["quality_flags"] for r in out)


def test_an_unconfirmed_catalogue_row_says_so():
    reports = [report("kent-inspection-2016", "inspection", dt.date(2016, 1, 1), precision="year", confirmed=False)]
    [out] = reconcile([inspection("kent-inspection-2016", kind="inspection", published=dt.date(2016, 3, 1), precision="month")], reports)
    assert out["report_id"] == "kent-inspection-2016"
    assert FLAG_UNCONFIRMED in out["quality_flags"]
    assert FLAG_PUBLISHED_CONFLICT not in out["quality_flags"]   # March 2016 is within the year


def test_titles_compare_as_words():
    assert normalise_title("Derbyshire – National child protection re\u2011inspection") == \
        normalise_title("Derbyshire Constabulary - National Child Protection Re-inspection")
    assert normalise_title("Northumbria Police – National child protection post inspection review") == \
        normalise_title("Northumbria – National child protection post-inspection review")
    assert normalise_title("Kent – National child protection inspection") != \
        normalise_title("Kent – National child protection post-inspection review")
