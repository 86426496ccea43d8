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


# --- discovery and backfill against a local fixture site on 127.0.0.1 ------------------------
import re  # noqa: E402

from werkzeug.wrappers import Response as WResponse  # noqa: E402

SITE = ROOT / "tests" / "fixtures" / "site"
FAST = dict(per_host_delay=0, retries=0, backoff_factor=0, read_timeout=2, connect_timeout=2,
            max_bytes=200_000, max_seconds=10, retry_after_max=1)


def serve_site(server):
    """Every SITE/<path>/index.html at /<path>/, {{BASE}} replaced; anything else is a 404."""
    base = server.url_for("").rstrip("/")

    def handler(request):
        page = SITE / request.path.strip("/") / "index.html"
        if request.path.endswith("/") and page.is_file():
            body = page.read_text(encoding="utf-8").replace("{{BASE}}", base)
            return WResponse(body, status=200, content_type="text/html; charset=utf-8")
        return WResponse("not found", status=404, content_type="text/plain")

    server.expect_request(re.compile(".*")).respond_with_handler(handler)
    return base


def catalogue_csv(base: str, *, real_hosts: bool = True) -> str:
    """A catalogue whose report pages are on the fixture site; Derbyshire's and Norfolk's on
    the inspectorate's real hosts, or (real_hosts=False, for a test that fetches) on the local
    server too, where they are missing: tests never reach the internet."""
    real = "https://hmicfrs.justiceinspectorates.gov.uk" if real_hosts else f"{base}/hmicfrs"
    real_www = "https://www.justiceinspectorates.gov.uk/hmicfrs" if real_hosts else f"{base}/hmicfrs"
    rows = [
        dict(GOOD, report_id="dorset-post_inspection_review-2016", force_id="dorset",
             title="Dorset – National child protection post-inspection review", kind="post_inspection_review",
             published_date="2016-03-03", url=f"{base}/hmicfrs/publications/dorset-national-child-protection-post-inspection-review/",
             source_url=f"{base}/hmicfrs/publications/dorset-national-child-protection-post-inspection-review/"),
        dict(GOOD, report_id="derbyshire-re_inspection-2022", force_id="derbyshire", kind="re_inspection",
             title="Derbyshire – National child protection re‑inspection", published_date="2022-10-21",
             url=f"{real}/publications/derbyshire-national-child-protection-reinspection/",
             source_url=f"{real}/publications/derbyshire-national-child-protection-reinspection/"),
        dict(GOOD, report_id="kent-inspection-2024", published_date="2024-06-12", fieldwork_start="2024-02-01", fieldwork_end="2024-02-29",
             url=f"{base}/hmicfrs/publications/kent-national-child-protection-inspection/",
             source_url=f"{base}/hmicfrs/publications/kent-national-child-protection-inspection/"),
        dict(GOOD, report_id="norfolk-inspection-2014", force_id="norfolk", title="Norfolk – national child protection inspection",
             published_date="2014-08-29", url=f"{real_www}/publications/norfolk-national-child-protection-inspection/",
             source_url=f"{real_www}/publications/norfolk-national-child-protection-inspection/"),
    ]
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return out.getvalue()


def test_the_publication_listing_is_walked_and_new_reports_proposed_for_review(http_server, tmp_path):
    from ncpi.fetch import parse_registry
    from ncpi.fetch.catalogue import discover_reports

    base = serve_site(http_server)
    raw = tmp_path / "raw"
    (raw / "reference").mkdir(parents=True)
    curated = "".join(line + "\n" for line in catalogue_csv(base).splitlines() if not line.startswith("kent-"))
    (raw / "reference" / "ncpi_reports.csv").write_text(curated, encoding="utf-8")
    reg = parse_registry({"fetch": FAST, "report_listing": [{"url": f"{base}/hmicfrs/publications/", "max_pages": 10}]})
    result = discover_reports(reg, raw, today=dt.date(2026, 12, 2))

    [walk] = result.walks
    assert [p.removeprefix(base) for p in walk.pages] == [
        "/hmicfrs/publications/", "/hmicfrs/publications/page/2/", "/hmicfrs/publications/page/3/"]
    assert "already read" in walk.stopped                      # page 3's Next points back to page 1
    assert result.known == 2                                   # Dorset, and Derbyshire under another host name
    path = raw / "reference" / "ncpi_reports.proposed.csv"
    proposed = {r["report_id"]: r for r in csv.DictReader(open(path, encoding="utf-8"))}
    # Kent (dated on the listing) and Gwent (no date shown: the year of discovery, said so);
    # not PEEL, the thematic report, the joint inspection, the methodology, a quarterly
    # update, nor the link to another host.
    assert set(proposed) == {"kent-inspection-2024", "gwent-inspection-2026"}
    kent = proposed["kent-inspection-2024"]
    assert kent["title"] == "Kent – National child protection inspection"
    assert (kent["published_date"], kent["published_precision"], kent["confirmed"]) == ("2024-06-12", "day", "false")
    assert kent["url"] == f"{base}/hmicfrs/publications/kent-national-child-protection-inspection/"
    gwent = proposed["gwent-inspection-2026"]
    assert gwent["published_precision"] == "year" and "no date" in gwent["note"]
    # The curated file is never touched by discovery; a second run proposes nothing new.
    assert (raw / "reference" / "ncpi_reports.csv").read_text(encoding="utf-8") == curated
    again = discover_reports(reg, raw, today=dt.date(2026, 12, 9))
    assert again.proposed == [] and again.known == 4
    assert set(r["report_id"] for r in csv.DictReader(open(path, encoding="utf-8"))) == set(proposed)


def test_a_listing_walk_stops_at_its_page_limit_and_at_another_host(http_server, tmp_path):
    from ncpi.fetch import parse_registry
    from ncpi.fetch.catalogue import discover_reports

    base = serve_site(http_server)
    reg = parse_registry({"fetch": FAST, "report_listing": [{"url": f"{base}/hmicfrs/publications/", "max_pages": 2}]})
    result = discover_reports(reg, tmp_path, today=dt.date(2026, 12, 2))
    assert len(result.walks[0].pages) == 2 and "max_pages = 2" in result.walks[0].stopped

    from ncpi.fetch.catalogue import walk_listing
    pages = {"http://127.0.0.1:1/a/": ('<a rel="next" href="http://10.0.0.1/b/">Next</a>', "http://127.0.0.1:1/a/", None)}
    walk, _ = walk_listing(lambda url: pages[url], "http://127.0.0.1:1/a/", link_pattern=None, max_pages=5)
    assert walk.pages == ["http://127.0.0.1:1/a/"] and "another host" in walk.stopped


def test_a_failing_listing_is_reported_and_nothing_is_proposed(http_server, tmp_path):
    from ncpi.fetch import parse_registry
    from ncpi.fetch.catalogue import discover_reports

    base = serve_site(http_server)
    reg = parse_registry({"fetch": FAST, "report_listing": [{"url": f"{base}/nowhere/"}]})
    result = discover_reports(reg, tmp_path)
    assert result.failed and "404" in result.failed[0].error
    assert not (tmp_path / "reference" / "ncpi_reports.proposed.csv").exists()
    assert "1 listing(s) failed" in result.summary()


def test_registry_paginated_listing_and_catalogue_pages(tmp_path):
    from ncpi.fetch import RegistryError, parse_registry
    from ncpi.fetch.registry import load_registry

    reg = parse_registry({"listing": [{"url": "https://a.example/news/", "page_url": "https://a.example/news/page/{n}/", "max_pages": 3}]})
    assert [s.url for s in reg.sources] == ["https://a.example/news/", "https://a.example/news/page/2/", "https://a.example/news/page/3/"]
    with pytest.raises(RegistryError, match="not on the listing's host"):
        parse_registry({"listing": [{"url": "https://a.example/news/", "page_url": "https://b.example/news/page/{n}/", "max_pages": 3}]})
    with pytest.raises(RegistryError, match="with \\{n\\}"):
        parse_registry({"listing": [{"url": "https://a.example/news/", "page_url": "https://a.example/news/page/", "max_pages": 3}]})
    with pytest.raises(RegistryError, match="max_pages must be"):
        parse_registry({"report_listing": [{"url": "https://a.example/pubs/", "max_pages": 0}]})
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "ncpi_reports.csv").write_text(catalogue_csv("https://a.example"), encoding="utf-8")
    (tmp_path / "sources.toml").write_text('[catalogue]\nreports = "reference/ncpi_reports.csv"\n'
                                            '[[release]]\nurl = "https://a.example/hmicfrs/publications/kent-national-child-protection-inspection/"\n',
                                            encoding="utf-8")
    reg = load_registry(tmp_path / "sources.toml")
    assert len(reg.releases) == 4          # Kent once, although both the registry and the catalogue name it
    assert sum("catalogue report page" in (r.note or "") for r in reg.releases) == 3


def test_the_project_registry_backfills_from_the_catalogue_and_the_news_listing():
    from ncpi.fetch.registry import load_registry

    reg = load_registry(ROOT / "raw" / "sources.toml")
    urls = {r.url for r in reg.releases}
    assert {r["url"] for r in load_reports() if r["url"]} <= urls
    news = [s.url for s in reg.sources if s.kind == "listing" and "/news/news-feed/" in s.url]
    assert len(news) >= 100 and all(u.startswith("https://hmicfrs.justiceinspectorates.gov.uk/") for u in news)
    assert [r.url for r in reg.report_listings] == ["https://hmicfrs.justiceinspectorates.gov.uk/publications/"]


def test_fetch_then_build_rebuilds_the_history_from_the_local_site(http_server, tmp_path):
    """`ncpi fetch` with a registry pointing at 127.0.0.1, then the build: the catalogue's
    report pages and the news listing's releases back to 2014 are fetched, and every
    release's inspection is reconciled to its catalogue report."""
    import pyarrow.parquet as pq

    from ncpi.build import build
    from ncpi_cli.main import main

    base = serve_site(http_server)
    raw = tmp_path / "raw"
    (raw / "reference").mkdir(parents=True)
    (raw / "reference" / "ncpi_reports.csv").write_text(catalogue_csv(base, real_hosts=False), encoding="utf-8")
    fast = "\n".join(f"{k} = {v}" for k, v in FAST.items())
    (raw / "sources.toml").write_text(f"""[fetch]
{fast}

[catalogue]
reports = "reference/ncpi_reports.csv"

[[listing]]
url = "{base}/hmicfrs/news/news-feed/"
link_pattern = "/news/news-feed/."
page_url = "{base}/hmicfrs/news/news-feed/page/{{n}}/"
max_pages = 3

[[report_listing]]
url = "{base}/hmicfrs/publications/"
""", encoding="utf-8")
    code = main(["fetch", "--raw", str(raw)])
    # Derbyshire's and Norfolk's report pages are missing from the local site: reported,
    # exit status 1, and everything else arrived.
    assert code == 1
    import json
    state = json.loads((raw / "fetched" / ".state.json").read_text(encoding="utf-8"))
    failed = sorted(url.removeprefix(base) for url, st in state["urls"].items() if st.get("outcome") == "failed")
    assert failed == ["/hmicfrs/publications/derbyshire-national-child-protection-reinspection/",
                      "/hmicfrs/publications/norfolk-national-child-protection-inspection/"]
    fetched = sorted(p.name for p in (raw / "fetched").rglob("*.html"))
    assert len(fetched) == 5      # Kent and Dorset report pages; Kent, Dorset, Norfolk releases
    assert not any("peel" in p for p in fetched)
    proposed = (raw / "reference" / "ncpi_reports.proposed.csv").read_text(encoding="utf-8")
    assert "gwent-inspection-" in proposed and "kent-inspection-2024" not in proposed

    out = tmp_path / "tables"
    build(raw, out, workers=1)
    inspections = pq.read_table(out / "inspections.parquet").to_pylist()
    subject_reports = {r["report_id"] for r in inspections if r["is_subject"]}
    assert {"kent-inspection-2024", "dorset-post_inspection_review-2016", "norfolk-inspection-2014"} <= subject_reports
    assert len(pq.read_table(out / "reports.parquet")) == 4


def test_the_coverage_view_answers_which_reviews_have_no_release(tmp_path):
    """Built from raw/: the seeds report on Northumbria's, Humberside's and Norfolk's reviews
    (first-hand) and Cumbria's (a news copy); the catalogue's other reviews have nothing."""
    from ncpi import warehouse
    from ncpi.build import build

    build(ROOT / "raw", tmp_path / "tables", workers=1)
    warehouse.refresh_views(tmp_path)
    con = warehouse.connect(tmp_path)
    status = dict(con.execute("SELECT report_id, status FROM coverage WHERE report_id IS NOT NULL").fetchall())
    assert status["northumbria-post_inspection_review-2019"] == "first_hand"
    assert status["northamptonshire-assessment_of_progress-2021"] == "first_hand"
    assert status["cumbria-post_inspection_review-2017"] == "news_only"
    assert status["cleveland-inspection-2017"] == "news_only"
    assert status["derbyshire-re_inspection-2022"] == "nothing"
    forces = [f for (f,) in con.execute(
        "SELECT DISTINCT force_id FROM coverage WHERE kind = 'post_inspection_review' AND status = 'nothing' ORDER BY 1").fetchall()]
    assert "cambridgeshire" in forces and "metropolitan" in forces
    assert not {"northumbria", "humberside", "norfolk", "cumbria"} & set(forces)
    n_forces = con.execute("SELECT count(DISTINCT force_id) FROM coverage").fetchone()[0]
    assert n_forces == 43
    rows = [dict(zip(("force_id", "report_id", "published_date", "status"), r)) for r in con.execute(
        "SELECT force_id, report_id, published_date, status FROM coverage WHERE report_id IS NOT NULL").fetchall()]
    svg = coverage_svg(rows)
    assert svg.count("<rect ") == len(rows) + 3
