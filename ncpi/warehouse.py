"""The DuckDB database in warehouse/: declarative views over the Parquet files."""
from __future__ import annotations

import os
import tempfile
from importlib import resources
from pathlib import Path

import duckdb

from ncpi.faults import crash_point

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


def sandbox(con: duckdb.DuckDBPyConnection, warehouse_dir: Path) -> duckdb.DuckDBPyConnection:
    """Confine a connection to the warehouse's own files, enforced by DuckDB itself: no
    file outside it (`..` included) can be read, written, attached or installed, and the
    setting is locked so a query cannot undo it."""
    root = str(Path(warehouse_dir).resolve())
    # The views name their files relative to the warehouse (tables/, releases/).
    con.execute("SET allowed_directories = ?", [[root + "/", "tables/", "releases/"]])
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


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
