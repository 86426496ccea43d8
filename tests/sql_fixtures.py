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
    from ncpi.tables import to_arrow

    wh.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "warehouse" / "releases", wh / "releases")
    shutil.copy(ROOT / "warehouse" / "latest", wh / "latest")
    version = (wh / "latest").read_text().strip()
    (wh / "tables").mkdir()
    for p in (wh / "releases" / version).glob("*.parquet"):
        if p.name != "CHANGES.parquet":
            shutil.copy(p, wh / "tables" / p.name)
    for name in schemas.TABLES:
        if not (wh / "tables" / f"{name}.parquet").exists():
            pq.write_table(to_arrow(name, []), wh / "tables" / f"{name}.parquet")
    warehouse.refresh_views(wh)
    return wh
