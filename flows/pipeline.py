"""The scheduled pipeline: fetch new releases from the web, then build → release → views.

Deployed weekly (Monday 06:00 Europe/London) by `ncpi serve` or by `prefect deploy`
with prefect.yaml. Thin: the work is in ncpi.fetch and in flows.run.

- The fetch task retries (timeouts, 5xx, 429 and connection errors make it raise so
  Prefect tries again later; fetching is idempotent: unchanged pages cost a 304).
- If the fetch still fails after its retries, the build runs anyway on what raw/
  already holds, and the flow run ends Failed so the failure is visible.
- Permanent per-URL problems (404, too large, wrong content type) do not stop the build,
  but the flow run then ends Failed, naming them: a broken source must not show green.
  Every line is logged to the Prefect API (`ncpi serve` turns log shipping on).
- The build runs every time by default, so a parser change is picked up even in a
  week with no new release; the release step only cuts a release when data changed.
"""
from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from ncpi.paths import RAW_DIR, WAREHOUSE_DIR

FLOW_NAME = "ncpi-pipeline"
DEPLOYMENT_NAME = "weekly"
CRON = "0 6 * * 1"                 # Mondays 06:00
TIMEZONE = "Europe/London"         # follows BST/GMT
FETCH_RETRIES = 2
FETCH_RETRY_DELAY_SECONDS = 300.0
LOCK_WAIT_SECONDS = 3600.0         # wait up to an hour for a manual run to finish


class FetchIncomplete(RuntimeError):
    """Some URLs failed in a way a retry may fix (raised so the task is retried)."""


class FetchFailed(RuntimeError):
    """Some URLs failed in a way a retry will not fix (404, too large...): the run ends Failed."""


def permanent_failures(fetched: dict | None) -> list[str]:
    """'URL: message' for each URL or feed that failed for good, from fetch_task's result."""
    if not fetched:
        return []
    out = [f"{o['url']}: {o['message']}" for o in fetched.get("outcomes", [])
           if o.get("result") == "failed"]
    out += [f"{d['url']}: {d['message']}" for d in fetched.get("discoveries", []) if not d.get("ok")]
    return out


@task(name="fetch", retries=FETCH_RETRIES, retry_delay_seconds=FETCH_RETRY_DELAY_SECONDS, cache_policy=NO_CACHE)
def fetch_task(registry: str, raw_dir: str, only: str | None = None) -> dict:
    from ncpi.fetch import fetch_sources, load_registry

    logger = get_run_logger()
    report = fetch_sources(load_registry(Path(registry)), Path(raw_dir), only=only, log_fn=logger.info)
    logger.info("fetch: %s", report.summary())
    for line in report.lines():
        (logger.error if "failed" in line else logger.info)(line.strip())
    if report.transient_failures:
        urls = ", ".join(report.transient_failures[:5])
        raise FetchIncomplete(f"{len(report.transient_failures)} URL(s) failed and may work on a retry: {urls}")
    return report.to_dict()


@flow(name=FLOW_NAME, description="Fetch new NCPI releases, rebuild the dataset, cut a release if it changed.")
def ncpi_pipeline(
    raw_dir: str | None = None,
    warehouse_dir: str | None = None,
    registry: str | None = None,
    build: bool = True,
    only_if_changed: bool = False,
    fetch_retries: int = FETCH_RETRIES,
    fetch_retry_delay_seconds: float = FETCH_RETRY_DELAY_SECONDS,
) -> dict:
    """Parameters default to the project's raw/, warehouse/ and raw/sources.toml.

    `build=False` only fetches; `only_if_changed=True` skips the build in a week where
    nothing new was fetched (the default rebuilds anyway, to pick up parser changes)."""
    logger = get_run_logger()
    raw = str(Path(raw_dir) if raw_dir else RAW_DIR)
    warehouse = str(Path(warehouse_dir) if warehouse_dir else WAREHOUSE_DIR)
    registry_path = str(Path(registry) if registry else Path(raw) / "sources.toml")

    fetch = fetch_task.with_options(retries=fetch_retries, retry_delay_seconds=fetch_retry_delay_seconds)
    state = fetch(registry_path, raw, return_state=True)
    fetched: dict | None = None
    fetch_error: BaseException | None = None
    if state.is_completed():
        fetched = state.result()
    else:
        try:
            state.result()
        except BaseException as exc:      # the task's own exception, re-raised by result()
            fetch_error = exc
        logger.warning("fetch did not complete (%s); building from what %s already holds", fetch_error, raw)

    result: dict = {"fetch": fetched, "run": None}
    changed = fetched is None or fetched.get("new", 0) > 0
    if build and (changed or not only_if_changed):
        # Imported here so this module (and `ncpi serve`) loads even where the build is absent.
        from flows.run import run_flow
        from ncpi.lock import WarehouseLock

        # A scheduled run queues behind a manual `ncpi run` instead of interleaving with it.
        from ncpi.warehouse import sweep_temporaries
        with WarehouseLock(Path(warehouse), wait=LOCK_WAIT_SECONDS, command="ncpi-pipeline (scheduled)"):
            sweep_temporaries(Path(warehouse))
            result["run"] = run_flow(raw, warehouse)
    elif build:
        logger.info("nothing new was fetched: build skipped (only_if_changed=True)")
    if fetch_error is not None:
        raise FetchIncomplete(f"the build ran, but fetching failed: {fetch_error}") from fetch_error
    failures = permanent_failures(fetched)
    if failures:
        for line in failures:
            logger.error("fetch failed: %s", line)
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        raise FetchFailed(f"the build ran, but {len(failures)} source(s) could not be fetched: {failures[0]}{more}; "
                          f"fix or remove them in sources.toml")
    return result


if __name__ == "__main__":
    from flows.prefect_env import configure_prefect

    configure_prefect()
    ncpi_pipeline()
