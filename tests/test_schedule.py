"""The deployment declared in prefect.yaml: weekly cron in Europe/London, an importable
entrypoint whose flow has the declared name, a process work pool; `ncpi serve` and the
flow module agree with it."""
from __future__ import annotations

import asyncio
import datetime as dt
import importlib.util
import inspect
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PREFECT_YAML = ROOT / "prefect.yaml"


@pytest.fixture(scope="module")
def config():
    return yaml.safe_load(PREFECT_YAML.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def deployment(config):
    (dep,) = config["deployments"]
    return dep


def test_one_weekly_deployment_with_a_cron_in_london_time(deployment):
    assert deployment["name"] == "weekly"
    (schedule,) = deployment["schedules"]
    assert schedule["cron"] == "0 6 * * 1"
    assert schedule["timezone"] == "Europe/London"
    assert schedule.get("active", True) is True
    ZoneInfo(schedule["timezone"])          # a real IANA zone


def test_cron_fires_once_a_week_at_six_local_time_across_clock_changes(deployment):
    from prefect.server.schemas.schedules import CronSchedule

    (schedule,) = deployment["schedules"]
    cron = CronSchedule(cron=schedule["cron"], timezone=schedule["timezone"])
    # From mid-March to mid-April 2026: British Summer Time starts on Sunday 29 March.
    start = dt.datetime(2026, 3, 16, 12, tzinfo=dt.timezone.utc)
    dates = cron.get_dates(n=5, start=start)
    if inspect.isawaitable(dates):           # sync or async depending on the calling context
        dates = asyncio.run(dates)
    london = [d.astimezone(ZoneInfo("Europe/London")) for d in dates]
    assert [d.weekday() for d in london] == [0] * 5                       # Mondays
    assert {(d.hour, d.minute) for d in london} == {(6, 0)}               # 06:00 wall-clock, GMT and BST
    utc_hours = [d.astimezone(dt.timezone.utc).hour for d in dates]
    assert utc_hours == [6, 5, 5, 5, 5]              # 23 March is GMT, 30 March onwards BST
    gaps = {(b.date() - a.date()).days for a, b in zip(london, london[1:])}
    assert gaps == {7}


def test_entrypoint_is_importable_and_names_the_flow(deployment):
    from prefect import Flow

    path, func = deployment["entrypoint"].split(":")
    assert path == "flows/pipeline.py" and (ROOT / path).exists()
    spec = importlib.util.spec_from_file_location("ncpi_entrypoint_check", ROOT / path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(spec.name, None)
    flow = getattr(module, func)
    assert isinstance(flow, Flow)
    assert flow.name == deployment["flow_name"] == "ncpi-pipeline"
    # Every parameter has a default, so a scheduled run needs none.
    assert all(p.default is not inspect.Parameter.empty for p in inspect.signature(flow.fn).parameters.values())


def test_process_work_pool_and_no_concurrent_runs(config, deployment):
    assert deployment["work_pool"]["name"] == "ncpi-process"
    assert deployment["concurrency_limit"] == 1
    assert config["build"] is None and config["push"] is None


def test_flow_module_and_serve_command_agree_with_prefect_yaml(deployment):
    from flows import pipeline
    from ncpi_cli.commands.serve import load_deployment

    (schedule,) = deployment["schedules"]
    assert (pipeline.CRON, pipeline.TIMEZONE) == (schedule["cron"], schedule["timezone"])
    assert pipeline.DEPLOYMENT_NAME == deployment["name"] and pipeline.FLOW_NAME == deployment["flow_name"]
    dep = load_deployment(PREFECT_YAML)
    assert (dep.name, dep.cron, dep.timezone, dep.entrypoint) == (
        "weekly", schedule["cron"], schedule["timezone"], deployment["entrypoint"])


def test_fetch_task_retries():
    from flows.pipeline import fetch_task

    assert fetch_task.retries >= 1 and fetch_task.retry_delay_seconds
