"""One run at a time per warehouse: a second `ncpi run` exits 3 at once, or waits with --wait.

Two real processes: a holder (a small Python process taking the same lock the commands
take) and the real `ncpi` CLI.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ncpi.lock import Busy, WarehouseLock

ROOT = Path(__file__).resolve().parents[1]
NCPI = [str(Path(sys.executable).parent / "ncpi")]   # the installed entry point

HOLDER = textwrap.dedent("""
    import sys, time
    from ncpi.lock import WarehouseLock
    with WarehouseLock(sys.argv[1], command="test holder"):
        print("held", flush=True)
        sys.stdin.readline()          # hold until the test writes a line (or closes stdin)
""")


@pytest.fixture
def holder(tmp_path):
    wh = tmp_path / "warehouse"
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(wh)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout.readline().strip() == "held"
    yield wh, proc
    if proc.poll() is None:
        proc.stdin.close()
        proc.wait(timeout=30)


def _raw(tmp_path) -> Path:
    raw = tmp_path / "raw"
    (raw / "seeds").mkdir(parents=True)
    (raw / "seeds" / "a.txt").write_text("Kent Police has improved the way it protects children at risk.\n", encoding="utf-8")
    return raw


def test_second_run_exits_3_naming_the_lock_and_holder(holder, tmp_path):
    wh, proc = holder
    r = subprocess.run(NCPI + ["run", "--raw", str(_raw(tmp_path)), "--warehouse", str(wh)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 3
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr                     # one line, no traceback
    assert lines[0].startswith("ncpi run: error: another ncpi run holds")
    assert str(wh / ".lock") in lines[0]
    assert f"pid {proc.pid}" in lines[0] and "--wait" in lines[0]
    assert not (wh / "tables").exists()                 # nothing was written


def test_build_into_a_locked_warehouse_exits_3_but_a_plain_folder_does_not_lock(holder, tmp_path):
    wh, _ = holder
    raw = _raw(tmp_path)
    r = subprocess.run(NCPI + ["build", "--no-prefect", "--raw", str(raw), "--out", str(wh / "tables")],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 3 and "holds" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = subprocess.run(NCPI + ["build", "--no-prefect", "--raw", str(raw), "--out", str(tmp_path / "elsewhere")],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "documents in: 1 = parsed 1 + quarantined 0" in r.stdout


def test_wait_queues_behind_the_holder(holder, tmp_path):
    wh, proc = holder
    waiter = subprocess.Popen(NCPI + ["build", "--no-prefect", "--wait", "120", "--raw", str(_raw(tmp_path)),
                                      "--out", str(wh / "tables")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    # The waiter cannot finish while the lock is held: it is still running after the holder
    # has been asked nothing. Release the lock, then it must complete.
    with pytest.raises(subprocess.TimeoutExpired):
        waiter.wait(timeout=3)
    assert not (wh / "tables" / "sources.parquet").exists()
    proc.stdin.write("release\n")
    proc.stdin.flush()
    proc.wait(timeout=30)
    out, err = waiter.communicate(timeout=120)
    assert waiter.returncode == 0, err
    assert (wh / "tables" / "sources.parquet").exists()


def test_release_command_and_run_exclude_each_other(tmp_path):
    # `ncpi release` takes warehouse/.lock with filelock; ours is the same kernel lock.
    from filelock import FileLock
    wh = tmp_path / "wh"
    wh.mkdir()
    with FileLock(str(wh / ".lock")):
        code = subprocess.run([sys.executable, "-c", "import sys\nfrom ncpi.lock import WarehouseLock, Busy\n"
                               "try:\n    WarehouseLock(sys.argv[1]).acquire()\nexcept Busy:\n    sys.exit(3)\n", str(wh)],
                              cwd=ROOT, timeout=60).returncode
    assert code == 3


def test_a_killed_holder_leaves_no_stale_lock(tmp_path):
    wh = tmp_path / "wh"
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(wh)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout.readline().strip() == "held"
    proc.kill()
    proc.wait(timeout=30)
    with WarehouseLock(wh, command="after the crash"):
        assert "after the crash" in (wh / ".lock").read_text()


def test_lock_in_process_is_exclusive_and_reentrant_after_release(tmp_path):
    first = WarehouseLock(tmp_path, command="first").acquire()
    with pytest.raises(Busy) as err:
        WarehouseLock(tmp_path, wait=0.3).acquire()
    assert "after waiting 0.3 s" in str(err.value)
    first.release()
    with WarehouseLock(tmp_path):
        pass


def test_negative_wait_is_a_usage_error(tmp_path):
    r = subprocess.run(NCPI + ["run", "--raw", str(_raw(tmp_path)), "--warehouse", str(tmp_path / "wh"), "--wait", "-1"],
                       capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--wait" in r.stderr


# --- issue 15: the lock file is never written through a link -------------------------------
def test_symlinked_lock_is_refused_and_its_target_kept(tmp_path):
    wh = tmp_path / "warehouse"
    wh.mkdir()
    target = tmp_path / "precious.txt"
    target.write_text("do not truncate me\n")
    (wh / ".lock").symlink_to(target)
    r = subprocess.run(NCPI + ["run", "--raw", str(_raw(tmp_path)), "--warehouse", str(wh)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 1
    assert len(r.stderr.strip().splitlines()) == 1 and "not a plain file" in r.stderr, r.stderr
    assert target.read_text() == "do not truncate me\n"
    assert not (wh / "tables").exists()


def test_hard_linked_or_fifo_lock_is_refused_in_process(tmp_path):
    from ncpi.lock import UnsafeLock
    wh = tmp_path / "warehouse"
    wh.mkdir()
    other = tmp_path / "other.txt"
    other.write_text("keep\n")
    import os
    os.link(other, wh / ".lock")
    with pytest.raises(UnsafeLock):
        WarehouseLock(wh).acquire()
    assert other.read_text() == "keep\n"
    (wh / ".lock").unlink()
    os.mkfifo(wh / ".lock")
    with pytest.raises(UnsafeLock):
        WarehouseLock(wh).acquire()       # opened O_NONBLOCK: refused, not hung
