"""DuckDB views over every release: `<table>_history`, `changes`, `releases`, `<table>_latest`.

- `<table>_history`: every row of every release, with a `release` column ('1.2.0').
- `changes`: every release's CHANGES.parquet, with a `release` column.
- `releases`: one row per release: `release`, `version_order` (INTEGER[] that sorts
  1.10.0 after 1.9.0) and `changed_records`.
- `<table>_latest`: the newest release's rows (the newest by version, which is what
  `warehouse/latest` names once a cut has finished). A column dropped by a MAJOR release
  still shows in it, as NULL, because the history view unions releases by name.

The statements are static SQL: paths are relative to the warehouse folder, so the
database file can be moved with its warehouse. DuckDB resolves a relative path against
the working directory first and only then through the connection's `file_search_path`
(open it with `duckdb.connect(db, config={"file_search_path": str(warehouse_dir)})`),
so a `releases/` folder in the caller's working directory would be read instead;
`ncpi sql` therefore runs its query from the warehouse folder (ncpi/sql/sandbox.py), and
docs/querying.md tells DuckDB users how to open the file. DuckDB 2.0 applies
file_search_path to globs too, and `filename` then holds the resolved path, from which
the release is read. The glob `releases/[0-9]*/` skips the hidden
temporary folders of a release being cut.

A glob that matches no file is an error when the view is created or queried, so a view
is only emitted for a table that at least one release holds.
"""
from __future__ import annotations

import re
from pathlib import Path

from ncpi.release.fsutil import CHANGES_NAME, list_releases

_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")

# The release a row comes from: the X.Y.Z folder right above the file.
_RELEASE_EXPR = r"regexp_extract(filename, '([0-9]+\.[0-9]+\.[0-9]+)[/\\][^/\\]+$', 1)"
_ORDER_EXPR = "CAST(string_split(release, '.') AS INTEGER[])"


def _history_sql(view: str, file_name: str) -> str:
    if not _IDENT.match(view) or not re.match(r"^[A-Za-z0-9_]+\.parquet$", file_name):
        raise ValueError(f"not a safe view or file name: {view!r}, {file_name!r}")
    return (
        f"CREATE OR REPLACE VIEW {view} AS\n"
        f"SELECT {_RELEASE_EXPR} AS release, * EXCLUDE (filename)\n"
        f"FROM read_parquet('releases/[0-9]*/{file_name}', filename = true, union_by_name = true)"
    )


def _latest_sql(table: str) -> str:
    if not _IDENT.match(table):
        raise ValueError(f"not a safe table name: {table!r}")
    return (
        f"CREATE OR REPLACE VIEW {table}_latest AS\n"
        f"SELECT * EXCLUDE (release) FROM {table}_history\n"
        "WHERE release = (SELECT release FROM releases ORDER BY version_order DESC LIMIT 1)"
    )


def releases_view_sql() -> str:
    return (
        "CREATE OR REPLACE VIEW releases AS\n"
        f"SELECT release, {_ORDER_EXPR} AS version_order, changed_records\n"
        "FROM (\n"
        f"  SELECT regexp_extract(file_name, '([0-9]+\\.[0-9]+\\.[0-9]+)[/\\\\][^/\\\\]+$', 1) AS release,\n"
        "         num_rows AS changed_records\n"
        f"  FROM parquet_file_metadata('releases/[0-9]*/{CHANGES_NAME}')\n"
        ")"
    )


def history_views_sql(warehouse_dir: Path, tables: list[str] | None = None) -> list[str]:
    """CREATE OR REPLACE VIEW statements for `<table>_history`, `changes` and `releases`.

    Only tables present in at least one release under warehouse_dir/releases get a view.
    Run them on a connection opened with file_search_path = warehouse_dir.
    """
    if tables is None:
        import schemas
        tables = list(schemas.TABLES)
    found = list_releases(Path(warehouse_dir) / "releases")
    if not found:
        return []
    stmts = []
    present = [n for n in tables if any((folder / f"{n}.parquet").is_file() for _, folder in found)]
    for name in present:
        stmts.append(_history_sql(f"{name}_history", f"{name}.parquet"))
    if any((folder / CHANGES_NAME).is_file() for _, folder in found):
        stmts.append(_history_sql("changes", CHANGES_NAME))
        stmts.append(releases_view_sql())
        stmts += [_latest_sql(n) for n in present]
    return stmts


def history_view_sql() -> str:
    """All history views for every known table, as one static SQL script (for a warehouse
    where every table exists in some release)."""
    import schemas
    stmts = [_history_sql(f"{n}_history", f"{n}.parquet") for n in schemas.TABLES]
    stmts += [_history_sql("changes", CHANGES_NAME), releases_view_sql()]
    stmts += [_latest_sql(n) for n in schemas.TABLES]
    return ";\n\n".join(stmts) + ";\n"
