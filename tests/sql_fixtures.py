"""A warehouse for the SQL tests, made without a build: the committed release's tables
in tables/, the committed releases/ for the history views, and an empty (but typed)
table for any table of schemas.TABLES that release does not hold yet."""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_warehouse(wh: Path) -> Path:
    import pyarrow.parquet as pq

    import schemas
    from ncpi import warehouse

    wh.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "warehouse" / "releases", wh / "releases")
    shutil.copy(ROOT / "warehouse" / "latest", wh / "latest")
    version = (wh / "latest").read_text().strip()
    (wh / "tables").mkdir()
    for name in schemas.TABLES:
        released = wh / "releases" / version / f"{name}.parquet"
        rows = pq.read_table(released) if released.exists() else None
        pq.write_table(conform(name, rows), wh / "tables" / f"{name}.parquet")
    # DuckDB reads a tables/ folder in the working directory before the warehouse's own:
    # build the views from inside the warehouse.
    from ncpi.sql.sandbox import working_directory
    with working_directory(wh):
        warehouse.refresh_views(wh)
    return wh


def conform(name: str, table):
    """The released rows in today's schema of the table: columns the release lacks are
    NULL, columns it has are cast, columns no longer in the schema are dropped."""
    import pyarrow as pa

    from ncpi.tables import to_arrow

    schema = to_arrow(name, []).schema
    if table is None:
        return schema.empty_table()
    # Nullable throughout: a column this release lacks is all NULL, even one the schema requires.
    schema = pa.schema([f.with_nullable(True) for f in schema], metadata=schema.metadata)
    columns = []
    for field in schema:
        if field.name in table.column_names:
            try:
                columns.append(table[field.name].cast(field.type))
                continue
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                pass
        columns.append(pa.nulls(table.num_rows, field.type))
    return pa.Table.from_arrays(columns, schema=schema)


def publish_to(out: Path) -> Path:
    """The committed releases laid out by `ncpi publish` in out."""
    from ncpi.release.publish import publish

    publish(ROOT / "warehouse", out)
    return out


class StaticServer:
    """`python -m http.server` serving a folder on 127.0.0.1, as a real subprocess (it
    answers Range requests with the whole file: the fallback path)."""

    def __init__(self, folder: Path):
        import subprocess
        import sys

        self.proc = subprocess.Popen(
            [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(folder)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()     # "Serving HTTP on 127.0.0.1 port 40123 (http://...) ..."
        words = line.split()
        if "port" not in words:
            self.stop()
            raise RuntimeError(f"http.server did not start: {line!r}")
        self.port = int(words[words.index("port") + 1])
        self.url = f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait(timeout=10)
