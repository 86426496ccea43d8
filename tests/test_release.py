"""Releases: versions by rule, changelog, ID churn, manifest, card, reproducibility, atomicity, views."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import duckdb
import pandera.pandas as pa
import pyarrow.parquet as pq
import pytest
from pandera.typing import Series

import schemas
from ncpi_cli.main import main as cli_main
from ncpi.release import (
    ReleaseError, check_reproducible, cut_release, find_problems, history_view_sql, history_views_sql,
    verify_reproducible,
)
from ncpi.release import card as card_mod
from ncpi.release import cut as cut_mod
from ncpi.release import manifest as mf
from ncpi.release.diff import MAJOR, MINOR, PATCH, next_version
from tests.release_fixtures import SRC_A, base_tables, digests, finding, write_tables

ROOT = Path(__file__).resolve().parents[1]
RELEASE_FILES = {f"{name}.parquet" for name in schemas.TABLES} | {
    "CHANGES.parquet", "datapackage.json", "SHA256SUMS", "README.md", "findings_by_force.svg",
    "findings_flat.csv", "CITATION.cff", "coverage.svg",
}


@pytest.fixture
def wh(tmp_path):
    """A warehouse folder: tables/ (the build) and releases/."""
    (tmp_path / "warehouse").mkdir()
    return tmp_path / "warehouse"


def cut(wh: Path, tables: dict | None = None, models: dict | None = None):
    write_tables(wh / "tables", tables, models)
    return cut_release(wh / "tables", wh / "releases", models=models)


def changes(release: Path) -> list[dict]:
    return pq.read_table(release / "CHANGES.parquet").to_pylist()


def manifest(release: Path) -> dict:
    return json.loads((release / "datapackage.json").read_text("utf-8"))


# --------------------------------------------------------------------------- first release

def test_first_release_is_1_0_0_with_every_file(wh):
    res = cut(wh)
    assert res is not None and res.version == "1.0.0" and res.previous is None and res.bump == "initial"
    rel = wh / "releases" / "1.0.0"
    assert {p.name for p in rel.iterdir()} == RELEASE_FILES
    assert (wh / "latest").read_text() == "1.0.0\n"
    assert not (wh / "latest").is_symlink()
    # Tables are the build's bytes, untouched.
    for name in schemas.TABLES:
        assert (rel / f"{name}.parquet").read_bytes() == (wh / "tables" / f"{name}.parquet").read_bytes()
    assert find_problems(rel) == []
    log = (wh / "CHANGELOG.md").read_text()
    assert "## 1.0.0" in log and "First release." in log


def test_manifest_is_generated_from_the_schemas(wh, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")     # 2026-01-01: the day the release is cut
    cut(wh)
    dp = manifest(wh / "releases" / "1.0.0")
    assert dp["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert dp["version"] == "1.0.0"
    assert dp["created"] == "2026-01-01T00:00:00Z"          # the release's own date, for its citation
    # what the data covers comes from the data: newest and oldest sources.published_date,
    # fieldwork of the inspections, and who owns which text
    cov = dp["ncpiCoverage"]
    assert cov["sourcesPublished"] == {"from": "2016-03-02", "to": "2019-05-01"}
    assert cov["fieldwork"] == {"from": "2018-01-01", "to": "2019-01-31"}
    assert {(r["sourceType"], r["licence"], r["textWithheld"]) for r in cov["licences"]} == {
        ("inspectorate", "OGL-3.0", False), ("news", "© Police Professional", True)}
    citation = (wh / "releases" / "1.0.0" / "CITATION.cff").read_text()
    assert 'version: "1.0.0"' in citation and 'date-released: "2026-01-01"' in citation
    assert dp["licenses"][0]["name"] == "OGL-UK-3.0"
    assert dp["attribution"] == ("Contains public sector information licensed under the Open Government "
                                 "Licence v3.0.")
    titles = [s["title"] for s in dp["sources"]]
    assert titles[0].startswith("HM Inspectorate of Constabulary and Fire & Rescue Services")
    assert any(t.startswith("Police Professional") for t in titles)
    res = {r["name"]: r for r in dp["resources"]}
    assert list(res) == list(schemas.TABLES) + ["findings_flat", "changes"]
    f = res["findings"]
    assert f["path"] == "findings.parquet" and f["format"] == "parquet"
    assert f["mediatype"] == "application/vnd.apache.parquet"
    assert f["rows"] == 5
    raw = (wh / "releases" / "1.0.0" / "findings.parquet").read_bytes()
    # Size under ncpiBytes, not bytes: frictionless cannot count Parquet bytes (see manifest.py).
    assert f["ncpiBytes"] == len(raw) and "bytes" not in f
    import hashlib
    assert f["hash"] == "sha256:" + hashlib.sha256(raw).hexdigest()
    assert f["schema"]["primaryKey"] == ["finding_id"]
    assert {"fields": ["force_id"], "reference": {"resource": "forces", "fields": ["force_id"]}} in f["schema"]["foreignKeys"]
    fields = {x["name"]: x for x in f["schema"]["fields"]}
    assert [x["name"] for x in f["schema"]["fields"]] == [s["name"] for s in schemas.field_specs(schemas.Findings)]
    assert fields["span_start"]["type"] == "integer" and fields["value"]["type"] == "number"
    assert fields["polarity"]["constraints"]["enum"] == ["positive", "negative"]
    assert fields["finding_id"]["constraints"] == {"required": True, "unique": True, "pattern": "[0-9a-f]{16}"}
    assert fields["text"]["description"].startswith("The finding as printed")
    # Self-reference: resource omitted (Data Package v2).
    ins = res["inspections"]["schema"]["foreignKeys"]
    assert {"fields": ["previous_inspection_id"], "reference": {"fields": ["inspection_id"]}} in ins
    opens = res["contact_notes"]["schema"]["fields"][8]
    assert (opens["name"], opens["type"], opens["ncpiArrowType"]) == ("opens", "time", "time32[ms]")
    # The schema, the manifest and the Parquet file agree on the time unit.
    cn = pq.read_schema(wh / "releases" / "1.0.0" / "contact_notes.parquet")
    assert str(cn.field("opens").type) == "time32[ms]" == str(schemas.arrow_schema(schemas.ContactNotes).field("opens").type)
    # A list is Table Schema `any` (frictionless reads Parquet lists as numpy arrays); the
    # exact type stays in ncpiArrowType and the description says it is a list of strings.
    assert res["forces"]["schema"]["fields"][3] == {
        "name": "aliases", "type": "any", "ncpiArrowType": "list<string>",
        "description": schemas.field_specs(schemas.Forces)[3]["description"] + mf.LIST_NOTE,
        "constraints": {"required": True}}
    assert "list of strings" in mf.LIST_NOTE
    for r in dp["resources"]:
        if r["format"] != "parquet":
            continue     # findings_flat.csv: a CSV has no Arrow types
        for x in r["schema"]["fields"]:
            assert x["type"] != "array" and "ncpiArrowType" in x, (r["name"], x["name"])
    # Canonical JSON: sorted keys, so the text is a function of the content.
    text = (wh / "releases" / "1.0.0" / "datapackage.json").read_text("utf-8")
    assert text == json.dumps(dp, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


# Frictionless checks of the manifest and the data: tests/test_frictionless.py.


# --------------------------------------------------------------------------- SemVer rules

def test_no_change_cuts_nothing(wh):
    cut(wh)
    before = digests(wh)
    assert cut(wh) is None
    assert [p.name for p in (wh / "releases").iterdir()] == ["1.0.0"]
    assert digests(wh) == before


def test_added_rows_are_minor_and_changes_list_exactly_them(wh):
    cut(wh)
    t = base_tables(n_findings=6)      # two more findings: 4 and 5
    res = cut(wh, t)
    assert res.version == "1.1.0" and res.bump == "minor"
    assert "findings: 2 rows added" in res.reason
    new_keys = {finding(4)["finding_id"], finding(5)["finding_id"]}
    rows = changes(wh / "releases" / "1.1.0")
    assert {(r["table"], r["key"], r["change_type"]) for r in rows} == {("findings", k, "added") for k in new_keys}
    assert all(r["churn_key"] is None for r in rows)
    assert res.churn == 0
    assert (wh / "latest").read_text() == "1.1.0\n"
    assert manifest(wh / "releases" / "1.1.0")["ncpiRelease"]["previousVersion"] == "1.0.0"


def test_modified_row_is_patch_with_changed_columns(wh):
    cut(wh)
    t = base_tables()
    t["findings"][1]["text"] = "Finding number 1, corrected"
    t["findings"][1]["theme"] = "overall"
    res = cut(wh, t)
    assert (res.version, res.bump) == ("1.0.1", "patch")
    assert res.reason == "findings: 1 row modified"
    assert changes(wh / "releases" / "1.0.1") == [{
        "table": "findings", "key": t["findings"][1]["finding_id"], "change_type": "modified",
        "changed_columns": ["theme", "text"], "churn_key": None}]


def test_removed_leaf_row_is_patch_removed_referenced_row_is_major(wh):
    cut(wh)
    t = base_tables()
    gone = t["findings"].pop(3)
    res = cut(wh, t)
    assert (res.version, res.bump) == ("1.0.1", "patch")
    assert changes(wh / "releases" / "1.0.1") == [
        {"table": "findings", "key": gone["finding_id"], "change_type": "removed", "changed_columns": [], "churn_key": None}]
    t["forces"] = [f for f in t["forces"] if f["force_id"] != "dyfed-powys"]
    res = cut(wh, t)
    assert (res.version, res.bump) == ("2.0.0", "major")
    assert "forces: 1 row removed" in res.reason


class ForcesNoRegion(pa.DataFrameModel):
    force_id: Series[str] = pa.Field(unique=True, metadata={"arrow": "string"}, description="Slug.")
    name: Series[str] = pa.Field(metadata={"arrow": "string"}, description="Official name.")
    short_name: Series[str] = pa.Field(metadata={"arrow": "string"}, description="Short name.")
    aliases: Series[object] = pa.Field(metadata={"arrow": "list<string>"}, description="Other names.")
    country: Series[str] = pa.Field(metadata={"arrow": "string"}, description="England or Wales.")
    ons_code: Series[str] = pa.Field(metadata={"arrow": "string"}, description="ONS code.")

    class Config:
        metadata = {"name": "forces", "description": "Forces.", "primary_key": ["force_id"]}


class ForcesPlusWebsite(pa.DataFrameModel):
    force_id: Series[str] = pa.Field(unique=True, metadata={"arrow": "string"}, description="Slug.")
    name: Series[str] = pa.Field(metadata={"arrow": "string"}, description="Official name.")
    short_name: Series[str] = pa.Field(metadata={"arrow": "string"}, description="Short name.")
    aliases: Series[object] = pa.Field(metadata={"arrow": "list<string>"}, description="Other names.")
    country: Series[str] = pa.Field(metadata={"arrow": "string"}, description="England or Wales.")
    region: Series[str] = pa.Field(metadata={"arrow": "string"}, description="Region.")
    ons_code: Series[str] = pa.Field(metadata={"arrow": "string"}, description="ONS code.")
    website: Series[str] = pa.Field(nullable=True, metadata={"arrow": "string"}, description="Web site.")

    class Config:
        metadata = {"name": "forces", "description": "Forces.", "primary_key": ["force_id"]}


def test_dropped_column_is_major_added_column_is_minor(wh):
    base = dict(schemas.TABLES, forces=ForcesPlusWebsite)
    assert cut(wh, models=base).version == "1.0.0"
    res = cut(wh, models=dict(schemas.TABLES, forces=ForcesNoRegion))
    assert (res.version, res.bump) == ("2.0.0", "major")
    assert "column forces.region removed" in res.reason
    assert "column forces.website removed" in res.reason
    res = cut(wh, models=base)
    assert (res.version, res.bump) == ("2.1.0", "minor")
    assert "column forces.region added" in res.reason and "column forces.website added" in res.reason
    log = (wh / "CHANGELOG.md").read_text()
    assert log.index("## 2.1.0") < log.index("## 2.0.0") < log.index("## 1.0.0")
    assert "- column forces.region removed" in log


def test_removed_table_is_major(wh):
    cut(wh)
    models = {k: v for k, v in schemas.TABLES.items() if k != "quarantine"}
    res = cut(wh, models=models)
    assert (res.version, res.bump) == ("2.0.0", "major") and "table quarantine removed" in res.reason
    rows = changes(wh / "releases" / "2.0.0")
    assert [(r["table"], r["change_type"]) for r in rows] == [("quarantine", "removed")]
    assert json.loads(rows[0]["key"])[0] == "seeds/broken.bin"     # composite key as a JSON array


def test_relaxed_and_tightened_constraints(wh):
    cut(wh)

    class Q2(schemas.Quarantine):
        stage: Series[str] = pa.Field(isin=["read", "parse", "validate", "publish"],
                                      metadata={"arrow": "string"}, description="Where it was stopped.")

    res = cut(wh, models=dict(schemas.TABLES, quarantine=Q2))
    assert res.bump == "minor" and "quarantine.stage now also allows publish" in res.reason
    res = cut(wh)
    assert res.bump == "major" and "quarantine.stage no longer allows publish" in res.reason


def test_next_version():
    assert next_version(None, MINOR) == (1, 0, 0)
    assert next_version((1, 4, 2), MAJOR) == (2, 0, 0)
    assert next_version((1, 4, 2), MINOR) == (1, 5, 0)
    assert next_version((1, 4, 2), PATCH) == (1, 4, 3)


def test_versions_sort_numerically_not_as_text(wh):
    cut(wh)
    for i in range(10):                       # 1.1.0 … 1.10.0
        t = base_tables(n_findings=5 + i)
        assert cut(wh, t).version == f"1.{i + 1}.0"
    t = base_tables(n_findings=15)
    assert cut(wh, t).version == "1.11.0"     # 1.10.0 is newer than 1.9.0


# --------------------------------------------------------------------------- ID churn

def test_id_churn_is_reported_and_major(wh):
    cut(wh)
    t = base_tables()
    old = t["findings"][2]["finding_id"]
    t["findings"][2]["finding_id"] = "0123456789abcdef"      # same content, new key
    res = cut(wh, t)
    assert res.bump == "major" and res.churn == 1
    assert "findings: 1 key changed for unchanged content (ID churn)" in res.reason
    rows = {(r["key"], r["change_type"]): r for r in changes(wh / "releases" / "2.0.0")}
    assert rows[(old, "removed")]["churn_key"] == "0123456789abcdef"
    assert rows[("0123456789abcdef", "added")]["churn_key"] == old
    card = (wh / "releases" / "2.0.0" / "README.md").read_text()
    assert "ID churn (a key that disappeared while the same content reappeared under another key): 1" in card


def test_id_churn_follows_foreign_keys(wh):
    """A source re-keyed (new raw bytes, same text) re-keys its findings: both are churn, not edits."""
    cut(wh)
    t = base_tables()
    new_src = "fedcba9876543210"
    t["sources"][0]["source_id"] = new_src
    t["sources"][0]["sha256"] = "f" * 64
    for i, f in enumerate(t["findings"][:4]):
        assert f["source_id"] == SRC_A
        f["source_id"] = new_src
        f["finding_id"] = finding(i, source_id=new_src)["finding_id"]
    t["statements"][0]["source_id"] = new_src
    t["statements"][0]["statement_id"] = "00000000000000aa"
    res = cut(wh, t)
    s = res.summaries
    assert s["sources"]["idChurn"] == 1
    assert s["findings"]["idChurn"] == 4 and s["findings"]["removed"] == 4 and s["findings"]["added"] == 4
    assert s["statements"]["idChurn"] == 1
    assert s["findings"]["modified"] == 0


def test_unchanged_input_has_zero_churn_after_a_change(wh):
    cut(wh)
    res = cut(wh, base_tables(n_findings=5))
    assert res.churn == 0 and all(r["churn_key"] is None for r in changes(wh / "releases" / "1.1.0"))


# --------------------------------------------------------------------------- card and chart

def test_card_has_every_section_and_counts(wh):
    cut(wh)
    cut(wh, base_tables(n_findings=6))
    card = (wh / "releases" / "1.1.0" / "README.md").read_text("utf-8")
    for heading in ["## At a glance", "## Sources", "## Changes in this release", "## Data dictionary",
                    "## Known limitations", "## Licence and attribution", "## How to cite",
                    "## Query it with DuckDB"]:
        assert heading in card
    assert "Contains public sector information licensed under the Open Government Licence v3.0." in card
    assert "| findings | 5 | 7 | 2 | 0 | 0 | 0 |" in card
    assert "| `findings.parquet` | 7 |" in card
    assert "MINOR** release after 1.0.0: findings: 2 rows added." in card
    assert "![Findings per force by polarity](findings_by_force.svg)" in card
    for spec in schemas.field_specs(schemas.Inspections):        # data dictionary from the schemas
        assert f"| `{spec['name']}` |" in card


def test_card_sql_examples_run(wh, tmp_path):
    cut(wh)
    rel = wh / "releases" / "1.0.0"
    card = (rel / "README.md").read_text("utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", card, flags=re.S)
    assert len(blocks) >= 3
    con = duckdb.connect(config={"file_search_path": str(rel)})
    for sql in blocks:
        assert con.execute(sql).fetchall(), sql
    first = con.execute(blocks[0]).fetchall()
    assert ("northumbria", "positive", 2) in first and ("norfolk", "positive", 1) in first


def test_svg_chart_counts_findings_by_force_and_polarity(wh):
    cut(wh)
    svg = (wh / "releases" / "1.0.0" / "findings_by_force.svg").read_text("utf-8")
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    tips = sorted(t.text for t in root.findall(".//s:rect/s:title", ns))
    # base_tables: northumbria findings 0..3 → polarity negative for 0 and 3, positive for 1 and 2; norfolk 1 positive
    assert tips == ["Norfolk: 1 positive", "Northumbria: 2 negative", "Northumbria: 2 positive"]
    assert root.find("s:title", ns).text.endswith("1.0.0")


def test_svg_escapes_names_and_handles_no_findings():
    svg = card_mod.render_svg([("A & <B>", 1, 0)], version="1.0.0")
    assert "A &amp; &lt;B&gt;" in svg
    ET.fromstring(svg)
    empty = card_mod.render_svg([], version="1.0.0")
    assert "No findings in this release." in empty
    ET.fromstring(empty)


# --------------------------------------------------------------------------- reproducibility

def test_two_cuts_of_identical_tables_are_byte_identical(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for w in (a, b):
        cut(w)
        cut(w, base_tables(n_findings=6))
    assert digests(a / "releases") == digests(b / "releases")
    assert (a / "CHANGELOG.md").read_bytes() == (b / "CHANGELOG.md").read_bytes()


def test_check_reproducible_detects_any_difference(wh):
    cut(wh)
    cut(wh, base_tables(n_findings=6))
    rel = wh / "releases" / "1.1.0"
    assert check_reproducible(wh / "tables", rel) == []
    # Rebuilding from other tables differs.
    other = write_tables(wh.parent / "other", base_tables(n_findings=7))
    problems = check_reproducible(other, rel)
    assert any(p.startswith("findings.parquet:") for p in problems)
    # A committed file edited by hand differs.
    card = rel / "README.md"
    card.write_text(card.read_text() + "edited\n")
    assert [p.split(":")[0] for p in check_reproducible(wh / "tables", rel)] == ["README.md"]


def test_regenerated_files_differ_is_a_patch(wh, monkeypatch):
    """Same records, but the card generator changed: a PATCH release, so CI's check can be met."""
    cut(wh)
    monkeypatch.setattr(card_mod, "LIMITATIONS", card_mod.LIMITATIONS + ["A new limitation."])
    res = cut(wh)
    assert res is not None and (res.version, res.bump) == ("1.0.1", "patch")
    assert res.reason.startswith("no record or schema changed; the release files were regenerated")
    assert res.regenerated == ["README.md", "datapackage.json"]   # the manifest pins the card's hash
    assert changes(wh / "releases" / "1.0.1") == []
    assert check_reproducible(wh / "tables", wh / "releases" / "1.0.1") == []
    assert cut(wh) is None


def test_verify_reproducible_with_a_build_function(wh, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()

    def fake_build(raw_dir, out_dir):
        assert Path(raw_dir) == raw
        write_tables(out_dir)

    cut(wh)
    assert verify_reproducible(raw, wh / "releases" / "1.0.0", build=fake_build) == []

    def other_build(raw_dir, out_dir):
        write_tables(out_dir, base_tables(n_findings=2))

    assert verify_reproducible(raw, wh / "releases" / "1.0.0", build=other_build)


def test_release_of_the_real_build_reproduces(tmp_path):
    """End to end with the project's builder on raw/: cut, then rebuild from raw/ and compare."""
    build_mod = pytest.importorskip("ncpi.build")
    w = tmp_path / "warehouse"
    build_mod.build(ROOT / "raw", w / "tables")
    res = cut_release(w / "tables", w / "releases")
    assert res.version == "1.0.0"
    assert find_problems(w / "releases" / "1.0.0") == []
    assert verify_reproducible(ROOT / "raw", w / "releases" / "1.0.0") == []
    assert cut_release(w / "tables", w / "releases") is None


# --------------------------------------------------------------------------- atomicity

def test_failure_mid_write_leaves_previous_release_and_latest(wh, monkeypatch):
    cut(wh)
    before = digests(wh / "releases")
    log_before = (wh / "CHANGELOG.md").read_bytes()

    def boom(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(card_mod, "render_card", boom)
    with pytest.raises(OSError, match="disk full"):
        cut(wh, base_tables(n_findings=6))
    assert digests(wh / "releases") == before
    assert [p.name for p in (wh / "releases").iterdir()] == ["1.0.0"]     # no temporary folder left
    assert (wh / "latest").read_text() == "1.0.0\n"
    assert (wh / "CHANGELOG.md").read_bytes() == log_before


def test_hard_crash_mid_write_then_recovery(wh):
    """A process killed while writing leaves a hidden temp folder; latest and 1.0.0 stay; the next cut cleans up."""
    cut(wh)
    before = digests(wh / "releases" / "1.0.0")
    write_tables(wh / "tables", base_tables(n_findings=6))
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from ncpi.release import card, cut_release\n"
        "card.render_card = lambda **kw: os._exit(9)\n"
        f"cut_release(Path({str(wh / 'tables')!r}), Path({str(wh / 'releases')!r}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, timeout=120)
    assert proc.returncode == 9
    leftovers = [p.name for p in (wh / "releases").iterdir() if p.name != "1.0.0"]
    assert len(leftovers) == 1 and leftovers[0].startswith(".tmp-1.1.0-")
    assert digests(wh / "releases" / "1.0.0") == before
    assert (wh / "latest").read_text() == "1.0.0\n"
    # History views must not see the half-written folder.
    con = duckdb.connect(config={"file_search_path": str(wh)})
    for stmt in history_views_sql(wh):
        con.execute(stmt)
    assert con.execute("SELECT DISTINCT release FROM findings_history").fetchall() == [("1.0.0",)]
    res = cut_release(wh / "tables", wh / "releases")
    assert res.version == "1.1.0"
    assert sorted(p.name for p in (wh / "releases").iterdir()) == ["1.0.0", "1.1.0"]


def test_interrupted_before_latest_is_repaired(wh, monkeypatch):
    cut(wh)
    real = cut_mod.atomic_write_text

    def fail_on_latest(path, text):
        if Path(path).name == "latest":
            raise OSError("power cut")
        return real(path, text)

    monkeypatch.setattr(cut_mod, "atomic_write_text", fail_on_latest)
    with pytest.raises(OSError):
        cut(wh, base_tables(n_findings=6))
    assert (wh / "latest").read_text() == "1.0.0\n"     # latest moves last: it did not move
    assert find_problems(wh / "releases" / "1.1.0") == []
    monkeypatch.setattr(cut_mod, "atomic_write_text", real)
    assert cut_release(wh / "tables", wh / "releases") is None   # nothing new …
    assert (wh / "latest").read_text() == "1.1.0\n"             # … but latest is repaired


def test_existing_release_folder_is_never_overwritten(wh):
    cut(wh)
    (wh / "releases" / "1.1.0").mkdir()
    (wh / "releases" / "1.1.0" / "keep.txt").write_text("mine")
    # Not a complete release (no manifest): it is not "the newest", and it is not replaced.
    with pytest.raises(ReleaseError, match="already exists"):
        cut(wh, base_tables(n_findings=6))
    assert (wh / "releases" / "1.1.0" / "keep.txt").read_text() == "mine"


def test_tables_not_matching_the_schema_are_refused(wh):
    write_tables(wh / "tables")
    (wh / "tables" / "statements.parquet").unlink()
    with pytest.raises(ReleaseError, match="statements.parquet is missing"):
        cut_release(wh / "tables", wh / "releases")
    write_tables(wh / "tables", models=dict(schemas.TABLES, forces=ForcesNoRegion))
    with pytest.raises(ReleaseError, match="lacks column 'region'"):
        cut_release(wh / "tables", wh / "releases")
    assert not (wh / "releases").exists() or not any((wh / "releases").iterdir())


# --------------------------------------------------------------------------- DuckDB views

def test_history_views_over_all_releases(wh, tmp_path, monkeypatch):
    cut(wh)
    cut(wh, base_tables(n_findings=6))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)               # relative paths must resolve via file_search_path
    db = wh / "ncpi.duckdb"
    con = duckdb.connect(str(db), config={"file_search_path": str(wh)})
    stmts = history_views_sql(wh)
    assert len(stmts) == 2 * len(schemas.TABLES) + 2
    for stmt in stmts:
        con.execute(stmt)
    con.close()
    con = duckdb.connect(str(db), config={"file_search_path": str(wh)})   # saved views work when reopened
    assert con.execute("SELECT release, count(*) FROM findings_history GROUP BY 1 ORDER BY 1").fetchall() == [
        ("1.0.0", 5), ("1.1.0", 7)]
    assert con.execute("SELECT release, change_type, count(*) FROM changes GROUP BY ALL ORDER BY ALL").fetchall() == [
        ("1.0.0", "added", 20), ("1.1.0", "added", 2)]   # 20: 17 rows and 3 inspection_sources links
    assert con.execute("SELECT release FROM releases ORDER BY version_order DESC LIMIT 1").fetchall() == [("1.1.0",)]
    assert con.execute("SELECT count(*) FROM findings_latest").fetchone() == (7,)
    latest_cols = [d[0] for d in con.execute("SELECT * FROM findings_latest LIMIT 0").description]
    assert latest_cols == schemas.arrow_schema(schemas.Findings).names
    cols = [d[0] for d in con.execute("SELECT * FROM forces_history LIMIT 0").description]
    assert cols[0] == "release" and cols[1:] == schemas.arrow_schema(schemas.Forces).names


def test_history_views_sql_is_static(wh):
    assert history_views_sql(wh) == []                     # no release yet: no view over an empty glob
    cut(wh)
    stmts = history_views_sql(wh)
    assert all(str(wh) not in s for s in stmts)            # paths are relative to the warehouse
    assert all("?" not in s for s in stmts)
    script = history_view_sql()
    assert script.count("CREATE OR REPLACE VIEW") == 2 * len(schemas.TABLES) + 2


# --------------------------------------------------------------------------- CLI

def test_cli_release_and_check(wh, capsys):
    write_tables(wh / "tables")
    args = ["release", "--tables", str(wh / "tables"), "--releases", str(wh / "releases")]
    assert cli_main(args) == 0
    assert "released 1.0.0 (first release)" in capsys.readouterr().out
    assert cli_main(args) == 0
    assert "nothing changed since 1.0.0" in capsys.readouterr().out
    assert cli_main(args + ["--check"]) == 0
    assert "release 1.0.0 is reproducible" in capsys.readouterr().out
    write_tables(wh / "tables", base_tables(n_findings=6))
    assert cli_main(args + ["--check"]) == 1
    err = capsys.readouterr().err
    assert "ncpi release: error: release 1.0.0 is not reproducible: " in err
    assert cli_main(["release", "--tables", str(wh / "nowhere"), "--releases", str(wh / "releases")]) == 1
    assert "no tables folder" in capsys.readouterr().err


def test_release_flow_wrapper_is_thin():
    src = (ROOT / "flows" / "release.py").read_text()
    assert "cut_release(" in src and "import" in src
    assert len([line for line in src.splitlines() if line.strip() and not line.strip().startswith(("#", '"'))]) < 25


def test_release_flow_runs(prefect_harness, tmp_path):
    """flows/release.py only wraps cut_release: one run cuts 1.0.0, the next finds nothing to do."""
    from flows.release import release_flow

    w = tmp_path / "warehouse"
    write_tables(w / "tables")
    res = release_flow(w / "tables", w / "releases")
    assert res.version == "1.0.0" and (w / "latest").read_text() == "1.0.0\n"
    assert release_flow(w / "tables", w / "releases") is None


def test_adding_a_raw_document_cuts_minor_listing_exactly_the_new_rows(tmp_path):
    """The issue's acceptance: unchanged raw/ → nothing; one more document → MINOR with exactly its rows."""
    build_mod = pytest.importorskip("ncpi.build")
    import shutil
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "raw", raw)
    w = tmp_path / "warehouse"
    build_mod.build(raw, w / "tables")
    assert cut_release(w / "tables", w / "releases").version == "1.0.0"
    build_mod.build(raw, w / "tables")
    assert cut_release(w / "tables", w / "releases") is None

    def keys(folder):
        out = set()
        for name, model in schemas.TABLES.items():
            pk = schemas.table_meta(model)["primary_key"]
            for row in pq.read_table(folder / f"{name}.parquet", columns=pk).to_pylist():
                vals = [row[c] for c in pk]
                out.add((name, vals[0] if len(vals) == 1 else json.dumps(vals, separators=(",", ":"))))
        return out

    before = keys(w / "tables")
    shutil.copy(ROOT / "tests" / "fixtures" / "variants" / "100_durham_hard_wrapped.txt", raw / "seeds")
    build_mod.build(raw, w / "tables")
    new = keys(w / "tables") - before
    assert new and any(t == "findings" for t, _ in new)
    res = cut_release(w / "tables", w / "releases")
    assert (res.version, res.bump) == ("1.1.0", "minor")
    rows = changes(w / "releases" / "1.1.0")
    assert {(r["table"], r["key"]) for r in rows} == new
    assert {r["change_type"] for r in rows} == {"added"} and res.churn == 0


def test_ncpi_run_cli_releases_once_then_minor_then_verify_catches_a_flipped_byte(prefect_harness, tmp_path, capsys):
    """The issue's acceptance through the user's commands: `ncpi run` (real Prefect flow) twice on
    the same raw/, then with one more document, then `ncpi verify` on a damaged copy."""
    import shutil
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "raw", raw)
    w = tmp_path / "warehouse"
    run = ["run", "--raw", str(raw), "--warehouse", str(w)]

    assert cli_main(run) == 0
    assert "release: released 1.0.0 (first release)" in capsys.readouterr().out
    assert cli_main(run) == 0
    assert "release: nothing changed since the latest release" in capsys.readouterr().out
    assert sorted(p.name for p in (w / "releases").iterdir()) == ["1.0.0"]

    shutil.copy(ROOT / "tests" / "fixtures" / "variants" / "100_durham_hard_wrapped.txt", raw / "seeds")
    assert cli_main(run) == 0
    out = capsys.readouterr().out
    assert "release: released 1.1.0 (MINOR: " in out
    assert (w / "latest").read_text() == "1.1.0\n"
    new_sources = set(pq.read_table(w / "releases" / "1.1.0" / "sources.parquet", columns=["source_id"]).column(0).to_pylist()) \
        - set(pq.read_table(w / "releases" / "1.0.0" / "sources.parquet", columns=["source_id"]).column(0).to_pylist())
    assert len(new_sources) == 1, (out, changes(w / "releases" / "1.1.0")[:5])
    rows = changes(w / "releases" / "1.1.0")
    assert rows and {r["change_type"] for r in rows} == {"added"}
    assert ("sources", next(iter(new_sources))) in {(r["table"], r["key"]) for r in rows}
    # Every added finding comes from the new document, and every one of them is listed.
    new_findings = {r["finding_id"] for r in pq.read_table(w / "releases" / "1.1.0" / "findings.parquet").to_pylist()
                    if r["source_id"] in new_sources}
    assert {r["key"] for r in rows if r["table"] == "findings"} == new_findings and new_findings

    assert cli_main(["verify", str(w / "releases" / "1.1.0")]) == 0
    capsys.readouterr()
    damaged = tmp_path / "damaged"
    shutil.copytree(w / "releases" / "1.1.0", damaged)
    data = bytearray((damaged / "inspections.parquet").read_bytes())
    data[len(data) // 2] ^= 0x01
    (damaged / "inspections.parquet").write_bytes(bytes(data))
    assert cli_main(["verify", str(damaged)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [err[0]] and err[0].startswith("ncpi verify: error: inspections.parquet: sha256 does not match")


def test_byte_identical_across_processes_and_hash_seeds(tmp_path):
    """CI rebuilds in another process: set ordering or hash seeds must not leak into the files."""
    tables = write_tables(tmp_path / "tables", base_tables(n_findings=6))
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from ncpi.release import cut_release\n"
        "cut_release(Path(sys.argv[1]), Path(sys.argv[2]))\n"
    )
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"wh{seed}" / "releases"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-c", script, str(tables), str(out)], cwd=ROOT, env=env, check=True, timeout=120)
        outs.append(digests(out))
    assert outs[0] == outs[1] and len(outs[0]) == len(RELEASE_FILES)
