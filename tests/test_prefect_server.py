"""End to end against a real Prefect server: `prefect server start` on 127.0.0.1, `ncpi serve`
deploys the weekly pipeline, a triggered run fetches from a local HTTP server into a temp
raw/, builds a temp warehouse, and completes. Every process started here is stopped.

Select or skip it with `-m server` / `-m "not server"`; it runs by default (about a minute).
"""
from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from ncpi_cli.commands.serve import free_port, start_prefect_server

ROOT = Path(__file__).resolve().parents[1]
WEB = Path(__file__).parent / "fixtures" / "web"

pytestmark = [pytest.mark.server, pytest.mark.timeout(300)]

PAGES = {
    "/hmicfrs/news/news-feed/northumbria-police-has-taken-important-steps-to-improve-its-child-protection-capabilities-but-inconsistencies-remain/": "hmicfrs_northumbria.html",
    "/hmicfrs/news/news-feed/humberside-police-committed-to-improving-child-protection-but-progress-slow-in-some-areas/": "hmicfrs_humberside.html",
}


def stop_group(proc: subprocess.Popen, timeout: float = 20) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGINT)          # serve pauses its schedule and exits on SIGINT
        proc.wait(timeout)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(10)


async def wait_for_deployment(client, name: str, timeout: float, serve_proc: subprocess.Popen, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if serve_proc.poll() is not None:
            raise AssertionError(f"ncpi serve exited with {serve_proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            return await client.read_deployment_by_name(name)
        except Exception:
            await asyncio.sleep(0.5)
    raise AssertionError(f"deployment {name} did not appear within {timeout} s:\n{log.read_text()[-3000:]}")


async def trigger_and_wait(api_url: str, serve_proc: subprocess.Popen, log: Path):
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        async with get_client() as client:
            deployment = await wait_for_deployment(client, "ncpi-pipeline/weekly", 90, serve_proc, log)
            run = await client.create_flow_run_from_deployment(deployment.id)
            deadline = time.monotonic() + 150
            while time.monotonic() < deadline:
                run = await client.read_flow_run(run.id)
                if run.state is not None and run.state.is_final():
                    break
                if serve_proc.poll() is not None:
                    raise AssertionError(f"ncpi serve died during the run:\n{log.read_text()[-3000:]}")
                await asyncio.sleep(1)
            return deployment, run


def test_served_pipeline_runs_to_completion_on_a_real_server(tmp_path):
    home = tmp_path / "prefect-home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update({
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_TO_API_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
        "PREFECT_LOGGING_LEVEL": "INFO",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
    })

    # The web: a feed with two NCPI releases (and items to skip), on 127.0.0.1.
    web = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    web.start()
    base = web.url_for("").rstrip("/")
    feed = (WEB / "hmicfrs_feed.xml").read_text(encoding="utf-8").replace("{{BASE}}", base)
    web.expect_request("/hmicfrs/feed/").respond_with_data(feed, content_type="application/rss+xml")
    for path, name in PAGES.items():
        web.expect_request(path).respond_with_data((WEB / name).read_bytes(), content_type="text/html; charset=UTF-8")

    # A temp raw/ with the forces reference and a registry naming only the local feed.
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    shutil.copytree(ROOT / "raw" / "reference", raw / "reference")
    (raw / "sources.toml").write_text(
        "[fetch]\nper_host_delay = 0\nretries = 1\nbackoff_factor = 0\n\n"
        f'[[feed]]\nurl = "{base}/hmicfrs/feed/"\n', encoding="utf-8")

    server = serve = None
    serve_log = tmp_path / "serve.log"
    try:
        server = start_prefect_server(free_port(), env=env, log_path=tmp_path / "server.log", timeout=120)
        serve_env = dict(env, PREFECT_API_URL=server.url)
        with open(serve_log, "wb") as out:
            serve = subprocess.Popen(
                [sys.executable, "-m", "ncpi_cli.main", "serve", "--raw", str(raw), "--warehouse", str(warehouse)],
                cwd=ROOT, env=serve_env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deployment, run = asyncio.run(trigger_and_wait(server.url, serve, serve_log))

        assert run.state.is_completed(), f"flow run ended {run.state.type}: {run.state.message}\n" \
                                         f"{serve_log.read_text()[-4000:]}"
        # The deployment carries the weekly schedule from prefect.yaml.
        (sched,) = deployment.schedules
        assert sched.schedule.cron == "0 6 * * 1" and sched.schedule.timezone == "Europe/London"
        assert deployment.parameters["raw_dir"] == str(raw)
        # The run fetched the two releases (and nothing else) and built the warehouse.
        docs = sorted(p for p in (raw / "fetched").rglob("*.html"))
        assert len(docs) == 2 and all(p.with_name(p.name + ".meta.json").exists() for p in docs)
        requested = {req.path for req, _ in web.log}
        assert requested == {"/hmicfrs/feed/", *PAGES}
        import pyarrow.parquet as pq

        sources = pq.read_table(warehouse / "tables" / "sources.parquet").to_pylist()
        assert sorted(s["url"] for s in sources) == sorted(base + p for p in PAGES)
        assert {s["publisher"] for s in sources} == {"HMICFRS"}
    finally:
        if serve is not None:
            stop_group(serve)
        if server is not None:
            server.stop()
        web.clear()
        web.stop()
    assert serve.poll() is not None and server.process.poll() is not None


# --- issue 15: scheduled runs that fail say so ----------------------------------------------
async def wait_for_any_run(api_url: str, deployment_name: str, serve_proc, log: Path, timeout: float = 180):
    """The first flow run of the deployment (triggered from outside), once it is final; its logs."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId, LogFilter, LogFilterFlowRunId
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        async with get_client() as client:
            deployment = await wait_for_deployment(client, deployment_name, 90, serve_proc, log)
            deadline = time.monotonic() + timeout
            run = None
            while time.monotonic() < deadline:
                runs = await client.read_flow_runs(deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id])))
                run = runs[0] if runs else None
                if run is not None and run.state is not None and run.state.is_final():
                    break
                if serve_proc.poll() is not None:
                    raise AssertionError(f"ncpi serve died:\n{log.read_text()[-3000:]}")
                await asyncio.sleep(1)
            assert run is not None, "the hint created no flow run"
            await asyncio.sleep(3)     # logs are shipped in batches (every 2 s by default)
            logs = await client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id])))
            return run, [entry.message for entry in logs]


def test_the_printed_hint_works_in_a_new_shell_and_a_404_run_fails_with_its_logs(tmp_path):
    home = tmp_path / "prefect-home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update({"PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "false",
                "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90", "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false"})
    web = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    web.start()
    web.expect_request("/gone").respond_with_data("Not found", status=404)
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    shutil.copytree(ROOT / "raw" / "reference", raw / "reference")
    shutil.copytree(ROOT / "raw" / "seeds", raw / "seeds")
    (raw / "sources.toml").write_text("[fetch]\nper_host_delay = 0\nretries = 0\nbackoff_factor = 0\n\n"
                                      f'[[release]]\nurl = "{web.url_for("/gone")}"\n', encoding="utf-8")
    server = serve = None
    serve_log = tmp_path / "serve.log"
    try:
        server = start_prefect_server(free_port(), env=env, log_path=tmp_path / "server.log", timeout=120)
        with open(serve_log, "wb") as out:
            serve = subprocess.Popen(
                [sys.executable, "-m", "ncpi_cli.main", "serve", "--no-schedule", "--raw", str(raw),
                 "--warehouse", str(warehouse)],
                cwd=ROOT, env=dict(env, PREFECT_API_URL=server.url), stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
        hint = None
        for _ in range(600):
            lines = serve_log.read_text(errors="replace").splitlines()
            hint = next((lines[i + 1].strip() for i, line in enumerate(lines[:-1]) if "from any shell" in line), None)
            if hint or serve.poll() is not None:
                break
            time.sleep(0.2)
        assert hint and server.url in hint, serve_log.read_text()[-2000:]
        # A new shell: no PREFECT_* variables, another home, another folder.
        shell_env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path / "newhome")}
        (tmp_path / "newhome").mkdir()
        deployment_ready = asyncio.run(_deployment_exists(server.url, serve, serve_log))
        assert deployment_ready
        r = subprocess.run(["bash", "-c", hint], env=shell_env, cwd=tmp_path, capture_output=True, text=True,
                           timeout=120)
        assert r.returncode == 0, r.stdout + r.stderr

        run, logs = asyncio.run(wait_for_any_run(server.url, "ncpi-pipeline/weekly", serve, serve_log))
        assert run.state.is_failed(), f"a run whose source 404s ended {run.state.type}"
        assert "could not be fetched" in (run.state.message or "") and "404" in run.state.message
        assert any("404" in message for message in logs), logs[-20:]       # its logs are in the API
        # The build still ran on what raw/ holds.
        assert (warehouse / "tables" / "sources.parquet").exists()
    finally:
        if serve is not None:
            stop_group(serve)
        if server is not None:
            server.stop()
        web.clear()
        web.stop()


async def _deployment_exists(api_url, serve_proc, log) -> bool:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        async with get_client() as client:
            return bool(await wait_for_deployment(client, "ncpi-pipeline/weekly", 90, serve_proc, log))
