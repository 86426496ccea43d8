"""Prefect wrapper around ncpi.release.cut_release: no logic here, only orchestration."""
from __future__ import annotations

from pathlib import Path

from prefect import flow, task

from ncpi.paths import WAREHOUSE_DIR
from ncpi.release import ReleaseResult, cut_release


@task(name="cut-release", retries=0)
def cut_release_task(tables_dir: Path, releases_dir: Path) -> ReleaseResult | None:
    """Cut a release if the tables changed; None when nothing changed."""
    return cut_release(Path(tables_dir), Path(releases_dir))


@flow(name="ncpi-release")
def release_flow(tables_dir: Path = WAREHOUSE_DIR / "tables",
                 releases_dir: Path = WAREHOUSE_DIR / "releases") -> ReleaseResult | None:
    return cut_release_task(tables_dir, releases_dir)
