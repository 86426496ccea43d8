"""The DuckDB database in warehouse/: declarative views over the Parquet files."""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

import duckdb

from ncpi.faults import crash_point
from ncpi.sql.sandbox import working_directory

DB_NAME = "ncpi.duckdb"
TABLES = "tables"
STAGING = ".tables.next"      # the next build's tables, swapped in whole when complete
RETIRED = ".tables.old"       # the previous tables, only while a swap without renameat2 runs


class ViewsError(ValueError):
    """The views could not be created (a table file is damaged); str() is one line."""


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
                    try:
                        con.execute(stmt)
                    except duckdb.Error as exc:    # a damaged table file: one line naming it
                        raise ViewsError(f"{warehouse_dir}: the views cannot be made: "
                                         f"{str(exc).splitlines()[0][:300]}") from None
            crash_point("views")   # fault tests: die with the new database written but not renamed
        finally:
            con.close()
        os.replace(tmp, warehouse_dir / DB_NAME)
    finally:
        for leftover in (tmp, tmp + ".wal"):
            if os.path.exists(leftover):
                os.unlink(leftover)
    return warehouse_dir / DB_NAME


# --- one build at a time in tables/: stage, then swap -----------------------------------
# A build rewrites its tables one by one; killed half-way, tables/ would mix two builds
# and the views would serve the mix. So a run builds into .tables.next (first filled with
# hard links to the current tables, so an unchanged build is recognised as such and
# nothing is copied) and, once every table is written, exchanges it with tables/ in one
# renameat2(RENAME_EXCHANGE). Readers see the old tables or the new, never a mix.
def sweep_temporaries(warehouse_dir: Path) -> list[str]:
    """Remove what a killed run left in the warehouse (call it holding the lock): partial
    table files, unrenamed DuckDB files, a staging or retired tables folder."""
    wh = Path(warehouse_dir)
    removed: list[str] = []
    candidates = list(wh.glob(".ncpi.*.duckdb")) + list(wh.glob(".ncpi.*.duckdb.wal"))
    candidates += list((wh / TABLES).glob(".*.tmp")) if (wh / TABLES).is_dir() else []
    for path in candidates:
        if path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)
            removed.append(path.relative_to(wh).as_posix())
    for name in (STAGING, RETIRED):
        folder = wh / name
        if folder.is_symlink():
            folder.unlink()
            removed.append(name)
        elif folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(name)
    return removed


def stage_tables(warehouse_dir: Path) -> Path:
    """A fresh .tables.next holding hard links to the current tables; returns its path."""
    wh = Path(warehouse_dir)
    staging = wh / STAGING
    if staging.exists() or staging.is_symlink():
        shutil.rmtree(staging) if staging.is_dir() and not staging.is_symlink() else staging.unlink()
    staging.mkdir(parents=True)
    current = wh / TABLES
    if current.is_dir() and not current.is_symlink():
        for f in current.iterdir():
            if f.is_file() and not f.is_symlink() and not f.name.startswith("."):
                try:
                    os.link(f, staging / f.name)
                except OSError:
                    shutil.copy2(f, staging / f.name)
    return staging


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE). False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(a))


def publish_tables(warehouse_dir: Path) -> None:
    """Make .tables.next the warehouse's tables/ in one step, and drop the previous ones."""
    wh = Path(warehouse_dir)
    staging, current, retired = wh / STAGING, wh / TABLES, wh / RETIRED
    if not current.exists():
        os.rename(staging, current)
    elif _exchange(staging, current):
        shutil.rmtree(staging, ignore_errors=True)
    else:   # two renames: a reader may find no tables/ for an instant, never a mix
        os.rename(current, retired)
        os.rename(staging, current)
        shutil.rmtree(retired, ignore_errors=True)
    fd = os.open(wh, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
