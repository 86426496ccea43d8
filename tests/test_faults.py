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

ROOT = Path(__file__).resolve().parents[1]
NCPI = str(Path(sys.executable).parent / "ncpi")
TABLES = ["sources", "forces", "inspections", "findings", "statements", "contact_notes", "quarantine"]
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

    r = ncpi(["run", "--raw", raw, "--warehouse", wh], prefect_env, fault=stage)
    assert r.returncode == -signal.SIGKILL, (r.returncode, r.stderr[-2000:])
    assert_previous_state_intact(wh, prefect_env, latest_after_kill, old_release)

    r = ncpi(["run", "--raw", raw, "--warehouse", wh], prefect_env)      # the lock died with the killed run
    assert r.returncode == 0, r.stderr
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
