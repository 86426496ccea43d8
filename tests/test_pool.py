"""The parse pool's workers die with the process that owns it.

A SIGKILLed `ncpi run` must not leave workers (and their forkserver) behind: they would
hold the run's stdout/stderr open, so whoever reads them — a shell pipe, a scheduler, a
test's subprocess.run — would wait forever."""
import subprocess
import sys

SCRIPT = """
import os, signal, sys
from ncpi import build
pool = build.shared_pool(2)
print(sum(pool.map(abs, [-1, -2, -3])), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_killed_owner_leaves_no_worker_holding_its_pipes():
    # capture_output: the call returns only when every holder of the pipes is gone.
    r = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60)
    assert r.returncode == -9
    assert r.stdout.strip() == "6"
