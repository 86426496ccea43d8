"""Parsed documents to tables (lists of row dicts), and tables to deterministic Parquet."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ncpi.catalogue import reconcile
from ncpi.faults import crash_point
from schemas import TABLES, arrow_schema, table_meta

TABLE_ORDER = list(TABLES)
LIST_COLUMNS = ("source_ids", "quality_flags", "aliases")   # normalised by to_arrow, in place


def assemble(results, forces, reports: list[dict] | None = None) -> tuple[dict[str, list[dict]], list[dict]]:
    """Merge per-document rows into tables. Duplicate raw content is quarantined once."""
    tables: dict[str, list[dict]] = {name: [] for name in TABLE_ORDER if name != "quarantine"}
    quarantine: list[dict] = []
    seen_sources: dict[str, str] = {}
    inspections: dict[str, dict] = {}
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
        for row in parsed.inspections:
            _merge_inspection(inspections, row)
    tables["inspections"] = list(inspections.values())
    tables["forces"] = [{
        "force_id": f.force_id, "name": f.name, "short_name": f.short_name, "aliases": list(f.aliases),
        "country": f.country, "region": f.region, "ons_code": f.ons_code,
    } for f in forces]
    # The inspectorate's catalogue (reference data) and each inspection reconciled to it.
    tables["reports"] = list(reports or [])
    tables["inspections"] = reconcile(tables["inspections"], tables["reports"], tables["sources"],
                                      tables.get("inspection_sources"))
    return tables, quarantine


def _merge_inspection(acc: dict[str, dict], row: dict) -> None:
    """One inspection named by several sources: subject sources' values win, then the first."""
    key = row["inspection_id"]
    have = acc.get(key)
    if have is None:
        acc[key] = dict(row, source_ids=list(row["source_ids"]))
        return
    have["source_ids"] = sorted(set(have["source_ids"]) | set(row["source_ids"]))
    prefer_new = row["is_subject"] and not have["is_subject"]
    for col, value in row.items():
        if col in ("inspection_id", "source_ids", "is_subject"):
            continue
        if value is not None and (have.get(col) is None or prefer_new):
            have[col] = value
    have["is_subject"] = have["is_subject"] or row["is_subject"]


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
