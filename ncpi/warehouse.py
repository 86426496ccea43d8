"""The DuckDB database in warehouse/: declarative views over the Parquet files."""
from __future__ import annotations

import os
import tempfile
from importlib import resources
from pathlib import Path

import duckdb

from ncpi.faults import crash_point
from ncpi.sql.sandbox import working_directory

DB_NAME = "ncpi.duckdb"


def view_statements() -> list[str]:
    sql = resources.files("ncpi.sql").joinpath("views.sql").read_text(encoding="utf-8")
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]


def extra_view_statements(warehouse_dir: Path) -> list[str]:
    """History and changes views over releases, when the release package provides them."""
    try:
        from ncpi.release.views import history_views_sql
    except ImportError:
        return []
    return list(history_views_sql(warehouse_dir))


def connect(warehouse_dir: Path, *, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    warehouse_dir = Path(warehouse_dir).resolve()
    config = {"file_search_path": str(warehouse_dir)}
    if read_only:
        config["access_mode"] = "READ_ONLY"
    return duckdb.connect(str(warehouse_dir / DB_NAME), config=config)


def refresh_views(warehouse_dir: Path) -> Path:
    """Write the database with every view to a temporary file, then rename it into place."""
    warehouse_dir = Path(warehouse_dir).resolve()
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".ncpi.", suffix=".duckdb", dir=warehouse_dir)
    os.close(fd)
    os.unlink(tmp)  # duckdb must create the file itself
    try:
        con = duckdb.connect(tmp, config={"file_search_path": str(warehouse_dir)})
        try:
            # DuckDB binds a view's relative path against the working directory before
            # file_search_path: bind from inside the warehouse, so a tables/ folder wherever
            # the command was started can never be the one a view reads.
            with working_directory(warehouse_dir):
                for stmt in view_statements() + extra_view_statements(warehouse_dir):
                    con.execute(stmt)
            crash_point("views")   # fault tests: die with the new database written but not renamed
        finally:
            con.close()
        os.replace(tmp, warehouse_dir / DB_NAME)
    finally:
        for leftover in (tmp, tmp + ".wal"):
            if os.path.exists(leftover):
                os.unlink(leftover)
    return warehouse_dir / DB_NAME
