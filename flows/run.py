"""Prefect flow for the main job: build raw/ into the warehouse, cut a release when the
data changed, refresh the DuckDB views. Thin: each step is a plain function."""
from __future__ import annotations

from pathlib import Path

from prefect import flow, task

from flows.build import build_flow
from ncpi import warehouse


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
def run_flow(raw_dir: str, warehouse_dir: str) -> dict:
    report = build_flow(raw_dir, str(Path(warehouse_dir) / "tables"))
    release = cut_release(warehouse_dir)
    refresh_views(warehouse_dir)
    return {"report": report, "release": release}
