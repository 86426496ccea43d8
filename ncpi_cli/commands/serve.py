"""`ncpi serve`: run the full pipeline (fetch → build → release) on its weekly schedule.

This is Prefect's flow.serve: it registers the `weekly` deployment (schedule read from
prefect.yaml) with a Prefect server and runs each scheduled or triggered flow run in a
subprocess until stopped with Ctrl-C. Schedules need a real server: with
PREFECT_API_URL (or --api-url) it uses that one; otherwise it starts
`prefect server start` on 127.0.0.1 for as long as it runs.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ncpi_cli.main import EXIT_FAILED, EXIT_OK, EXIT_USAGE, CliError
from flows.prefect_env import configure_prefect
from ncpi.paths import PROJECT_ROOT, RAW_DIR, WAREHOUSE_DIR

PREFECT_YAML = PROJECT_ROOT / "prefect.yaml"


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "serve",
        help="run the pipeline on its weekly schedule (Prefect flow.serve)",
        description=(
            "Register the weekly deployment of the pipeline (fetch new releases, build, cut a "
            "release) and run its flow runs until interrupted. The schedule comes from "
            "prefect.yaml (Mondays 06:00 Europe/London). Uses the Prefect server at "
            "PREFECT_API_URL, or starts a local one on 127.0.0.1."
        ),
    )
    p.add_argument("--name", default=None, help="deployment name (default: from prefect.yaml, 'weekly')")
    p.add_argument("--cron", default=None, help="override the cron schedule, e.g. '0 6 * * 1'")
    p.add_argument("--timezone", default=None, help="timezone of the cron schedule (default: Europe/London)")
    p.add_argument("--no-schedule", action="store_true", help="no schedule: run only when triggered")
    p.add_argument("--raw", type=Path, default=RAW_DIR, help="raw root the runs read and fetch into")
    p.add_argument("--warehouse", type=Path, default=WAREHOUSE_DIR, help="warehouse the runs build into")
    p.add_argument("--registry", type=Path, default=None, help="source registry (default: RAW/sources.toml)")
    p.add_argument("--api-url", default=None, help="Prefect API URL (default: $PREFECT_API_URL)")
    p.add_argument("--port", type=int, default=4200, help="port of the local server started when there is no API URL")
    p.set_defaults(handler=run)


# --- prefect.yaml ------------------------------------------------------------------------

@dataclass(frozen=True)
class DeploymentConfig:
    name: str
    entrypoint: str
    flow_name: str | None
    cron: str | None
    timezone: str | None
    work_pool: str | None
    concurrency_limit: int | None


def load_deployment(path: Path = PREFECT_YAML, name: str | None = None) -> DeploymentConfig:
    """The deployment `name` (default: the first) declared in prefect.yaml."""
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    deployments = data.get("deployments") or []
    if not deployments:
        raise CliError(f"{path}: no deployments declared")
    dep = next((d for d in deployments if name is None or d.get("name") == name), None)
    if dep is None:
        raise CliError(f"{path}: no deployment named {name!r}", EXIT_USAGE)
    schedules = dep.get("schedules") or ([dep["schedule"]] if dep.get("schedule") else [])
    cron = next((s.get("cron") for s in schedules if s.get("cron")), None)
    tz = next((s.get("timezone") for s in schedules if s.get("cron")), None)
    return DeploymentConfig(
        name=dep["name"], entrypoint=dep["entrypoint"], flow_name=dep.get("flow_name"), cron=cron, timezone=tz,
        work_pool=(dep.get("work_pool") or {}).get("name"), concurrency_limit=dep.get("concurrency_limit"),
    )


# --- a local Prefect server ----------------------------------------------------------------

def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@dataclass
class LocalServer:
    """A `prefect server start` child process in its own process group."""

    process: subprocess.Popen
    url: str                  # the API URL, ending in /api
    log_path: Path | None = None

    def stop(self, timeout: float = 20.0) -> None:
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(10)


def wait_healthy(api_url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    import requests

    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the Prefect server exited with status {process.returncode} before it was ready")
        try:
            r = requests.get(f"{api_url}/health", timeout=2, proxies={"http": "", "https": ""})
            if r.status_code == 200:
                return
            last = f"HTTP {r.status_code}"
        except requests.RequestException as exc:
            last = type(exc).__name__
        time.sleep(0.5)
    raise RuntimeError(f"the Prefect server at {api_url} was not ready within {timeout:.0f} s ({last})")


def start_prefect_server(port: int | None = None, *, host: str = "127.0.0.1", env: dict | None = None,
                         log_path: Path | None = None, timeout: float = 120.0) -> LocalServer:
    """Start `prefect server start` on host:port and wait until its API answers."""
    port = port or free_port(host)
    env = dict(os.environ if env is None else env)
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env.setdefault("PREFECT_UI_ENABLED", "false")
    env.pop("PREFECT_API_URL", None)
    out = open(log_path, "ab") if log_path else subprocess.DEVNULL
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", host, "--port", str(port)],
            env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
    finally:
        if log_path:
            out.close()
    server = LocalServer(proc, f"http://{host}:{port}/api", log_path)
    try:
        wait_healthy(server.url, timeout, proc)
    except BaseException:
        server.stop()
        raise
    return server


# --- the command ---------------------------------------------------------------------------

def trigger_hint(api_url: str, flow_name: str, deployment: str) -> str:
    """The command that triggers a run, as it works pasted into a new shell: the API URL
    and the absolute path of this install's prefect are in it (a new shell has neither)."""
    import shlex
    exe = Path(sys.executable).parent / "prefect"
    prefect = shlex.quote(str(exe)) if exe.exists() else f"{shlex.quote(sys.executable)} -m prefect"
    return (f"PREFECT_API_URL={shlex.quote(api_url)} {prefect} deployment run "
            f"{shlex.quote(f'{flow_name}/{deployment}')}")


def run(args) -> int:
    # Served runs ship their logs to the API, so the UI shows why a run failed (the
    # project default keeps it off for one-off CLI runs, which print to the terminal).
    os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "true")
    configure_prefect()
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
    dep = load_deployment(PREFECT_YAML, args.name) if PREFECT_YAML.exists() else None
    from flows import pipeline

    name = args.name or (dep.name if dep else pipeline.DEPLOYMENT_NAME)
    cron = args.cron or (dep.cron if dep else None) or pipeline.CRON
    tz = args.timezone or (dep.timezone if dep else None) or pipeline.TIMEZONE
    raw = Path(args.raw).resolve()
    params = {
        "raw_dir": str(raw),
        "warehouse_dir": str(Path(args.warehouse).resolve()),
        "registry": str(Path(args.registry).resolve() if args.registry else raw / "sources.toml"),
    }
    if not Path(params["registry"]).exists():
        raise CliError(f"no source registry at {params['registry']} (pass --registry)", EXIT_USAGE)

    from prefect.deployments.runner import EntrypointType
    from prefect.schedules import Cron
    from prefect.settings import PREFECT_API_URL, temporary_settings

    try:
        schedules = [] if args.no_schedule else [Cron(cron, timezone=tz)]
    except ValueError as exc:
        raise CliError(f"invalid schedule {cron!r} in {tz}: {exc}", EXIT_USAGE) from None

    api_url = args.api_url or os.environ.get("PREFECT_API_URL") or PREFECT_API_URL.value()
    server = None
    if not api_url:
        print(f"ncpi serve: no PREFECT_API_URL: starting a Prefect server on 127.0.0.1:{args.port} "
              "(it stops with this command)", file=sys.stderr)
        home = Path(os.environ["PREFECT_HOME"])
        home.mkdir(parents=True, exist_ok=True)
        try:
            server = start_prefect_server(args.port, log_path=home / "server.log")
        except RuntimeError as exc:
            raise CliError(f"{exc}; see {home / 'server.log'}") from None
        api_url = server.url
    try:
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            what = "without a schedule" if args.no_schedule else f"on cron '{cron}' ({tz})"
            print(f"ncpi serve: deployment {pipeline.FLOW_NAME}/{name} {what}, API {api_url}", file=sys.stderr)
            print(f"ncpi serve: to run it now, from any shell:\n  {trigger_hint(api_url, pipeline.FLOW_NAME, name)}",
                  file=sys.stderr, flush=True)
            pipeline.ncpi_pipeline.serve(
                print_starting_message=False,
                name=name,
                schedules=schedules,
                parameters=params,
                tags=["ncpi", "scheduled"],
                description=pipeline.ncpi_pipeline.description,
                limit=dep.concurrency_limit if dep and dep.concurrency_limit else 1,
                entrypoint_type=EntrypointType.MODULE_PATH,
            )
    except KeyboardInterrupt:
        pass
    except Exception as exc:
        raise CliError(f"serving failed: {type(exc).__name__}: {exc}", EXIT_FAILED) from None
    finally:
        if server is not None:
            server.stop()
    return EXIT_OK
