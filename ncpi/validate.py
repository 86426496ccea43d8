"""Validate tables against their pandera models (lazily) and each other (keys).

Failing rows are removed and returned as quarantine rows naming the file and the check,
so one bad row never stops the build. A source that fails takes its rows with it.
"""
from __future__ import annotations

from ncpi.countonce import COUNTED_TABLES
from schemas import TABLES, table_meta
from ncpi.tables import LIST_COLUMNS, to_arrow

import pandera.pandas as pa

CHILDREN = ["inspections", "findings", "statements", "contact_notes"]


def _pandera_failures(name: str, rows: list[dict]) -> dict[int, list[str]]:
    """Row index -> failed check names, for rows in the order given."""
    if not rows:
        return {}
    model = TABLES[name]
    # to_arrow normalises list columns in place; copy rows only where it would (a shallow
    # copy of 100,000 findings is ~1 s and tens of MiB for nothing).
    if any(col in rows[0] for col in LIST_COLUMNS):
        rows = [dict(r) for r in rows]
    df = to_arrow(name, rows).to_pandas()
    # Arrow hands a nullable int column to pandas as float64; give it the model's Int32 back.
    for col, column in model.to_schema().columns.items():
        if str(column.dtype) == "Int32" and col in df:
            df[col] = df[col].astype("Int32")
    bad: dict[int, list[str]] = {}
    try:
        model.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        for _, case in fc.iterrows():
            idx = case.get("index")
            check = f"{name}.{case.get('column')}.{case.get('check')}"
            if idx is None or idx != idx:
                # A table-level failure (a missing column, a wrong dtype) fails every row.
                for i in range(len(rows)):
                    bad.setdefault(i, []).append(check)
            else:
                bad.setdefault(int(idx), []).append(check)
    return bad


def validate_tables(tables: dict[str, list[dict]]) -> tuple[dict[str, list[dict]], list[dict]]:
    quarantine: list[dict] = []
    paths = {s["source_id"]: (s["path"], s["sha256"]) for s in tables.get("sources", [])}
    # An inspection row has no source of its own: a failure is reported against its first source.
    first_source: dict[str, str] = {}
    for link in tables.get("inspection_sources", []):
        first_source.setdefault(link["inspection_id"], link["source_id"])

    def reject(name: str, row: dict, rule: str, why: str):
        path, sha = paths.get(row.get("source_id") or first_source.get(row.get("inspection_id")),
                              (row.get("path", "?"), row.get("sha256")))
        key = table_meta(TABLES[name])["primary_key"]
        quarantine.append({"path": path, "sha256": sha, "stage": "validate", "rule": rule,
                           "reason": f"{path}: {name} row {', '.join(str(row.get(k)) for k in key)} {why}"})

    # Per-table schema checks. to_arrow sorts rows, so sort first to keep indexes aligned.
    from ncpi.tables import sort_rows
    for name in TABLES:
        if name == "quarantine" or name not in tables:
            continue
        rows = sort_rows(name, tables[name])
        bad = _pandera_failures(name, rows)
        kept = []
        for i, row in enumerate(rows):
            if i in bad:
                reject(name, row, bad[i][0], f"failed {', '.join(sorted(set(bad[i])))}")
            else:
                kept.append(row)
        tables[name] = kept

    # A rejected source takes its rows with it, so no row points at a missing source.
    source_ids = {s["source_id"] for s in tables["sources"]}
    force_ids = {f["force_id"] for f in tables["forces"]}
    for name in ("findings", "statements", "contact_notes", "duplicates", "inspection_sources"):
        tables[name] = [r for r in tables.get(name, []) if r["source_id"] in source_ids]
    # An inspection no surviving source speaks of goes too.
    spoken_of = {r["inspection_id"] for r in tables["inspection_sources"]}
    tables["inspections"] = [r for r in tables["inspections"] if r["inspection_id"] in spoken_of]

    # Foreign keys.
    def fk(name, col, allowed, rule, nullable=False):
        kept = []
        for r in tables[name]:
            v = r.get(col)
            if (v is None and nullable) or v in allowed:
                kept.append(r)
            else:
                reject(name, r, rule, f"has {col}={v!r}, which is not a known key")
        tables[name] = kept

    fk("reports", "force_id", force_ids, "unknown_force")
    fk("inspections", "force_id", force_ids, "unknown_force")
    report_ids = {r["report_id"] for r in tables.get("reports", [])}
    for r in tables["inspections"]:
        if r.get("report_id") not in report_ids:
            r["report_id"] = None
    inspection_ids = {r["inspection_id"] for r in tables["inspections"]}
    for r in tables["inspections"]:
        if r.get("previous_inspection_id") not in inspection_ids:
            r["previous_inspection_id"] = None
    fk("inspection_sources", "inspection_id", inspection_ids, "unknown_inspection")
    subjects = {r["inspection_id"] for r in tables["inspection_sources"] if r["role"] == "subject"}
    for r in tables["inspections"]:   # is_subject is derived from the links, so the two never disagree
        r["is_subject"] = r["inspection_id"] in subjects
    for name in ("findings", "statements"):
        fk(name, "force_id", force_ids, "unknown_force", nullable=(name == "statements"))
        fk(name, "inspection_id", inspection_ids, "unknown_inspection", nullable=(name == "statements"))
    # A duplicate keeps its evidence even when the row it repeats was rejected: it just names none.
    counted = {name: {r[key] for r in tables[name]} for name, key in COUNTED_TABLES.items()}
    for r in tables.get("duplicates", []):
        if r["kept_id"] is not None and r["kept_id"] not in counted[r["table_name"]]:
            r["kept_id"], r["similarity"] = None, None
    return tables, quarantine
