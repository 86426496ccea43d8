"""What the custom pages show, read from the SQLite copy of a release with sqlite3.

Columns are read defensively: the release format grows (licence, text_withheld,
is_canonical, *_rule columns...), so a page uses a column only when the table has it.
"""
from __future__ import annotations

import sqlite3

# Evidence page kinds: URL word -> (table, key column).
EVIDENCE = {"finding": ("findings", "finding_id"), "statement": ("statements", "statement_id")}
# Inspections are put in time order by the first of these dates the table has.
INSPECTION_DATES = ("fieldwork_start", "published_date", "fieldwork_end")


def columns(con: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in con.execute("SELECT * FROM pragma_table_info(?)", [table])]


def tables(con: sqlite3.Connection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE '%VIRTUAL TABLE%'"
        " AND name NOT LIKE '%\\_fts\\_%' ESCAPE '\\' ORDER BY name")]


def _one(con: sqlite3.Connection, table: str, key: str, value) -> dict | None:
    if value is None or table not in tables(con) or key not in columns(con, table):
        return None
    cur = con.execute(f'SELECT * FROM "{table}" WHERE "{key}" = ?', [value])
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row)) if row else None


def highlight(text: str | None, start, end) -> dict | None:
    """The source text cut at the span: {before, marked, after}, or None if it cannot be cut."""
    if text is None or start is None or end is None:
        return None
    if not (0 <= start <= end <= len(text)):
        return None
    return {"before": text[:start], "marked": text[start:end], "after": text[end:]}


def is_copy(row: dict) -> bool:
    """A row read from a non-canonical copy of an article (counted under another row)."""
    return row.get("is_canonical") == 0 or bool(row.get("duplicate_of"))


def evidence(con: sqlite3.Connection, kind: str, row_id: str) -> dict | None:
    """Everything the evidence page of one finding or statement shows, or None if unknown."""
    if kind not in EVIDENCE:
        return None
    table, key = EVIDENCE[kind]
    row = _one(con, table, key, row_id)
    if row is None:
        return None
    source = _one(con, "sources", "source_id", row.get("source_id")) or {}
    return {
        "kind": kind,
        "table": table,
        "key": key,
        "row": row,
        "rules": {c: v for c, v in row.items() if c.endswith("_rule") and v},
        "source": source,
        "withheld": source.get("text_withheld") if source.get("text") is None else None,
        "highlight": highlight(source.get("text"), row.get("span_start"), row.get("span_end")),
        "inspection": _one(con, "inspections", "inspection_id", row.get("inspection_id")),
        "force": _one(con, "forces", "force_id", row.get("force_id")),
        "is_copy": is_copy(row),
        "role": _role(con, row.get("inspection_id"), row.get("source_id")),
        "repeats": _repeats(con, table, row_id),
    }


def _role(con: sqlite3.Connection, inspection_id, source_id) -> str | None:
    """How the source speaks of the row's inspection (subject or mentioned), if recorded."""
    if "inspection_sources" not in tables(con) or "role" not in columns(con, "inspection_sources"):
        return None
    hit = con.execute("SELECT role FROM inspection_sources WHERE inspection_id = ? AND source_id = ?",
                      [inspection_id, source_id]).fetchone()
    return hit[0] if hit else None


def _repeats(con: sqlite3.Connection, table: str, row_id: str) -> list[dict]:
    """Other copies or restatements of this row (the duplicates table), with their sources."""
    if "duplicates" not in tables(con) or not {"table_name", "kept_id", "source_id"} <= set(columns(con, "duplicates")):
        return []
    rows = _rows(con, "SELECT * FROM duplicates WHERE table_name = ? AND kept_id = ? ORDER BY source_id", [table, row_id])
    for r in rows:
        r["source"] = _one(con, "sources", "source_id", r.get("source_id")) or {}
    return rows


def _rows(con: sqlite3.Connection, sql: str, params) -> list[dict]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def force_page(con: sqlite3.Connection, force_id: str, theme: str | None = None) -> dict | None:
    """A force, its inspections in time order, each with its findings (of one theme if
    given) and statements; the themes it has findings in, with counts."""
    force = _one(con, "forces", "force_id", force_id)
    if force is None:
        return None
    have = set(tables(con))
    inspections = []
    if "inspections" in have:
        dates = [c for c in INSPECTION_DATES if c in columns(con, "inspections")]
        # Undated inspections last; the names come from INSPECTION_DATES, never from input.
        order = ", ".join([f'"{c}" IS NULL, "{c}"' for c in dates] + ["inspection_id"])
        inspections = _rows(con, f'SELECT * FROM inspections WHERE force_id = ? ORDER BY {order}', [force_id])
    findings = []
    themes: dict[str, int] = {}
    if "findings" in have:
        findings = _rows(con, "SELECT * FROM findings WHERE force_id = ? ORDER BY source_id, span_start", [force_id])
        for f in findings:
            themes[f.get("theme")] = themes.get(f.get("theme"), 0) + 1
        if theme:
            findings = [f for f in findings if f.get("theme") == theme]
    statements = []
    if "statements" in have:
        statements = _rows(con, "SELECT * FROM statements WHERE force_id = ? ORDER BY source_id, span_start", [force_id])
    for ins in inspections:
        ins["findings"] = [f for f in findings if f.get("inspection_id") == ins["inspection_id"]]
        ins["statements"] = [s for s in statements if s.get("inspection_id") == ins["inspection_id"]]
    known = {i["inspection_id"] for i in inspections}
    return {
        "force": force,
        "inspections": inspections,
        "unplaced": [f for f in findings if f.get("inspection_id") not in known],
        "themes": dict(sorted(themes.items(), key=lambda kv: str(kv[0]))),
        "theme": theme,
        "shown": len(findings),
    }


def forces_index(con: sqlite3.Connection) -> list[dict]:
    """Every force with its numbers of inspections and findings, most findings first."""
    have = set(tables(con))
    if "forces" not in have:
        return []
    n_ins = "(SELECT count(*) FROM inspections i WHERE i.force_id = f.force_id)" if "inspections" in have else "0"
    n_find = "(SELECT count(*) FROM findings x WHERE x.force_id = f.force_id)" if "findings" in have else "0"
    return _rows(con, f"SELECT f.*, {n_ins} AS n_inspections, {n_find} AS n_findings FROM forces f "
                      "ORDER BY n_findings DESC, f.name", [])
