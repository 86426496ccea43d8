"""The Datasette app serving one release's SQLite copy with the NCPI pages."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from ncpi.browse import pages
from ncpi.browse.metadata import datasette_metadata

TEMPLATES = Path(__file__).with_name("templates")


def make_datasette(db_path: Path, release_folder: Path):
    """A Datasette instance over db_path (read-only, immutable) with metadata from the
    schemas and the NCPI pages plugin registered."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    from ncpi.browse import plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name="ncpi_pages")
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        cols = {t: pages.columns(con, t) for t in pages.tables(con)}
    finally:
        con.close()
    return Datasette(
        immutables=[str(db_path)],
        metadata=datasette_metadata(release_folder, cols),
        template_dir=str(TEMPLATES),
        settings={"default_page_size": 100, "sql_time_limit_ms": 3000},
    )


def serve(db_path: Path, release_folder: Path, *, host: str = "127.0.0.1", port: int = 8001) -> None:
    import uvicorn

    ds = make_datasette(db_path, release_folder)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
