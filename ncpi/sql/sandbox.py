"""A DuckDB connection that can only answer one read-only query, in bounded time and memory.

Why each guard is here (each one alone has a hole; together they hold):

- One statement, of type SELECT, as DuckDB's own parser sees it (`extract_statements`):
  reading the start of the text misses `/**/COPY ...` and `SELECT 1; COPY ...`, and a
  read-only database does not stop `COPY ... TO` or `EXPORT DATABASE` writing files.
  DESCRIBE, SHOW, SUMMARIZE, FROM-first and VALUES are SELECTs to DuckDB; PRAGMA, CALL,
  EXPLAIN (EXPLAIN ANALYZE runs its statement) and PIVOT (it creates types) are not.
- `enable_external_access = false` with `allowed_directories` holding only the
  warehouse's absolute path: DuckDB resolves a relative path against the process's
  working directory before checking it (and before `file_search_path`), so a relative
  entry such as 'tables/' would allow whatever folder the caller runs from. The views
  name their files relative to the warehouse, so the query runs with the working
  directory set to the warehouse (restored afterwards).
- A symbolic link in the warehouse that leads outside it stops every query (DuckDB
  checks the path, not the link's target).
- No extension is installed or loaded on demand; `lock_configuration` so no SET undoes
  any of this; the database is opened read-only.
- `memory_limit`, and no temporary directory: a read-only database would otherwise
  spill beside itself, into the warehouse.
- A deadline: a timer calls `interrupt()` on the connection.
"""
from __future__ import annotations

import contextlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import duckdb

DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY_LIMIT = "1GB"
ALLOWED_TYPES = {duckdb.StatementType.SELECT}
ALLOWED_HINT = "SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW or SUMMARIZE"


class QueryRefused(Exception):
    """The query is not one read-only statement, or DuckDB's sandbox refused it."""


class QueryFailed(Exception):
    """The query was allowed but did not complete (an error, the deadline, the memory limit)."""


@dataclass(frozen=True)
class Limits:
    timeout: float = DEFAULT_TIMEOUT          # seconds for the query and reading its rows
    memory_limit: str = DEFAULT_MEMORY_LIMIT  # DuckDB size string: '500MB', '2GB'


def single_select(query: str) -> str:
    """The query's one statement if it is a read-only SELECT; QueryRefused otherwise."""
    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as exc:
        raise QueryFailed(f"query failed: {first_line(exc)}") from None
    if len(statements) != 1:
        raise QueryRefused(f"refused: {len(statements)} statements; give exactly one read-only query ({ALLOWED_HINT})")
    try:
        kind = statements[0].type
    except ValueError:   # a statement type this binding cannot name (e.g. UPDATE EXTENSIONS)
        raise QueryRefused(f"refused: a statement of an unknown type; only one read-only query is allowed ({ALLOWED_HINT})") from None
    if kind not in ALLOWED_TYPES:
        raise QueryRefused(f"refused: a {getattr(kind, 'name', kind)} statement; only one read-only query is allowed ({ALLOWED_HINT})")
    return statements[0].query


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    if "Traceback (most recent call last):" in text:
        # DuckDB wraps an error raised in Python code (the HTTP filesystem) with its
        # traceback; the traceback's last line says what happened.
        head = lines[0].split("Traceback (most recent call last):")[0].strip()
        return f"{head} {lines[-1]}".strip()
    return lines[0]


def base_config(limits: Limits) -> dict:
    """Settings given when the database is opened (the rest must be SET once it is started)."""
    return {
        "memory_limit": limits.memory_limit,
        "temp_directory": "",                 # no spilling, least of all into the warehouse
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
    }


def lock_down(con: duckdb.DuckDBPyConnection, *, directories: list[str] = (), paths: list[str] = ()) -> None:
    """Allow only these absolute directories (ending in '/') and exact paths, then lock."""
    for d in directories:
        if not (d.endswith("/") and (os.path.isabs(d) or "://" in d)):
            raise ValueError(f"allowed directory must be absolute and end in '/': {d!r}")
    if directories:
        con.execute("SET allowed_directories = ?", [list(directories)])
    if paths:
        con.execute("SET allowed_paths = ?", [list(paths)])
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


@contextlib.contextmanager
def working_directory(path: Path) -> Iterator[None]:
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


@contextlib.contextmanager
def open_warehouse(warehouse_dir: Path, limits: Limits = Limits()) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse's ncpi.duckdb, read-only, confined to the warehouse folder.

    While it is open the process's working directory is the warehouse (see the module
    docstring): meant for one query in a command, not for a threaded server."""
    from ncpi import warehouse

    root = Path(warehouse_dir).resolve()
    refuse_links_out(root)
    config = {"access_mode": "READ_ONLY", "file_search_path": str(root), **base_config(limits)}
    try:
        con = duckdb.connect(str(root / warehouse.DB_NAME), config=config)
    except duckdb.Error as exc:
        raise QueryFailed(f"cannot open {root / warehouse.DB_NAME}: {first_line(exc)}") from None
    try:
        lock_down(con, directories=[str(root) + "/"])
        with working_directory(root):
            yield con
    finally:
        con.close()


def refuse_links_out(root: Path) -> None:
    """QueryRefused if a symbolic link in the warehouse leads outside it: DuckDB checks the
    path it is given, not where a link points, so such a link would be a way out."""
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                target = Path(os.path.realpath(path))
                if target != root and root not in target.parents:
                    raise QueryRefused(f"refused: {path} is a symbolic link to outside the warehouse ({target})")


@contextlib.contextmanager
def deadline(con: duckdb.DuckDBPyConnection, seconds: float) -> Iterator[threading.Event]:
    """Interrupt the connection's running query after `seconds`; the event says it fired."""
    fired = threading.Event()

    def stop() -> None:
        fired.set()
        con.interrupt()

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()
    try:
        yield fired
    finally:
        timer.cancel()


def translate(exc: duckdb.Error, limits: Limits, fired: threading.Event) -> Exception:
    """A DuckDB error as QueryRefused (the sandbox said no) or QueryFailed, with one line."""
    if fired.is_set() or isinstance(exc, duckdb.InterruptException):
        return QueryFailed(f"query stopped: it ran longer than {limits.timeout:g} s (raise --timeout)")
    if isinstance(exc, duckdb.OutOfMemoryException):
        return QueryFailed(f"query stopped: it needs more than {limits.memory_limit} of memory (raise --memory-limit)")
    if isinstance(exc, duckdb.PermissionException) or (
            isinstance(exc, duckdb.InvalidInputException) and "configuration has been locked" in str(exc)):
        return QueryRefused(f"refused: {first_line(exc)}")
    return QueryFailed(f"query failed: {first_line(exc)}")
