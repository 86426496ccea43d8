"""The curated catalogue (raw/reference/ncpi_reports.csv), its loader and the coverage chart."""
import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest

from ncpi.catalogue import COLUMNS, CatalogueError, coverage_svg, load_reports, reports_reference
from ncpi.parse.forcenames import load_reference
from schemas.reports import Reports

ROOT = Path(__file__).resolve().parents[1]
CSV = ROOT / "raw" / "reference" / "ncpi_reports.csv"
FORCE_IDS = {f.force_id for f in load_reference()}
INSPECTORATE_HOSTS = ("https://www.justiceinspectorates.gov.uk/hmicfrs/", "https://hmicfrs.justiceinspectorates.gov.uk/")


def test_the_project_catalogue_passes_its_schema():
    rows = load_reports(force_ids=FORCE_IDS)
    assert len(rows) >= 30
    Reports.validate(pd.DataFrame(rows), lazy=True)
    assert {r["force_id"] for r in rows} <= FORCE_IDS


def test_confirmed_rows_were_read_on_the_inspectorate_s_own_pages():
    for r in load_reports():
        if r["confirmed"]:
            assert r["url"].startswith(INSPECTORATE_HOSTS), r["report_id"]
            assert r["title"] and r["published_precision"] == "day"
        else:
            assert r["note"], f"{r['report_id']}: an unconfirmed row says what is unconfirmed"


def test_the_catalogue_sources_file_lists_every_unconfirmed_row():
    md = (ROOT / "raw" / "reference" / "ncpi_reports.md").read_text(encoding="utf-8")
    for r in load_reports():
        if not r["confirmed"]:
            assert r["report_id"] in md, r["report_id"]


def test_a_raw_folder_s_own_catalogue_wins(tmp_path):
    assert reports_reference(tmp_path) == CSV
    (tmp_path / "reference").mkdir()
    mine = tmp_path / "reference" / "ncpi_reports.csv"
    mine.write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
    assert reports_reference(tmp_path) == mine
    assert load_reports(tmp_path) == []


GOOD = {"report_id": "kent-inspection-2016", "force_id": "kent", "title": "Kent – National child protection inspection",
        "kind": "inspection", "published_date": "2016-03-10", "published_precision": "day", "fieldwork_start": "",
        "fieldwork_end": "", "lead_inspector": "", "url": "https://www.justiceinspectorates.gov.uk/hmicfrs/publications/x/",
        "source_url": "https://www.justiceinspectorates.gov.uk/hmicfrs/publications/x/", "confirmed": "true", "note": ""}


def write(tmp_path, *rows, header=COLUMNS):
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow(r)
    path = tmp_path / "ncpi_reports.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_a_good_row_loads_with_typed_values(tmp_path):
    [row] = load_reports(path=write(tmp_path, GOOD), force_ids=FORCE_IDS)
    assert row["published_date"] == dt.date(2016, 3, 10) and row["confirmed"] is True
    assert row["fieldwork_start"] is None and row["lead_inspector"] is None


@pytest.mark.parametrize("change,message", [
    ({"kind": "unknown"}, "kind 'unknown' is not one of"),
    ({"force_id": "kentish"}, "force_id 'kentish' is not in forces.csv"),
    ({"published_date": "10/03/2016"}, "published_date '10/03/2016' is not a date"),
    ({"report_id": "kent-inspection-2015"}, "report_id kent-inspection-2015 should be kent-inspection-2016"),
    ({"confirmed": "yes"}, "confirmed must be true or false"),
    ({"fieldwork_start": "2016-01-01"}, "fieldwork_start and fieldwork_end go together"),
    ({"fieldwork_start": "2016-05-01", "fieldwork_end": "2016-05-31"}, "fieldwork starts after the report was published"),
    ({"url": "", "confirmed": "true"}, "a confirmed row needs its title, url and day of publication"),
    ({"source_url": "file:///etc/passwd"}, "neither an http(s) URL nor a raw/ path"),
])
def test_a_bad_row_is_refused_naming_the_file_and_row(tmp_path, change, message):
    path = write(tmp_path, dict(GOOD, report_id="kent-inspection-2015", published_date="2015-01-05"), dict(GOOD, **change))
    if change.get("report_id") == "kent-inspection-2015":
        path = write(tmp_path, dict(GOOD, **change))
    with pytest.raises(CatalogueError) as err:
        load_reports(path=path, force_ids=FORCE_IDS)
    assert str(path) in str(err.value) and "row " in str(err.value)
    assert message in str(err.value)


def test_a_second_report_of_a_kind_in_one_year_is_numbered(tmp_path):
    later = dict(GOOD, report_id="kent-inspection-2016-2", published_date="2016-11-02",
                 url="https://www.justiceinspectorates.gov.uk/hmicfrs/publications/y/")
    rows = load_reports(path=write(tmp_path, later, GOOD))
    assert [r["report_id"] for r in rows] == ["kent-inspection-2016-2", "kent-inspection-2016"]
    swapped = dict(later, report_id="kent-inspection-2016")
    with pytest.raises(CatalogueError, match="repeats row|should be"):
        load_reports(path=write(tmp_path, swapped, GOOD))


def test_a_wrong_header_or_a_huge_file_is_refused(tmp_path):
    with pytest.raises(CatalogueError, match="the header must be"):
        load_reports(path=write(tmp_path, GOOD, header=COLUMNS[:-1]))
    big = tmp_path / "big.csv"
    big.write_text(",".join(COLUMNS) + "\n" + "x" * 1_100_000, encoding="utf-8")
    with pytest.raises(CatalogueError, match="more than a catalogue can be"):
        load_reports(path=big)
    ragged = tmp_path / "ragged.csv"
    ragged.write_text(",".join(COLUMNS) + "\nkent,extra\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="row 2: has"):
        load_reports(path=ragged)


def test_a_bad_catalogue_stops_the_build_with_its_reason(tmp_path):
    from ncpi.build import build

    raw = tmp_path / "raw"
    (raw / "reference").mkdir(parents=True)
    (raw / "doc.txt").write_text("Nothing here.\n", encoding="utf-8")
    write(raw / "reference", dict(GOOD, kind="thematic"))
    with pytest.raises(CatalogueError, match=r"ncpi_reports.csv: row 2: kind 'thematic'"):
        build(raw, tmp_path / "out", workers=1)


COVERAGE = [
    {"force_id": "kent", "report_id": "kent-inspection-2016", "published_date": dt.date(2016, 3, 10), "status": "first_hand"},
    {"force_id": "kent", "report_id": "kent-post_inspection_review-2016", "published_date": dt.date(2016, 11, 2), "status": "nothing"},
    {"force_id": "dorset", "report_id": "dorset-inspection-2015", "published_date": "2015-05-01", "status": "news_only"},
]


def test_the_coverage_chart_is_plain_deterministic_svg():
    svg = coverage_svg(COVERAGE)
    assert svg == coverage_svg(list(reversed(COVERAGE)))
    assert svg.startswith("<svg xmlns=\"http://www.w3.org/2000/svg\"") and svg.rstrip().endswith("</svg>")
    import xml.etree.ElementTree as ET
    root = ET.fromstring(svg)
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert "kent-post_inspection_review-2016: no release yet" in titles
    assert "dorset-inspection-2015: only a news or other copy" in titles
    # one line per force, sorted; the legend counts each state
    assert svg.index(">dorset<") < svg.index(">kent<")
    assert "inspectorate's release in the dataset: 1" in svg.replace("&#x27;", "'")


def test_the_coverage_chart_refuses_an_unknown_state():
    with pytest.raises(ValueError, match="status 'partial'"):
        coverage_svg([dict(COVERAGE[0], status="partial")])
