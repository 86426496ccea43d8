"""Prefect flow for the main job: build raw/ into the warehouse, cut a release when the
data changed, refresh the DuckDB views. Thin: each step is a plain function."""
from __future__ import annotations

import os
from pathlib import Path

from prefect import flow, task

from flows.build import build_flow
from ncpi import build as steps
from ncpi import locations, warehouse


@task(name="cut-release")
def cut_release(warehouse_dir: str):
    try:
        from ncpi.release import cut_release as cut
    except ImportError:
        return "not cut (the release step is not installed yet)"
    wh = Path(warehouse_dir)
    return cut(wh / "tables", wh / "releases")


@task(name="refresh-views")
def refresh_views(warehouse_dir: str) -> str:
    return str(warehouse.refresh_views(Path(warehouse_dir)))


@flow(name="ncpi-run")
def run_flow(raw_dir: str, warehouse_dir: str, dask_address: str | None = None, dask: bool = False) -> dict:
    """raw_dir / warehouse_dir: paths or URLs (file://, s3://…: see ncpi/locations.py).
    dask / dask_address (or NCPI_DASK_ADDRESS): parse on a Dask cluster through
    prefect-dask's DaskTaskRunner (a LocalCluster on 127.0.0.1 unless an address is given)."""
    raw_loc, wh_loc = locations.resolve(raw_dir), locations.resolve(warehouse_dir)
    with locations.staged(raw_loc) as raw, locations.staged(wh_loc, write_back=True) as wh:
        return _run(str(raw), str(wh), dask_address or os.environ.get("NCPI_DASK_ADDRESS") or None, dask)


def _run(raw_dir: str, warehouse_dir: str, dask_address: str | None, dask: bool) -> dict:
    build = build_flow
    if dask or dask_address:
        from flows.build import dask_runner
        build = build_flow.with_options(task_runner=dask_runner(dask_address))
    # What a killed run left (partial files, a half-built staging folder) goes first; the
    # tables are built beside tables/ and swapped in whole, so a kill never mixes two builds.
    wh = Path(warehouse_dir)
    warehouse.sweep_temporaries(wh)
    staging = warehouse.stage_tables(wh)
    report = build(raw_dir, str(staging), cache_dir=str(wh / ".cache"),
                   workers=1 if (dask or dask_address) else None)
    warehouse.publish_tables(wh)
    # A damaged latest release must stop the run before any comparison with it: else its
    # altered files read as "nothing changed" and keep being served.
    from ncpi.release.verify import check_latest
    check_latest(Path(warehouse_dir))
    # Unchanged tables: the release step would only say so, after comparing every row.
    release = None if steps.tables_match_latest_release(Path(warehouse_dir)) else cut_release(warehouse_dir)
    refresh_views(warehouse_dir)
    return {"report": report, "release": release}
