"""`ncpi browse`: a release served by Datasette, checked in a real headless Chromium.

The served release is a copy of the committed latest release with the columns the format
is gaining today added (sources.licence, sources.text_withheld with one source's text
withheld, findings.polarity_rule), so the pages are checked both with and without them.
Expectations are read from the Parquet files with DuckDB, never from the site's code.
"""
from __future__ import annotations

import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import requests

from ncpi.browse import build_database, release_dir
from ncpi.browse.database import BrowseError
from ncpi.browse import pages
from ncpi.paths import PROJECT_ROOT, WAREHOUSE_DIR

LATEST = release_dir(WAREHOUSE_DIR)
WITHHELD_REASON = "© Test Outlet Ltd"
WITHHELD_URL = "https://news.invalid/ncpi-story"


def _rows(folder: Path, sql: str, params=None) -> list[dict]:
    """Rows of a query over the release in `folder`, each table registered under its name."""
    con = duckdb.connect()
    for f in folder.glob("*.parquet"):
        con.register(f.stem.lower(), pq.read_table(f))
    rel = con.execute(sql, params or [])
    names = [d[0] for d in rel.description]
    return [dict(zip(names, r)) for r in rel.fetchall()]


def _with_columns(path: Path, **columns) -> None:
    table = pq.read_table(path)
    for name, values in columns.items():
        if name in table.column_names:
            table = table.set_column(table.column_names.index(name), name, pa.array(values, pa.string()))
        else:
            table = table.append_column(name, pa.array(values, pa.string()))
    pq.write_table(table, path)


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> dict:
    """A copy of the latest release with licence, withheld text and rule columns added.
    Returns the folder, the force the browser visits, and the source whose text is withheld
    (one that does not speak of that force)."""
    folder = tmp_path_factory.mktemp("release") / LATEST.name
    folder.mkdir()
    for f in LATEST.iterdir():
        if f.suffix in {".parquet", ".json"}:
            shutil.copy(f, folder / f.name)
    # The force with findings in the most themes: its page has a theme filter worth using.
    force = _rows(folder, "SELECT force_id, count(DISTINCT theme) AS n FROM findings GROUP BY 1 "
                  "ORDER BY n DESC, force_id LIMIT 1")[0]["force_id"]
    withheld = _rows(folder, "SELECT source_id FROM findings GROUP BY 1 "
                     "HAVING bool_and(force_id <> ?) ORDER BY 1 LIMIT 1", [force])[0]["source_id"]
    src = pq.read_table(folder / "sources.parquet")
    ids = src.column("source_id").to_pylist()
    texts = [None if i == withheld else t for i, t in zip(ids, src.column("text").to_pylist())]
    urls = [WITHHELD_URL if i == withheld else u for i, u in zip(ids, src.column("url").to_pylist())]
    src = src.set_column(src.column_names.index("text"), "text", pa.array(texts, pa.string()))
    pq.write_table(src, folder / "sources.parquet")
    _with_columns(folder / "sources.parquet", url=urls,
                  licence=["OGL-3.0" if i != withheld else "Test Outlet Ltd" for i in ids],
                  text_withheld=[WITHHELD_REASON if i == withheld else None for i in ids])
    polarities = pq.read_table(folder / "findings.parquet").column("polarity").to_pylist()
    _with_columns(folder / "findings.parquet", polarity_rule=[f"test.{p}" for p in polarities])
    # One finding read again elsewhere, and how its source speaks of its inspection.
    repeated = _rows(folder, "SELECT * FROM findings WHERE force_id = ? ORDER BY finding_id LIMIT 1", [force])[0]
    pq.write_table(pa.table({
        "duplicate_id": ["0" * 16], "table_name": ["findings"], "row_id": ["1" * 16],
        "kept_id": [repeated["finding_id"]], "relation": ["same_article"], "similarity": [97.0],
        "source_id": [withheld], "inspection_id": [repeated["inspection_id"]], "force_id": [force],
        "span_start": pa.array([0], pa.int32()), "span_end": pa.array([5], pa.int32()), "text": [repeated["text"]],
    }), folder / "duplicates.parquet")
    pq.write_table(pa.table({
        "inspection_id": [repeated["inspection_id"]], "source_id": [repeated["source_id"]], "role": ["subject"],
        "span_start": pa.array([0], pa.int32()), "span_end": pa.array([1], pa.int32()),
    }), folder / "inspection_sources.parquet")
    return {"folder": folder, "force": force, "withheld": withheld, "repeated": repeated["finding_id"]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(release, tmp_path_factory):
    """`ncpi browse` running as a real process on 127.0.0.1; yields its base URL."""
    port = _free_port()
    cache = tmp_path_factory.mktemp("cache")
    proc = subprocess.Popen(
        [sys.executable, "-m", "ncpi_cli.main", "browse", "--release", str(release["folder"]),
         "--port", str(port), "--cache-dir", str(cache)],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):   # a cold start on a busy machine; a bounded number of polls
            if proc.poll() is not None:
                pytest.fail(f"ncpi browse exited early:\n{proc.stdout.read()}")
            try:
                if requests.get(base + "/-/versions.json", timeout=2).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.2)
        else:
            pytest.fail("ncpi browse did not answer")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    driver_bin = shutil.which("chromedriver")
    if not (chromium and driver_bin):
        pytest.skip("Chromium is not installed (apt-get install chromium chromium-driver; .ci/run does)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(driver_bin), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


# --- plain functions -------------------------------------------------------------------

def test_latest_is_what_warehouse_latest_names():
    version = (WAREHOUSE_DIR / "latest").read_text().strip()
    assert release_dir(WAREHOUSE_DIR) == WAREHOUSE_DIR / "releases" / version


def test_missing_release_is_a_clear_error(tmp_path):
    with pytest.raises(BrowseError, match="latest does not exist"):
        release_dir(tmp_path)
    with pytest.raises(BrowseError, match="not a release folder"):
        release_dir(tmp_path, tmp_path / "nope")


def test_database_copies_every_table_and_row(release, tmp_path):
    db = build_database(release["folder"], tmp_path)
    assert build_database(release["folder"], tmp_path) == db   # cached, not rebuilt
    con = sqlite3.connect(db)
    for f in release["folder"].glob("*.parquet"):
        name = f.stem.lower()
        n = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        assert n == pq.read_metadata(f).num_rows, name
        assert pages.columns(con, name) == pq.read_schema(f).names
    # Full-text search finds a finding by a word of its text.
    word = _rows(release["folder"], "SELECT text FROM findings ORDER BY finding_id LIMIT 1")[0]["text"].split()[-1]
    hits = con.execute("SELECT count(*) FROM findings_fts WHERE findings_fts MATCH ?", [f'"{word}"']).fetchone()[0]
    assert hits >= 1


def test_tables_without_a_manifest_take_their_keys_from_the_schemas(release, tmp_path):
    from schemas import TABLES, table_meta

    folder = tmp_path / "tables"
    folder.mkdir()
    for f in release["folder"].glob("*.parquet"):
        shutil.copy(f, folder / f.name)
    con = sqlite3.connect(build_database(folder, tmp_path / "cache"))
    for name in ("findings", "sources", "forces"):
        pk = [r[1] for r in con.execute("SELECT * FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", [name])]
        assert pk == table_meta(TABLES[name])["primary_key"], name


def test_a_port_in_use_is_one_line_and_exit_1(release, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        run = subprocess.run([sys.executable, "-m", "ncpi_cli.main", "browse", "--release", str(release["folder"]),
                              "--port", str(port), "--cache-dir", str(tmp_path)],
                             cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert run.stderr.strip() == (f"ncpi browse: error: port {port} on 127.0.0.1 is in use "
                                  "(another `ncpi browse`?); pass --port with a free one")


def test_a_span_outside_the_text_is_not_highlighted():
    assert pages.highlight("abc", 1, 2) == {"before": "a", "marked": "b", "after": "c"}
    assert pages.highlight("abc", 2, 9) is None
    assert pages.highlight(None, 0, 1) is None


# --- the site --------------------------------------------------------------------------

def test_force_page_filter_by_theme_then_evidence(site, release, browser):
    from selenium.webdriver.common.by import By

    folder, force = release["folder"], release["force"]
    browser.get(f"{site}/force/{force}")
    name = _rows(folder, "SELECT name FROM forces WHERE force_id = ?", [force])[0]["name"]
    assert browser.find_element(By.TAG_NAME, "h1").text == name

    # Inspections in time order (undated last).
    expected = [r["inspection_id"] for r in _rows(
        folder, "SELECT inspection_id FROM inspections WHERE force_id = ? "
        "ORDER BY fieldwork_start NULLS LAST, published_date NULLS LAST, fieldwork_end NULLS LAST, inspection_id", [force])]
    shown = [s.get_attribute("id").removeprefix("inspection-") for s in browser.find_elements(By.CSS_SELECTOR, "section.inspection")]
    assert shown == expected

    # Filter by the force's most frequent theme.
    theme = _rows(folder, "SELECT theme, count(*) AS n FROM findings WHERE force_id = ? GROUP BY 1 "
                  "ORDER BY n DESC, theme LIMIT 1", [force])[0]["theme"]
    browser.find_element(By.CSS_SELECTOR, f'#theme-filter a[data-theme="{theme}"]').click()
    items = browser.find_elements(By.CSS_SELECTOR, "li.finding")
    want = {r["finding_id"] for r in _rows(folder, "SELECT finding_id FROM findings WHERE force_id = ? AND theme = ?", [force, theme])}
    assert {li.get_attribute("data-finding-id") for li in items} == want
    assert {li.get_attribute("data-theme") for li in items} == {theme}

    # Open the first finding's evidence page: the highlighted span is the row's text.
    first = items[0].get_attribute("data-finding-id")
    items[0].find_element(By.CSS_SELECTOR, "a.evidence").click()
    row = _rows(folder, "SELECT * FROM findings WHERE finding_id = ?", [first])[0]
    mark = browser.find_element(By.CSS_SELECTOR, "#source-text mark")
    assert mark.get_attribute("textContent") == row["text"]
    rules = "; ".join(f"{c} = {v}" for c, v in row.items() if c.endswith("_rule") and v)
    assert browser.find_element(By.ID, "rules").text == rules
    assert f"polarity_rule = {row['polarity_rule']}" in rules
    assert browser.find_element(By.ID, "source-licence").text == "OGL-3.0"
    assert row["inspection_id"] in browser.find_element(By.ID, "inspection").text
    assert name in browser.find_element(By.ID, "force").text


def test_withheld_source_shows_reason_and_link(site, release, browser):
    from selenium.webdriver.common.by import By

    fid = _rows(release["folder"], "SELECT finding_id FROM findings WHERE source_id = ? ORDER BY 1 LIMIT 1",
                [release["withheld"]])[0]["finding_id"]
    browser.get(f"{site}/evidence/finding/{fid}")
    note = browser.find_element(By.ID, "withheld")
    assert WITHHELD_REASON in note.text
    assert note.find_element(By.TAG_NAME, "a").get_attribute("href") == WITHHELD_URL
    assert not browser.find_elements(By.CSS_SELECTOR, "#source-text")


def test_evidence_names_the_other_copies_and_the_sources_role(site, release):

    html = requests.get(f"{site}/evidence/finding/{release['repeated']}", timeout=30).text
    repeats = html.split('<ul id="repeats">', 1)[1].split("</ul>", 1)[0]
    assert repeats.count("<li>") == 1
    assert "same article" in repeats and WITHHELD_URL in repeats
    assert "(the source reports on it)" in html


def test_statement_evidence_page(site, release):
    row = _rows(release["folder"], "SELECT * FROM statements WHERE source_id <> ? ORDER BY statement_id LIMIT 1", [release["withheld"]])[0]
    html = requests.get(f"{site}/evidence/statement/{row['statement_id']}", timeout=30).text
    assert '<mark id="span">' in html
    assert row["speaker_name"] in html
    assert requests.get(f"{site}/evidence/statement/0000000000000000", timeout=30).status_code == 404


def test_tables_have_descriptions_facets_search_csv_and_json(site, release):
    from markupsafe import escape

    from schemas import TABLES, field_specs

    page = requests.get(f"{site}/ncpi/findings", timeout=30).text
    served = pq.read_schema(release["folder"] / "findings.parquet").names
    for spec in field_specs(TABLES["findings"]):
        if spec["name"] in served:   # the schemas may be ahead of the committed release
            assert str(escape(spec["description"])) in page, spec["name"]
    facets = requests.get(f"{site}/ncpi/findings.json?_facet=theme", timeout=30).json()["facet_results"]
    assert "theme" in facets
    text = _rows(release["folder"], "SELECT text FROM findings ORDER BY finding_id LIMIT 1")[0]["text"]
    word = max(text.split(), key=len).strip(",.;:()'’‘")
    hits = requests.get(f"{site}/ncpi/findings.json", params={"_search": word, "_shape": "array"}, timeout=30).json()
    assert text in [h["text"] for h in hits]
    rows = requests.get(f"{site}/ncpi/findings_of_a_force.json", params={"force_id": release["force"], "_shape": "array"},
                        timeout=30).json()
    want = _rows(release["folder"], "SELECT finding_id FROM findings WHERE force_id = ?", [release["force"]])
    assert sorted(r["finding_id"] for r in rows) == sorted(r["finding_id"] for r in want)
    csv = requests.get(f"{site}/ncpi/forces.csv?_size=max", timeout=30).text
    assert len(csv.strip().splitlines()) == pq.read_metadata(release["folder"] / "forces.parquet").num_rows + 1
