"""What changed between two releases, and what SemVer bump that calls for.

The rules follow the Frictionless "Data Package Version" recipe:

- MAJOR: a table or column removed or renamed, a column's type changed, a constraint
  made stricter (a column now required, an enum value dropped, a pattern or key
  changed), rows removed from a table other tables refer to (sources, forces,
  inspections), or ID churn (a key replaced by another for the same content).
- MINOR: a table, column or rows added, a constraint relaxed.
- PATCH: existing rows corrected, rows removed from a leaf table (a finding that
  should not have been read), descriptions changed, or regenerated files that differ
  while no record changed.

Rows are compared by primary key; the content of a row is every other column.
ID churn: a removed key whose content (columns other than the key and the raw-bytes
digest `sha256`, with foreign keys mapped through the parents' churn) reappears
under an added key.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ncpi.release.fsutil import ReleaseError
from schemas._base import table_meta

MAJOR, MINOR, PATCH = 3, 2, 1
LEVEL_NAMES = {MAJOR: "major", MINOR: "minor", PATCH: "patch"}
CHURN_IGNORED_COLUMNS = {"sha256"}


@dataclass
class TableDiff:
    name: str
    rows_before: int | None          # None: the table is new
    rows_after: int | None           # None: the table was removed
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    modified: list[tuple[str, list[str]]] = field(default_factory=list)
    churn: list[tuple[str, str]] = field(default_factory=list)   # (old key, new key)

    def summary(self) -> dict:
        return {
            "rowsBefore": self.rows_before,
            "rowsAfter": self.rows_after,
            "added": len(self.added),
            "removed": len(self.removed),
            "modified": len(self.modified),
            "idChurn": len(self.churn),
        }

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.modified)


@dataclass
class ReleaseDiff:
    tables: dict[str, TableDiff]
    reasons: list[tuple[int, str]]           # (level, sentence), most serious first
    schema_changes: list[str] = field(default_factory=list)   # the sentences about tables/columns/constraints

    @property
    def level(self) -> int | None:
        return max((lvl for lvl, _ in self.reasons), default=None)

    @property
    def bump(self) -> str | None:
        return LEVEL_NAMES.get(self.level) if self.level else None

    @property
    def reason(self) -> str:
        """The sentences that decide the bump, then the others, as one line."""
        if not self.reasons:
            return "nothing changed"
        return "; ".join(text for _, text in self.reasons)

    def changes_rows(self, order: list[str]) -> list[dict]:
        rows = []
        for name in order:
            d = self.tables.get(name)
            if d is None:
                continue
            old_to_new = dict(d.churn)
            new_to_old = {new: old for old, new in d.churn}
            for key in d.added:
                rows.append({"table": name, "key": key, "change_type": "added",
                             "changed_columns": [], "churn_key": new_to_old.get(key)})
            for key in d.removed:
                rows.append({"table": name, "key": key, "change_type": "removed",
                             "changed_columns": [], "churn_key": old_to_new.get(key)})
            for key, cols in d.modified:
                rows.append({"table": name, "key": key, "change_type": "modified",
                             "changed_columns": list(cols), "churn_key": None})
        rank = {n: i for i, n in enumerate(order)}
        rows.sort(key=lambda r: (rank[r["table"]], r["key"], r["change_type"]))
        return rows


def _canon(v: Any) -> Any:
    """A hashable, order-stable form of a cell for comparisons (lists → tuples, NaN → marker)."""
    if isinstance(v, float) and math.isnan(v):
        return ("NaN",)
    if isinstance(v, list):
        return tuple(_canon(x) for x in v)
    if isinstance(v, dict):
        return tuple(sorted((k, _canon(x)) for k, x in v.items()))
    return v


def key_string(values: list) -> str:
    if len(values) == 1:
        return str(values[0])
    return json.dumps([v if isinstance(v, (str, int, float, bool)) or v is None else str(v) for v in values],
                      ensure_ascii=False, separators=(",", ":"))


def _load(path: Path, pk: list[str], table: str) -> tuple[pa.Schema, dict[str, dict]]:
    t = pq.read_table(path)
    missing = [c for c in pk if c not in t.column_names]
    if missing:
        raise ReleaseError(f"{path}: primary key column {missing[0]!r} of {table} is missing")
    rows: dict[str, dict] = {}
    for row in t.to_pylist():
        k = key_string([row[c] for c in pk])
        if k in rows:
            raise ReleaseError(f"{path}: primary key {k!r} appears twice in {table}")
        rows[k] = row
    return t.schema, rows


def _fields_by_name(resource: dict | None) -> dict[str, dict]:
    if not resource:
        return {}
    return {f["name"]: f for f in resource.get("schema", {}).get("fields", [])}


def _constraint_reasons(table: str, old_res: dict | None, new_res: dict, common: list[str]) -> list[tuple[int, str]]:
    """Compare the manifest's constraints, keys and descriptions of one table."""
    out: list[tuple[int, str]] = []
    if old_res is None:
        return out
    old_f, new_f = _fields_by_name(old_res), _fields_by_name(new_res)
    described = []
    for col in common:
        o, n = old_f.get(col, {}), new_f.get(col, {})
        oc, nc = o.get("constraints", {}), n.get("constraints", {})
        if bool(oc.get("required")) != bool(nc.get("required")):
            if nc.get("required"):
                out.append((MAJOR, f"{table}.{col} is now required"))
            else:
                out.append((MINOR, f"{table}.{col} may now be null"))
        oe, ne = oc.get("enum"), nc.get("enum")
        if oe != ne:
            if oe is None:
                out.append((MAJOR, f"{table}.{col} is now limited to {len(ne)} values"))
            elif ne is None:
                out.append((MINOR, f"{table}.{col} is no longer limited to a list of values"))
            else:
                dropped = [v for v in oe if v not in ne]
                added = [v for v in ne if v not in oe]
                if dropped:
                    out.append((MAJOR, f"{table}.{col} no longer allows {', '.join(map(str, dropped))}"))
                if added:
                    out.append((MINOR, f"{table}.{col} now also allows {', '.join(map(str, added))}"))
        for name in ("pattern", "minimum", "maximum", "minLength", "maxLength", "unique"):
            if oc.get(name) != nc.get(name):
                if nc.get(name) is None:
                    out.append((MINOR, f"{table}.{col} dropped its {name} constraint"))
                else:
                    out.append((MAJOR, f"{table}.{col} {name} constraint changed"))
        if o.get("description") != n.get("description"):
            described.append(col)
    os_, ns = old_res.get("schema", {}), new_res.get("schema", {})
    if os_.get("primaryKey") != ns.get("primaryKey"):
        out.append((MAJOR, f"{table} primary key changed to {ns.get('primaryKey')}"))
    ofk = os_.get("foreignKeys", [])
    nfk = ns.get("foreignKeys", [])
    if any(fk not in ofk for fk in nfk):
        out.append((MAJOR, f"{table} has a new foreign key"))
    if any(fk not in nfk for fk in ofk):
        out.append((MINOR, f"{table} dropped a foreign key"))
    if old_res.get("description") != new_res.get("description"):
        described.insert(0, "(table)")
    if described:
        out.append((PATCH, f"{table} descriptions updated: {', '.join(described)}"))
    return out


def _schema_reasons(table: str, old: pa.Schema, new: pa.Schema) -> tuple[list[tuple[int, str]], list[str]]:
    out: list[tuple[int, str]] = []
    old_names, new_names = old.names, new.names
    removed = [c for c in old_names if c not in new_names]
    added = [c for c in new_names if c not in old_names]
    if len(removed) == 1 and len(added) == 1 and old.field(removed[0]).type == new.field(added[0]).type:
        out.append((MAJOR, f"column {table}.{removed[0]} renamed to {added[0]}"))
    else:
        out += [(MAJOR, f"column {table}.{c} removed") for c in removed]
        out += [(MINOR, f"column {table}.{c} added") for c in added]
    common = [c for c in new_names if c in old_names]
    same_type = []
    for c in common:
        if old.field(c).type != new.field(c).type:
            out.append((MAJOR, f"column {table}.{c} changed type from {old.field(c).type} to {new.field(c).type}"))
        else:
            same_type.append(c)
    return out, same_type


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _content(row: dict, columns: list[str], fk_maps: dict[str, dict[str, str]]) -> tuple:
    vals = []
    for c in columns:
        v = row.get(c)
        if c in fk_maps and isinstance(v, str):
            v = fk_maps[c].get(v, v)
        vals.append(_canon(v))
    return tuple(vals)


def diff_releases(old_dir: Path | None, new_tables: dict[str, Path], models: dict,
                  new_resources: dict[str, dict]) -> ReleaseDiff:
    """Compare the tables of a previous release folder with new table files.

    new_tables maps table name → Parquet path; models maps table name → pandera model;
    new_resources maps table name → the new manifest resource (for constraints).
    """
    old_manifest: dict = {}
    if old_dir is not None:
        old_manifest = json.loads((old_dir / "datapackage.json").read_text(encoding="utf-8"))
    # Tables only: CHANGES.parquet and the flat CSV sheet are derived from the tables, not compared.
    old_res = {r["name"]: r for r in old_manifest.get("resources", [])
               if r.get("name") != "changes" and r.get("format", "parquet") == "parquet"}

    order = list(models) + sorted(n for n in old_res if n not in models)
    referenced = {
        fk["reference"]["resource"]
        for name, m in models.items()
        for fk in table_meta(m).get("foreign_keys") or []
        if fk["reference"]["resource"] != name
    }
    reasons: list[tuple[int, str]] = []
    schema_changes: list[str] = []
    tables: dict[str, TableDiff] = {}
    churn_maps: dict[str, dict[str, str]] = {}

    for name in order:
        if name not in models:  # in the old release only
            res = old_res[name]
            rows = res.get("rows")
            d = TableDiff(name, rows_before=rows, rows_after=None)
            _, old_rows = _load(old_dir / res["path"], res["schema"]["primaryKey"], name)
            d.removed = sorted(old_rows)
            tables[name] = d
            reasons.append((MAJOR, f"table {name} removed"))
            schema_changes.append(f"table {name} removed")
            continue
        model = models[name]
        pk = list(table_meta(model)["primary_key"])
        new_schema, new_rows = _load(new_tables[name], pk, name)
        if name not in old_res:
            d = TableDiff(name, rows_before=None, rows_after=len(new_rows))
            d.added = sorted(new_rows)
            tables[name] = d
            if old_dir is not None:
                reasons.append((MINOR, f"table {name} added ({_plural(len(new_rows), 'row')})"))
                schema_changes.append(f"table {name} added")
            continue
        res = old_res[name]
        old_pk = res["schema"]["primaryKey"]
        old_schema, old_rows = _load(old_dir / res["path"], old_pk, name)
        schema_reasons, comparable = _schema_reasons(name, old_schema, new_schema)
        schema_reasons += _constraint_reasons(name, res, new_resources[name], comparable)
        reasons += schema_reasons
        schema_changes += [text for _, text in schema_reasons]
        d = TableDiff(name, rows_before=len(old_rows), rows_after=len(new_rows))
        if old_pk != pk:
            # Keys are not comparable: every row is reported as removed and added.
            d.removed = sorted(old_rows)
            d.added = sorted(new_rows)
        else:
            d.removed = sorted(k for k in old_rows if k not in new_rows)
            d.added = sorted(k for k in new_rows if k not in old_rows)
            for k in sorted(k for k in new_rows if k in old_rows):
                o, n = old_rows[k], new_rows[k]
                cols = [c for c in comparable if c not in pk and _canon(o.get(c)) != _canon(n.get(c))]
                if cols:
                    d.modified.append((k, cols))
            # ID churn: content of removed rows reappearing under added keys.
            if d.removed and d.added:
                content_cols = [c for c in comparable if c not in pk and c not in CHURN_IGNORED_COLUMNS]
                fk_maps = {}
                for fk in table_meta(model).get("foreign_keys") or []:
                    parent = fk["reference"]["resource"]
                    if len(fk["fields"]) == 1 and parent != name and churn_maps.get(parent):
                        fk_maps[fk["fields"][0]] = churn_maps[parent]
                by_content: dict[tuple, list[str]] = {}
                for k in d.added:
                    by_content.setdefault(_content(new_rows[k], content_cols, {}), []).append(k)
                for k in d.removed:
                    candidates = by_content.get(_content(old_rows[k], content_cols, fk_maps))
                    if candidates:
                        d.churn.append((k, candidates.pop(0)))
        churn_maps[name] = dict(d.churn)
        tables[name] = d
        if d.churn:
            reasons.append((MAJOR, f"{name}: {_plural(len(d.churn), 'key')} changed for unchanged content (ID churn)"))
        if d.removed:
            lvl = MAJOR if name in referenced else PATCH
            reasons.append((lvl, f"{name}: {_plural(len(d.removed), 'row')} removed"))
        if d.added:
            reasons.append((MINOR, f"{name}: {_plural(len(d.added), 'row')} added"))
        if d.modified:
            reasons.append((PATCH, f"{name}: {_plural(len(d.modified), 'row')} modified"))

    reasons.sort(key=lambda r: -r[0])   # stable: most serious first, table order within a level
    return ReleaseDiff(tables=tables, reasons=reasons, schema_changes=schema_changes)


def next_version(previous: tuple[int, int, int] | None, level: int) -> tuple[int, int, int]:
    if previous is None:
        return (1, 0, 0)
    major, minor, patch = previous
    if level == MAJOR:
        return (major + 1, 0, 0)
    if level == MINOR:
        return (major, minor + 1, 0)
    return (major, minor, patch + 1)
