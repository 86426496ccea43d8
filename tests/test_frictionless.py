"""A release passes a plain `frictionless validate` (no --skip-errors), and that check has teeth.

frictionless is a test dependency (pyproject.toml), so these tests fail rather than skip
when it is missing.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import frictionless
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ncpi.release import cut_release, find_problems
from tests.release_fixtures import base_tables, cut_sample_release, write_tables

ROOT = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).parent / "frictionless"


def validate(release: Path) -> tuple[int, dict]:
    """Run the real CLI exactly as a user would: no options but --json for reading the report."""
    proc = subprocess.run([str(CLI), "validate", "--json", "datapackage.json"], cwd=release,
                          capture_output=True, text=True, timeout=180)
    return proc.returncode, json.loads(proc.stdout)


def errors(report: dict) -> list[tuple[str, str, str | None]]:
    return [(t["name"], e["type"], e.get("fieldName")) for t in report["tasks"] for e in t["errors"]]


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    return cut_sample_release(tmp_path_factory.mktemp("fl") / "warehouse")


def tampered(release: Path, tmp_path: Path, table: str, tables: dict) -> Path:
    """A copy of the release with one table replaced (hashes left stale: frictionless ignores them)."""
    out = tmp_path / "rel"
    shutil.copytree(release, out)
    src = write_tables(tmp_path / "tables", tables)
    shutil.copyfile(src / f"{table}.parquet", out / f"{table}.parquet")
    return out


def test_plain_frictionless_validate_passes(release):
    code, report = validate(release)
    assert code == 0 and report["valid"] is True, errors(report)
    # Every table was read, row by row, including the list and time columns.
    dp = json.loads((release / "datapackage.json").read_text("utf-8"))
    read = {t["name"]: t["stats"].get("rows") or 0 for t in report["tasks"]}
    assert read == {r["name"]: r["rows"] for r in dp["resources"]}
    assert read["contact_notes"] == 2 and read["forces"] == 3


def test_descriptor_alone_is_valid_and_the_check_is_not_vacuous(release, tmp_path):
    path = release / "datapackage.json"
    report = frictionless.Package.validate_descriptor(str(path))
    assert report.valid, [e.message for e in report.errors]
    bad = json.loads(path.read_text("utf-8"))
    bad["resources"][0]["rows"] = "many"
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    assert not frictionless.Package.validate_descriptor(str(tmp_path / "bad.json")).valid


def test_unknown_foreign_key_fails(release, tmp_path):
    tables = base_tables()
    tables["findings"][0]["force_id"] = "atlantis"
    code, report = validate(tampered(release, tmp_path, "findings", tables))
    assert code != 0
    assert ("findings", "foreign-key", None) in errors(report)


def test_constraint_violation_fails(release, tmp_path):
    tables = base_tables()
    tables["contact_notes"][0]["phone_e164"] = "020 3513 0600"      # not E.164
    code, report = validate(tampered(release, tmp_path, "contact_notes", tables))
    assert code != 0
    assert ("contact_notes", "constraint-error", "phone_e164") in errors(report)


def test_null_in_a_required_list_column_fails(release, tmp_path):
    """Declaring lists `any` keeps the required check: a missing list is still an error."""
    out = tmp_path / "rel"
    shutil.copytree(release, out)
    t = pq.read_table(out / "forces.parquet")
    i = t.schema.get_field_index("aliases")
    t = t.set_column(i, pa.field("aliases", pa.list_(pa.string())), pa.array([["x"], None, []], pa.list_(pa.string())))
    pq.write_table(t, out / "forces.parquet")
    code, report = validate(out)
    assert code != 0
    assert ("forces", "constraint-error", "aliases") in errors(report)


def test_real_build_passes_plain_frictionless_validate(tmp_path):
    """The seeds of raw/ built by the project's builder: an empty quarantine table, real lists and times."""
    from ncpi.build import build

    w = tmp_path / "warehouse"
    build(ROOT / "raw", w / "tables")
    cut_release(w / "tables", w / "releases")
    rel = w / "releases" / "1.0.0"
    assert find_problems(rel) == []
    code, report = validate(rel)
    assert code == 0 and report["valid"] is True, errors(report)
