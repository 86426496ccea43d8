"""Prefect's environment for one process: the project's defaults, and a temporary API server
that dies with the process that started it.

Without PREFECT_API_URL, Prefect starts a temporary API server (uvicorn) as a child process;
a SIGKILLed `ncpi run` used to leave it behind (9 after 18 kills). Here Prefect's server
module is given a `subprocess` whose Popen runs that child under ncpi/childguard.py, which
exits when its owner dies. This patches Prefect, so it lives in flows/, never in ncpi/.
"""
from __future__ import annotations

import os
import subprocess

from ncpi.childguard import guarded_command
from ncpi.paths import configure_prefect_env


class _GuardedSubprocess:
    """Stands in for the `subprocess` module inside prefect.server.api.server only."""

    def __getattr__(self, name):
        return getattr(subprocess, name)

    @staticmethod
    def Popen(args, *rest, **kwargs):  # noqa: N802 - the name subprocess gives it
        return subprocess.Popen(guarded_command(list(args)), *rest, **kwargs)


def guard_prefect_server() -> bool:
    """Make Prefect's temporary API server die with this process. True when installed."""
    try:
        from prefect.server.api import server as prefect_server
    except ImportError:
        return False
    if not hasattr(prefect_server, "SubprocessASGIServer") or not hasattr(prefect_server, "subprocess"):
        return False     # another Prefect: leave it alone rather than guess
    if not isinstance(prefect_server.subprocess, _GuardedSubprocess):
        prefect_server.subprocess = _GuardedSubprocess()
    return True


def configure_prefect() -> None:
    """The project's Prefect defaults; with no API URL, a temporary server that dies with us."""
    configure_prefect_env()
    if not os.environ.get("PREFECT_API_URL"):
        guard_prefect_server()
