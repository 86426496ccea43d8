"""Parsed documents to tables (lists of row dicts), and tables to deterministic Parquet."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ncpi.copies import assign_copy_groups, canonical_rank, clear_word_counts
from ncpi.countonce import fold_counted_tables
from ncpi.catalogue import reconcile
from ncpi.faults import crash_point
from ncpi.provenance import OPEN_TYPES, licence_of, source_type_of, withheld_reason
from schemas import TABLES, arrow_schema, table_meta

TABLE_ORDER = list(TABLES)
LIST_COLUMNS = ("quality_flags", "aliases")   # normalised by to_arrow, in place


def assemble(results, forces, reports: list[dict] | None = None) -> tuple[dict[str, list[dict]], list[dict]]:
    """Merge per-document rows into tables. Duplicate raw content is quarantined once.

    Then the dataset-level decisions that no single document can make: who published each
    source and under what licence, which sources are copies of one article, which source
    speaks of which inspection, and which rows repeat a point already counted."""
    tables: dict[str, list[dict]] = {name: [] for name in TABLE_ORDER if name != "quarantine"}
    quarantine: list[dict] = []
    seen_sources: dict[str, str] = {}
    mentions: list[dict] = []
    for parsed, q in results:
        if q is not None:
            quarantine.append(q)
            continue
        sid = parsed.source["source_id"]
        if sid in seen_sources:
            quarantine.append({"path": parsed.source["path"], "sha256": parsed.source["sha256"], "stage": "parse",
                               "rule": "duplicate_content",
                               "reason": f"{parsed.source['path']} has the same bytes as {seen_sources[sid]}; only the first copy is kept"})
            continue
        seen_sources[sid] = parsed.source["path"]
        tables["sources"].append(parsed.source)
        tables["findings"] += parsed.findings
        tables["statements"] += parsed.statements
        tables["contact_notes"] += parsed.contacts
        mentions += [dict(row, source_id=sid) for row in parsed.inspections]
    sources = tables["sources"]
    decide_provenance(sources, subject_inspections(mentions))
    tables["inspections"], tables["inspection_sources"] = merge_inspections(mentions, sources)
    tables["duplicates"] = fold_counted_tables(tables, sources)
    clear_word_counts()   # the ranks are decided: hold no texts past this build
    for source in sources:
        withhold_text(source)
    tables["forces"] = [{
        "force_id": f.force_id, "name": f.name, "short_name": f.short_name, "aliases": list(f.aliases),
        "country": f.country, "region": f.region, "ons_code": f.ons_code,
    } for f in forces]
    # The inspectorate's catalogue (reference data) and each inspection reconciled to it.
    tables["reports"] = list(reports or [])
    tables["inspections"] = reconcile(tables["inspections"], tables["reports"], tables["sources"],
                                      tables.get("inspection_sources"))
    return tables, quarantine


def subject_inspections(mentions: list[dict]) -> dict[str, frozenset]:
    """Each source's subject inspections: what a copy of the same article must share."""
    out: dict[str, set] = {}
    for row in mentions:
        if row["is_subject"]:
            out.setdefault(row["source_id"], set()).add(row["inspection_id"])
    return {sid: frozenset(ids) for sid, ids in out.items()}


def decide_provenance(sources: list[dict], subjects: dict[str, frozenset]) -> None:
    """source_type, licence and copy group of every source row (in place)."""
    for s in sources:
        s["source_type"], s["source_type_rule"] = source_type_of(
            s.get("url"), s.get("publisher"), s.pop("declared_source_type", None))
    assign_copy_groups(sources, subjects)
    by_id = {s["source_id"]: s for s in sources}
    for s in sources:
        canonical = by_id[s["copy_group"]]
        s["licence"] = licence_of(s["source_type"], s.get("publisher"),
                                  copy_of_open=canonical["source_type"] in OPEN_TYPES)


def withhold_text(source: dict) -> None:
    """A source that is not openly licensed keeps its hash, URL and spans, not its text."""
    source["text_withheld"] = withheld_reason(source["licence"])
    if source["text_withheld"]:
        source["text"] = None


INSPECTION_LINK_COLUMNS = ("source_id", "source_ids", "is_subject", "span_start", "span_end")


def _mention_rank(row: dict, sources: dict[str, dict]) -> tuple:
    """Whose values describe an inspection best: a source reporting on it, its canonical copy,
    then canonical order (the inspectorate's own text first)."""
    src = sources[row["source_id"]]
    return (not row["is_subject"], not src["is_canonical"], canonical_rank(src))


def merge_inspections(mentions: list[dict], sources: list[dict]) -> tuple[list[dict], list[dict]]:
    """(inspections, inspection_sources): one inspection row per id, values taken from the best
    source first and filled from the others; one link row per (inspection, source). One sort,
    then one pass: linear in the number of mentions up to the sort."""
    by_id = {s["source_id"]: s for s in sources}
    ordered = sorted(mentions, key=lambda r: (r["inspection_id"], _mention_rank(r, by_id)))
    inspections: dict[str, dict] = {}
    links: dict[tuple[str, str], dict] = {}
    for row in ordered:
        key = row["inspection_id"]
        link = links.setdefault((key, row["source_id"]), {
            "inspection_id": key, "source_id": row["source_id"], "role": "mentioned",
            "span_start": row.get("span_start") or 0, "span_end": row.get("span_end") or 0})
        if row["is_subject"]:
            link["role"] = "subject"
        have = inspections.get(key)
        if have is None:
            inspections[key] = {c: v for c, v in row.items() if c not in INSPECTION_LINK_COLUMNS}
            inspections[key]["is_subject"] = bool(row["is_subject"])
            continue
        for col, value in row.items():
            if col not in INSPECTION_LINK_COLUMNS and value is not None and have.get(col) is None:
                have[col] = value
        have["is_subject"] = have["is_subject"] or bool(row["is_subject"])
    return list(inspections.values()), list(links.values())


def sort_rows(name: str, rows: list[dict]) -> list[dict]:
    pk = table_meta(TABLES[name])["primary_key"]
    return sorted(rows, key=lambda r: tuple("" if r.get(k) is None else str(r.get(k)) for k in pk))


def to_arrow(name: str, rows: list[dict]) -> pa.Table:
    schema = arrow_schema(TABLES[name])
    rows = sort_rows(name, rows)
    for r in rows:
        for col in LIST_COLUMNS:
            if col in r and r[col] is not None:
                r[col] = sorted(r[col]) if col != "aliases" else list(r[col])
    return pa.Table.from_pylist(rows, schema=schema)


def atomic_write_parquet(table: pa.Table, path: Path) -> None:
    """Write to a temporary file beside the target, fsync, then rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="zstd", compression_level=3, use_dictionary=True,
                       write_statistics=True, store_schema=True)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_tables(tables: dict[str, list[dict]], out_dir: Path) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name in TABLE_ORDER:
        path = out_dir / f"{name}.parquet"
        atomic_write_parquet(to_arrow(name, tables.get(name, [])), path)
        written[name] = path
        crash_point("build")   # fault tests: die with one table of seven rewritten
    return written
