"""Interrupted runs lose nothing: SIGKILL the pipeline mid-stage, then check the previous
release still verifies, `latest` is unchanged, no half-written file shows as a table, and
the next run completes.

Each faulted run is a real `ncpi run` (or `ncpi fetch`) subprocess with
NCPI_FAULT_STAGE=<stage>: ncpi.faults.crash_point kills the process with SIGKILL in the
middle of that stage (one Parquet table of seven rewritten; half a release's files in its
temporary folder; the new DuckDB file written but not renamed; a fetched page's sidecar
stored but not its body). All subprocesses share the session's Prefect test server, so
no run starts its own.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from ncpi.tables import TABLE_ORDER

ROOT = Path(__file__).resolve().parents[1]
NCPI = str(Path(sys.executable).parent / "ncpi")
TABLES = list(TABLE_ORDER)          # every table the build writes
NEW_DOC = ROOT / "tests" / "fixtures" / "variants" / "106_sussex_quote_missing_close.txt"
WEB = ROOT / "tests" / "fixtures" / "web"


@pytest.fixture(scope="module")
def prefect_env(prefect_harness):
    from prefect.settings import PREFECT_API_URL
    env = dict(os.environ)
    env["PREFECT_API_URL"] = PREFECT_API_URL.value()
    env.pop("NCPI_FAULT_STAGE", None)
    return env


def ncpi(args, env, fault: str | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run the real CLI in its own process group. Output goes to files, not pipes: a
    killed run's helper processes could hold a pipe open; they are ended with the group."""
    env = dict(env)
    if fault:
        env["NCPI_FAULT_STAGE"] = fault
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([NCPI, *map(str, args)], stdout=out, stderr=err, cwd=ROOT, env=env,
                                start_new_session=True)
        try:
            code = proc.wait(timeout=timeout)
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)     # the group we started: leftovers of a killed run
            except ProcessLookupError:
                pass
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(proc.args, code, out.read(), err.read())


@pytest.fixture(scope="module")
def first_release(tmp_path_factory, prefect_env):
    """raw/ (the seeds) and a warehouse after one good run: release 1.0.0."""
    base = tmp_path_factory.mktemp("faults-base")
    raw, wh = base / "raw", base / "warehouse"
    shutil.copytree(ROOT / "raw" / "seeds", raw / "seeds")
    shutil.copytree(ROOT / "raw" / "reference", raw / "reference")
    r = ncpi(["run", "--raw", raw, "--warehouse", wh], prefect_env)
    assert r.returncode == 0, r.stderr
    assert (wh / "latest").read_text().strip() == "1.0.0"
    return base


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_previous_state_intact(wh: Path, env, latest: str, old_release: dict[str, bytes]):
    assert (wh / "latest").read_text().strip() == latest
    r = ncpi(["verify", wh / "releases" / latest], env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert snapshot(wh / "releases" / "1.0.0") == old_release           # never touched
    # Only complete releases are visible: temporary folders are dot-folders.
    assert sorted(p.name for p in (wh / "releases").iterdir() if not p.name.startswith(".")) <= ["1.0.0", "1.1.0"]
    # Every table is a whole Parquet file; leftovers are dot-files the views never glob.
    visible = sorted(p.name for p in (wh / "tables").iterdir() if not p.name.startswith("."))
    assert visible == sorted(f"{t}.parquet" for t in TABLES)
    import pyarrow.parquet as pq
    for t in TABLES:
        pq.read_table(wh / "tables" / f"{t}.parquet")
    # The database the killed run left still answers every view.
    for t in TABLES:
        r = ncpi(["sql", "--warehouse", wh, f"SELECT count(*) FROM {t}"], env)
        assert r.returncode == 0, (t, r.stderr)


@pytest.mark.parametrize("stage, latest_after_kill", [("build", "1.0.0"), ("release", "1.0.0"), ("views", "1.1.0")])
def test_sigkill_mid_stage_loses_nothing_and_the_next_run_completes(first_release, prefect_env, tmp_path, stage, latest_after_kill):
    base = tmp_path / "copy"
    shutil.copytree(first_release, base, symlinks=True)
    raw, wh = base / "raw", base / "warehouse"
    old_release = snapshot(wh / "releases" / "1.0.0")
    shutil.copyfile(NEW_DOC, raw / "seeds" / "900_new_release.txt")     # so this run has a release to cut

    tables_before = snapshot(wh / "tables")
    r = ncpi(["run", "--raw", raw, "--warehouse", wh], prefect_env, fault=stage)
    assert r.returncode == -signal.SIGKILL, (r.returncode, r.stderr[-2000:])
    if stage == "build":   # killed with some tables rewritten: tables/ is still wholly the old build
        assert snapshot(wh / "tables") == tables_before
    assert_previous_state_intact(wh, prefect_env, latest_after_kill, old_release)

    r = ncpi(["run", "--raw", raw, "--warehouse", wh], prefect_env)      # the lock died with the killed run
    assert r.returncode == 0, r.stderr
    # The next run swept what the killed one left.
    assert not [p.name for p in wh.iterdir() if p.name.startswith((".ncpi.", ".tables."))]
    assert not [p.name for p in (wh / "tables").iterdir() if p.name.endswith(".tmp")]
    assert "documents in: 6 = parsed 6 + quarantined 0" in r.stdout
    assert (wh / "latest").read_text().strip() == "1.1.0"
    assert ncpi(["verify", wh / "releases" / "1.1.0"], prefect_env).returncode == 0
    assert snapshot(wh / "releases" / "1.0.0") == old_release
    r = ncpi(["sql", "--warehouse", wh, "SELECT count(*) AS n FROM sources"], prefect_env)
    assert r.returncode == 0 and " 6 " in r.stdout


def test_sigkill_mid_fetch_leaves_no_half_document(http_server, prefect_env, tmp_path):
    from ncpi.rawio import list_documents

    http_server.expect_request("/norfolk").respond_with_data((WEB / "hmic_norfolk.html").read_bytes(),
                                                             content_type="text/html")
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "raw" / "seeds", raw / "seeds")
    shutil.copytree(ROOT / "raw" / "reference", raw / "reference")
    (raw / "sources.toml").write_text("[fetch]\nper_host_delay = 0\nretries = 0\nbackoff_factor = 0\n\n"
                                      f'[[release]]\nurl = "{http_server.url_for("/norfolk")}"\n', encoding="utf-8")
    before = list_documents(raw)

    r = ncpi(["fetch", "--raw", raw], prefect_env, fault="fetch")
    assert r.returncode == -signal.SIGKILL, r.stderr
    assert list_documents(raw) == before              # a sidecar alone is not a document
    r = ncpi(["build", "--no-prefect", "--raw", raw, "--out", tmp_path / "out"], prefect_env)
    assert "documents in: 5 = parsed 5 + quarantined 0" in r.stdout

    r = ncpi(["fetch", "--raw", raw], prefect_env)
    assert r.returncode == 0, r.stdout + r.stderr
    after = list_documents(raw)
    assert len(after) == len(before) + 1
    r = ncpi(["build", "--no-prefect", "--raw", raw, "--out", tmp_path / "out"], prefect_env)
    assert "documents in: 6 = parsed 6 + quarantined 0" in r.stdout, r.stdout


# --- issue 15: a killed run leaves no process behind -----------------------------------------
def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        for child in _children(todo.pop()):
            out.append(child)
            todo.append(child)
    return out


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(") ", 1)[1][:1] != "Z"
    except (OSError, IndexError):
        return False


def test_sigkilled_run_leaves_no_temporary_prefect_server(tmp_path):
    """No PREFECT_API_URL: the run starts Prefect's temporary server. SIGKILL the run (only
    it, not its group) while the server is up: the server must go too."""
    import time
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "raw" / "seeds", raw / "seeds")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    proc = subprocess.Popen([NCPI, "run", "--raw", str(raw), "--warehouse", str(tmp_path / "wh")], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    server = None
    try:
        for _ in range(1200):               # polls, not a time limit: the server appears or the run ends
            server = next((p for p in _descendants(proc.pid) if "uvicorn" in _cmdline(p)), None)
            if server is not None or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert server is not None, "the run never started Prefect's temporary server"
        assert "ncpi.childguard" in _cmdline(server)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        for _ in range(600):
            if not _alive(server):
                break
            time.sleep(0.1)
        assert not _alive(server), f"orphaned Prefect server {server}: {_cmdline(server)}"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
