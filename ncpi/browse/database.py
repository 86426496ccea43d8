"""A release's Parquet tables copied into one SQLite file, the format Datasette serves.

Every column of every table is copied as it is in the release (the release format grows:
new tables and columns appear without a change here). SQLite has no dates, times or
lists, so dates and times become ISO text and lists become JSON text. Findings and
statements get a full-text index on their text. The file is cached per release content
(the hash of its SHA256SUMS, or of its files' names and sizes) and written atomically.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

# Bump when the loader's output changes, so older cached files are not reused.
LOADER_VERSION = "1"
# Tables whose `text` column gets a full-text index (FTS5, external content).
FTS_TABLES = ("findings", "statements")
DB_FILE = "ncpi.db"


class BrowseError(Exception):
    """A release cannot be browsed; the message names the folder or file and the reason."""


def release_dir(warehouse_dir: Path, release: Path | None = None) -> Path:
    """The release folder to serve: `release` if given, else the one `warehouse/latest` names."""
    if release is not None:
        folder = Path(release)
    else:
        latest = Path(warehouse_dir) / "latest"
        if not latest.is_file():
            raise BrowseError(f"{latest} does not exist: no release has been cut yet (run `ncpi run`)")
        version = latest.read_text("utf-8").strip()
        folder = Path(warehouse_dir) / "releases" / version
    if not folder.is_dir():
        raise BrowseError(f"{folder} is not a release folder (it does not exist)")
    if not list(folder.glob("*.parquet")):
        raise BrowseError(f"{folder} holds no Parquet tables")
    return folder


def release_tables(folder: Path) -> dict[str, dict]:
    """Table name -> {path, primary_key, description, fields} from datapackage.json, with any
    Parquet file the manifest does not name added under its lower-cased file stem."""
    tables: dict[str, dict] = {}
    manifest = folder / "datapackage.json"
    if manifest.is_file():
        try:
            package = json.loads(manifest.read_text("utf-8"))
        except ValueError as exc:
            raise BrowseError(f"{manifest}: not valid JSON ({exc})") from None
        for res in package.get("resources", []):
            path = res.get("path")
            if not isinstance(path, str) or not path.endswith(".parquet"):
                continue
            schema = res.get("schema") or {}
            tables[res["name"]] = {
                "path": folder / path,
                "primary_key": list(schema.get("primaryKey") or []),
                "description": res.get("description") or "",
                "fields": {f["name"]: f.get("description") or "" for f in schema.get("fields", [])},
            }
    named = {t["path"].name for t in tables.values()}
    for f in sorted(folder.glob("*.parquet")):
        if f.name not in named:
            tables[f.stem.lower()] = {"path": f, "primary_key": [], "description": "", "fields": {}}
    # A folder of built tables has no manifest: its keys are the schemas' own.
    for name, table in tables.items():
        if not table["primary_key"]:
            table["primary_key"] = schema_primary_key(name)
    return tables


def schema_primary_key(table: str) -> list[str]:
    from schemas import TABLES, table_meta

    model = TABLES.get(table)
    return list(table_meta(model).get("primary_key") or []) if model is not None else []


def content_key(folder: Path) -> str:
    h = hashlib.sha256(LOADER_VERSION.encode())
    sums = folder / "SHA256SUMS"
    if sums.is_file():
        h.update(sums.read_bytes())
    else:
        for f in sorted(folder.glob("*.parquet")):
            st = f.stat()
            h.update(f"{f.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def build_database(folder: Path, cache_dir: Path) -> Path:
    """The SQLite copy of the release in `folder`, built into cache_dir unless already there."""
    folder = Path(folder)
    # One folder per release content; the file is named ncpi.db because Datasette names
    # the database (and its URLs, /ncpi/findings) after the file.
    home = Path(cache_dir) / f"{folder.name}-{content_key(folder)}"
    home.mkdir(parents=True, exist_ok=True)
    target = home / DB_FILE
    if target.exists():
        return target
    fd, tmp = tempfile.mkstemp(prefix=".ncpi-", suffix=".db", dir=home)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        try:
            for name, table in release_tables(folder).items():
                _load_table(con, name, table)
            con.commit()
        finally:
            con.close()
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def _sqlite_type(t: pa.DataType) -> str:
    if pa.types.is_integer(t) or pa.types.is_boolean(t):
        return "INTEGER"
    if pa.types.is_floating(t):
        return "REAL"
    return "TEXT"


def _cell(value):
    """A Parquet value as SQLite stores it (dates and times as ISO text, lists as JSON)."""
    if isinstance(value, (dt.date, dt.time, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _load_table(con: sqlite3.Connection, name: str, table: dict) -> None:
    try:
        data = pq.read_table(table["path"])
    except (OSError, pa.ArrowException) as exc:
        raise BrowseError(f"{table['path']}: cannot be read as Parquet ({exc})") from None
    cols = [f"{_quote(f.name)} {_sqlite_type(f.type)}" for f in data.schema]
    pk = [c for c in table["primary_key"] if c in data.column_names]
    if pk:
        cols.append(f"PRIMARY KEY ({', '.join(_quote(c) for c in pk)})")
    con.execute(f"CREATE TABLE {_quote(name)} ({', '.join(cols)})")
    placeholders = ", ".join("?" for _ in data.column_names)
    rows = zip(*(data.column(c).to_pylist() for c in data.column_names)) if data.num_rows else []
    con.executemany(f"INSERT INTO {_quote(name)} VALUES ({placeholders})",
                    ([_cell(v) for v in row] for row in rows))
    for col in data.column_names:
        if col.endswith("_id") and col not in pk:
            con.execute(f"CREATE INDEX {_quote(f'idx_{name}_{col}')} ON {_quote(name)} ({_quote(col)})")
    if name in FTS_TABLES and "text" in data.column_names:
        # External-content FTS5 named <table>_fts: Datasette finds it by its content= clause.
        fts = _quote(f"{name}_fts")
        con.execute(f'CREATE VIRTUAL TABLE {fts} USING fts5(text, content="{name}")')
        con.execute(f"INSERT INTO {fts}(rowid, text) SELECT rowid, text FROM {_quote(name)}")
