"""A browsable site for a release: its Parquet tables loaded into SQLite and served by
Datasette, with evidence pages (a row's sentence highlighted in its source) and force
pages. Plain functions; the `ncpi browse` command wires them up.

- release_dir(warehouse_dir, release=None) -> Path: the folder to serve (default: `latest`)
- build_database(release_dir, cache_dir) -> Path: the cached SQLite file for that release
- datasette_metadata(release_dir, tables) -> dict: titles and column descriptions
- make_app(db_path, metadata) -> ASGI app (needs the `browse` extra: datasette)
"""
from ncpi.browse.database import build_database, release_dir
from ncpi.browse.metadata import datasette_metadata

__all__ = ["build_database", "datasette_metadata", "release_dir"]
