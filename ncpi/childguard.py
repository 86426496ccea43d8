"""Helper processes that die with the process that started them, SIGKILL included.

Prefect starts a temporary API server (uvicorn, ~220 MB) in a subprocess when no
PREFECT_API_URL is set, and stops it from an atexit hook. A SIGKILL runs no atexit hook,
so every killed `ncpi run` left one server behind (9 after 18 kills). `flows.prefect_env.guard_prefect_server()`
makes Prefect start that server through this module:

    python -m ncpi.childguard <owner pid> uvicorn <uvicorn arguments...>

which starts a watcher thread and then runs uvicorn in the same process. The watcher
ends the process within a second of its owner being gone, whatever killed the owner.
(prctl's PR_SET_PDEATHSIG was not used: it fires when the *thread* that forked exits,
and Prefect may start the server from a worker thread.)

This module imports nothing heavy: it is what the guarded process runs first.
"""
from __future__ import annotations

import os
import runpy
import subprocess
import sys
import threading
import time

POLL_SECONDS = 0.5


def alive(pid: int) -> bool:
    """True while pid runs; a zombie (killed, not yet reaped) counts as gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(") ", 1)[1][:1] != "Z"
    except FileNotFoundError:
        return False
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
            return True
        except ProcessLookupError:
            return False
        except PermissionError:
            return True


def watch_owner(owner: int, poll: float = POLL_SECONDS) -> threading.Thread:
    """Exit this process (no clean-up: the owner is gone) once `owner` has died."""
    def watch():
        while True:
            if os.getppid() != owner or not alive(owner):
                os._exit(1)
            time.sleep(poll)
    thread = threading.Thread(target=watch, daemon=True, name="ncpi-owner-watch")
    thread.start()
    return thread


def guarded_command(argv: list[str], owner: int | None = None) -> list[str]:
    """`python -m MODULE args` rewritten to run MODULE under this guard."""
    if len(argv) >= 3 and argv[1] == "-m" and argv[2] != __name__:
        return [argv[0], "-m", __name__, str(owner or os.getpid()), *argv[2:]]
    return argv


def main(argv: list[str]) -> None:
    owner, module, *args = argv
    watch_owner(int(owner))
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
