"""Prefect flow: build every table from a raw folder. Thin: the work is in ncpi.build.

Documents are parsed in batches, one task run per batch, because a task run costs a few
milliseconds and the local API's SQLite stalls after a few hundred of them.
"""
from __future__ import annotations

from pathlib import Path

from prefect import flow, task

from ncpi import build as steps
from ncpi.rawio import list_documents

BATCH_SIZE = 500


@task(name="parse-batch")
def parse_batch(raw_dir: str, rels: list[str], forces_csv: str):
    return steps.parse_batch(raw_dir, rels, forces_csv)


@task(name="validate-and-write")
def finish(results, raw_dir: str, out_dir: str) -> steps.BuildReport:
    return steps.finish(results, Path(raw_dir), Path(out_dir))


@flow(name="ncpi-build", log_prints=False)
def build_flow(raw_dir: str, out_dir: str, batch_size: int = BATCH_SIZE) -> steps.BuildReport:
    rels = list_documents(Path(raw_dir))
    forces_csv = str(steps.forces_reference(Path(raw_dir)))
    futures = [parse_batch.submit(raw_dir, chunk, forces_csv) for chunk in steps.batches(rels, batch_size)]
    results = [r for f in futures for r in f.result()]
    return finish(results, raw_dir, out_dir)
