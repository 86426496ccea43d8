"""The build: every table written, byte-identical twice, every document accounted for."""
import hashlib
import shutil
from pathlib import Path

import pyarrow.parquet as pq

from ncpi.build import build

ROOT = Path(__file__).resolve().parents[1]
from schemas import TABLES as _MODELS
TABLES = list(_MODELS)


def digests(d: Path):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.glob("*.parquet"))}


def test_every_table_byte_identical(tmp_path):
    a = build(ROOT / "raw", tmp_path / "a")
    build(ROOT / "raw", tmp_path / "b")
    assert sorted(p.stem for p in (tmp_path / "a").glob("*.parquet")) == sorted(TABLES)
    assert digests(tmp_path / "a") == digests(tmp_path / "b")
    assert a.counts["forces"] == 43
    assert pq.read_table(tmp_path / "a" / "sources.parquet").schema.pandas_metadata is None


def test_bad_documents_are_quarantined_with_reasons(tmp_path):
    raw = tmp_path / "raw"
    (raw / "x").mkdir(parents=True)
    shutil.copy(ROOT / "raw/seeds/000_cd29e191e1a0a13e.txt", raw / "x/a.txt")
    shutil.copy(ROOT / "raw/seeds/000_cd29e191e1a0a13e.txt", raw / "x/copy of a.txt")
    (raw / "x/image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (raw / "x/empty.txt").write_bytes(b"")
    report = build(raw, tmp_path / "out")
    assert report.documents == 4 and report.parsed == 1 and report.quarantined == 3
    assert report.accounting_line() == "documents in: 4 = parsed 1 + quarantined 3"
    q = {r["path"]: r for r in pq.read_table(tmp_path / "out/quarantine.parquet").to_pylist()}
    assert q["x/image.txt"]["rule"] == "not_text" and "PNG" in q["x/image.txt"]["reason"]
    assert q["x/empty.txt"]["rule"] == "empty"
    assert q["x/copy of a.txt"]["rule"] == "duplicate_content" and "x/a.txt" in q["x/copy of a.txt"]["reason"]


def test_validation_catches_a_bad_row(tmp_path):
    """A row that breaks its schema is removed and quarantined, the rest is kept."""
    from ncpi.validate import validate_tables
    from ncpi.parse.forcenames import load_reference
    from ncpi.tables import assemble
    from ncpi.build import parse_one
    from ncpi.parse.forcenames import default_matcher

    doc, _ = parse_one(ROOT / "raw", "seeds/000_cd29e191e1a0a13e.txt", default_matcher())
    doc.findings[0]["polarity"] = "neutral"          # not in the enum
    doc.contacts[0]["phone_e164"] = "020 3513 0600"  # not E.164
    tables, _ = assemble([(doc, None)], load_reference())
    n_findings = len(tables["findings"])
    tables, quarantine = validate_tables(tables)
    assert len(tables["findings"]) == n_findings - 1
    rules = {q["rule"] for q in quarantine}
    assert "findings.polarity.isin(['positive', 'negative'])" in rules
    assert any(r.startswith("contact_notes.phone_e164.str_matches") for r in rules)
    assert all(q["path"] == "seeds/000_cd29e191e1a0a13e.txt" for q in quarantine)
