"""Fault injection for the crash tests: die by SIGKILL at a named point of a stage.

`NCPI_FAULT_STAGE=build` (or fetch, release, views) makes the process kill itself the
first time it reaches that stage's fault point — mid-way through its writes, where an
interrupted run would do the most harm. SIGKILL runs no cleanup (no `finally`, no
atexit), exactly like the OOM killer or a pulled plug. Unset, this is one dict lookup.
"""
from __future__ import annotations

import os
import signal

ENV = "NCPI_FAULT_STAGE"
STAGES = ("fetch", "build", "release", "views")


def crash_point(stage: str) -> None:
    """Kill this process now if NCPI_FAULT_STAGE names `stage`."""
    if os.environ.get(ENV) == stage:
        os.kill(os.getpid(), signal.SIGKILL)
