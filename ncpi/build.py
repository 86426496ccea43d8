"""Build every table from a folder of raw documents: read → parse → assemble → validate → write.

Plain functions; flows/build.py runs the same steps as Prefect tasks. The build reads
only the raw folder (and the forces reference), so the dataset can always be rebuilt
offline, and the same raw input always gives byte-identical Parquet files.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ncpi.ids import sha256_hex
from ncpi.parse.document import ParsedDocument, parse_normalised
from ncpi.parse.forcenames import ForceMatcher, load_reference
from ncpi.paths import REFERENCE_FORCES
from ncpi.rawio import list_documents, read_document
from ncpi.tables import TABLE_ORDER, assemble, write_tables
from ncpi.text.decode import NotText, decode
from ncpi.text.normalise import normalise
from ncpi.validate import validate_tables

MIN_TEXT_CHARS = 40


@dataclass
class BuildReport:
    documents: int = 0
    parsed: int = 0
    quarantined: int = 0
    counts: dict = field(default_factory=dict)
    out_dir: Path | None = None

    def accounting_line(self) -> str:
        return f"documents in: {self.documents} = parsed {self.parsed} + quarantined {self.quarantined}"


def forces_reference(raw_dir: Path) -> Path:
    """raw/reference/forces.csv of the raw folder, else the project's curated copy."""
    local = Path(raw_dir) / "reference" / "forces.csv"
    return local if local.exists() else REFERENCE_FORCES


def parse_one(raw_dir: Path, rel: str, matcher: ForceMatcher) -> tuple[ParsedDocument | None, dict | None]:
    """One document to (parsed, None) or (None, quarantine row). Never raises."""
    doc = read_document(raw_dir, rel)
    if doc.error:
        rule, reason = doc.error
        return None, {"path": rel, "sha256": None, "stage": "read", "rule": rule, "reason": reason}
    digest = sha256_hex(doc.data)
    try:
        text, flags = decode(doc.data)
    except NotText as exc:
        return None, {"path": rel, "sha256": digest, "stage": "read", "rule": exc.rule, "reason": f"{rel}: {exc.reason}"}
    if len(text.strip()) < MIN_TEXT_CHARS:
        return None, {"path": rel, "sha256": digest, "stage": "read", "rule": "empty",
                      "reason": f"{rel} holds {len(text.strip())} characters of text, too little to be a release"}
    try:
        is_html = rel.lower().endswith((".html", ".htm")) or None
        norm = normalise(text, is_html=is_html)
        if len(norm.text.strip()) < MIN_TEXT_CHARS:
            return None, {"path": rel, "sha256": digest, "stage": "parse", "rule": "no_article_text",
                          "reason": f"{rel}: nothing is left once markup and site furniture are removed"}
        return parse_normalised(norm, path=rel, raw=doc.data, meta=doc.meta, matcher=matcher, decode_flags=flags), None
    except Exception as exc:  # a parser bug must not lose the document: quarantine it with the reason
        return None, {"path": rel, "sha256": digest, "stage": "parse", "rule": "parser_error",
                      "reason": f"{rel}: the parser failed ({type(exc).__name__}: {str(exc)[:160]}); please report it"}


def parse_batch(raw_dir: str, rels: list[str], forces_csv: str) -> list[tuple[ParsedDocument | None, dict | None]]:
    matcher = ForceMatcher(load_reference(Path(forces_csv)))
    return [parse_one(Path(raw_dir), rel, matcher) for rel in rels]


def batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def finish(results, raw_dir: Path, out_dir: Path) -> BuildReport:
    """Assemble parsed documents into tables, validate them, write Parquet."""
    forces = load_reference(forces_reference(raw_dir))
    tables, quarantine = assemble(results, forces)
    tables, more = validate_tables(tables)
    quarantine += more
    tables["quarantine"] = quarantine
    write_tables(tables, Path(out_dir))
    report = BuildReport(out_dir=Path(out_dir))
    report.documents = len(results)
    # A document is out when it stopped at read/parse, or its sources row failed validation.
    report.quarantined = len({q["path"] for q in quarantine
                              if q["stage"] != "validate" or q["rule"].startswith("sources.")})
    report.parsed = report.documents - report.quarantined
    report.counts = {name: len(tables[name]) for name in TABLE_ORDER}
    return report


def build(raw_dir: Path, out_dir: Path, *, batch_size: int = 200) -> BuildReport:
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder {raw_dir} does not exist")
    rels = list_documents(raw_dir)
    forces_csv = str(forces_reference(raw_dir))
    results = []
    for chunk in batches(rels, batch_size):
        results += parse_batch(str(raw_dir), chunk, forces_csv)
    return finish(results, raw_dir, out_dir)
