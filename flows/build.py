"""Prefect flow: build every table from a raw folder. Thin: the work is in ncpi.build.

plan (list the documents, load the parse cache's index) → parse-batch × N (each document
read once: hashed, and parsed unless cached) → validate-and-write:
the sequence itself is ncpi.build.build_sequence, written once; this module only makes
each step a task and maps the parse over batches.
Documents are parsed in batches, one task run per batch, because a task run costs a
few milliseconds and the local API's SQLite stalls after a few hundred of them. With
the default runner the batches run on a process pool (both cores); with runner="dask"
each batch is parsed inside a Dask worker (prefect-dask's DaskTaskRunner).
"""
from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from ncpi import build as steps

BATCH_SIZE = steps.BATCH_SIZE


# NO_CACHE: the default cache policy would hash every input (thousands of documents).
@task(name="plan", cache_policy=NO_CACHE)
def plan(raw_dir: str, cache_dir: str | None):
    return steps.plan(Path(raw_dir), Path(cache_dir) if cache_dir else None)


@task(name="parse-batch", cache_policy=NO_CACHE)
def parse_batch(raw_dir: str, rels: list[str], forces_csv: str, workers: int = 1, cached: dict | None = None):
    return steps.parse_batch_pooled(raw_dir, rels, forces_csv, workers=workers, cached=cached)


@task(name="validate-and-write", cache_policy=NO_CACHE)
def finish(p, parsed, out_dir: str) -> steps.BuildReport:
    return steps.finish_plan(p, parsed, Path(out_dir))


@flow(name="ncpi-build", log_prints=False)
def build_flow(raw_dir: str, out_dir: str, batch_size: int = BATCH_SIZE, cache_dir: str | None = None,
               workers: int | None = None) -> steps.BuildReport:
    """ncpi.build.build_sequence with each step a task run and the parse mapped over batches.
    workers: processes per parse batch on this machine (default: every core; 1 when the
    flow runs on a Dask task runner, whose workers are the parallelism)."""
    workers = steps.default_workers() if workers is None else workers

    def parse_batches(p) -> list:
        # quote(): the cache index of a batch is data, not futures to look through.
        futures = [parse_batch.submit(p.raw_dir, chunk, p.forces_csv, workers,
                                      quote({rel: p.cached[rel] for rel in chunk if rel in p.cached}))
                   for chunk in steps.batches(p.rels, batch_size)]
        # Prefect keeps no strong reference to a task's result (link_state_to_result drops it),
        # so once the futures go, finish_plan can free each entry as it decodes it.
        return [r for f in futures for r in f.result()]

    def finish_step(p, parsed, out):
        # quote(): Prefect would otherwise walk every row looking for futures.
        return finish(quote(p), quote(parsed), str(out))

    return steps.build_sequence(raw_dir, out_dir, cache_dir, steps.Steps(
        plan=lambda raw, cache: plan(str(raw), str(cache) if cache else None),
        parse_batches=parse_batches, finish=finish_step))


def dask_runner(address: str | None = None, n_workers: int | None = None):
    """A DaskTaskRunner on an existing cluster (address) or a LocalCluster on 127.0.0.1."""
    from prefect_dask import DaskTaskRunner
    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": n_workers or steps.default_workers(),
                                          "threads_per_worker": 1, "host": "127.0.0.1",
                                          "dashboard_address": None})


@flow(name="ncpi-noop")
def startup_flow() -> None:
    """Does nothing: `ncpi bench` times its first run as Prefect's fixed start-up."""
