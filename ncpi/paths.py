"""Where the project's folders are, and the offline Prefect settings every entry point uses."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
RAW_DIR = PROJECT_ROOT / "raw"
WAREHOUSE_DIR = PROJECT_ROOT / "warehouse"
REFERENCE_FORCES = RAW_DIR / "reference" / "forces.csv"

# Quiet, offline Prefect: no analytics, no log shipping, a home inside the project
# so a fresh clone never touches ~/.prefect, and a start-up timeout that fits a cold
# 2-core machine.
PREFECT_DEFAULTS = {
    "PREFECT_HOME": str(PROJECT_ROOT / ".prefect"),
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_TO_API_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
}


def configure_prefect_env() -> None:
    """Apply PREFECT_DEFAULTS without overriding anything the user set. (Making Prefect's
    temporary server die with this process is flows.prefect_env's job: ncpi/ never imports
    Prefect.)"""
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)


# For one-off CLI runs: Prefect's run loggers print a traceback per failed task and flow
# on top of the command's own one-line error (160-240 lines for a full disk). The CLI
# reports the failure itself; served runs keep Prefect's logs (they go to the API).
CLI_QUIET_PREFECT = {
    "PREFECT_LOGGING_LOGGERS_PREFECT_FLOW_RUNS_LEVEL": "CRITICAL",
    "PREFECT_LOGGING_LOGGERS_PREFECT_TASK_RUNS_LEVEL": "CRITICAL",
}


def quiet_prefect_for_cli() -> None:
    for key, value in CLI_QUIET_PREFECT.items():
        os.environ.setdefault(key, value)
