"""Hostile command lines and reference files through the real `ncpi` CLI: one line on
stderr, the right exit code, nothing overwritten (issue 15)."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NCPI = [str(Path(sys.executable).parent / "ncpi")]
RELEASE = ("Kent Police has improved the way it protects children, according to a report "
           "published today by HM Inspectorate of Constabulary.\n")


def _ncpi(*args, cwd=ROOT):
    return subprocess.run(NCPI + list(args), capture_output=True, text=True, cwd=cwd, timeout=300)


def _raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    (raw / "seeds").mkdir(parents=True)
    (raw / "seeds" / "a.txt").write_text(RELEASE, encoding="utf-8")
    return raw


def _fake_warehouse(tmp_path: Path) -> tuple[Path, dict]:
    wh = tmp_path / "warehouse"
    rel = wh / "releases" / "1.0.0"
    rel.mkdir(parents=True)
    (rel / "sources.parquet").write_bytes(b"PAR1 released bytes PAR1")
    (rel / "SHA256SUMS").write_text(hashlib.sha256(b"PAR1 released bytes PAR1").hexdigest() + "  sources.parquet\n")
    (wh / "latest").write_text("1.0.0\n")
    return wh, {p.name: p.read_bytes() for p in rel.iterdir()}


@pytest.mark.parametrize("target", ["releases/1.0.0", "releases/2.0.0", "releases/1.0.0/sub"])
def test_build_refuses_to_write_into_a_release(tmp_path, target):
    wh, before = _fake_warehouse(tmp_path)
    r = _ncpi("build", "--no-prefect", "--raw", str(_raw(tmp_path)), "--out", str(wh / target))
    assert r.returncode == 2, r.stdout + r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "never overwritten" in r.stderr
    assert {p.name: p.read_bytes() for p in (wh / "releases" / "1.0.0").iterdir()} == before
    assert not (wh / "releases" / "2.0.0").exists()


def test_build_elsewhere_in_a_warehouse_takes_its_lock(tmp_path):
    import textwrap
    wh, _ = _fake_warehouse(tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys
        from ncpi.lock import WarehouseLock
        with WarehouseLock(sys.argv[1], command="test holder"):
            print("held", flush=True); sys.stdin.readline()
    """), str(wh)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "held"
        r = _ncpi("build", "--no-prefect", "--raw", str(_raw(tmp_path)), "--out", str(wh / "scratch"))
        assert r.returncode == 3, r.stderr
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


FORCES_HEADER = "force_id,name,short_name,aliases,country,region,ons_code\n"
KENT = "kent,Kent Police,Kent,,England,South East,E23000032\n"


@pytest.mark.parametrize("body, reason", [
    (b"", "holds no forces"),
    (b"force_id,name\nkent,Kent Police\n", "lacks the column(s) short_name"),
    ((FORCES_HEADER + KENT + "essex,Essex Police\n").encode(), "line 3 has a different number of fields"),
    ((FORCES_HEADER + KENT + KENT).encode(), "repeats force_id kent"),
    ((FORCES_HEADER + ",No Id,x,,England,x,x\n").encode(), "line 2 has no force_id"),
    (FORCES_HEADER.encode() + b"kent,Kent \xff Police,Kent,,England,South East,E23000032\n", "is not UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "is not UTF-8"),
])
def test_malformed_forces_reference_is_one_line_naming_the_file(tmp_path, body, reason):
    raw = _raw(tmp_path)
    (raw / "reference").mkdir()
    (raw / "reference" / "forces.csv").write_bytes(body)
    r = _ncpi("build", "--no-prefect", "--raw", str(raw), "--out", str(tmp_path / "out"))
    assert r.returncode == 1, r.stdout + r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "forces.csv" in lines[0] and reason in lines[0], lines[0]


def test_forces_reference_that_is_a_fifo_does_not_hang(tmp_path):
    import os
    raw = _raw(tmp_path)
    (raw / "reference").mkdir()
    os.mkfifo(raw / "reference" / "forces.csv")
    r = _ncpi("build", "--no-prefect", "--raw", str(raw), "--out", str(tmp_path / "out"))
    assert r.returncode == 1 and "not a regular file" in r.stderr, r.stderr


# --- a full disk is one line ----------------------------------------------------------------
def test_a_full_disk_is_one_line_for_build_and_run(tmp_path):
    import os
    from tests.hostile.corpus import small_disk
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "raw" / "seeds", raw / "seeds")
    with small_disk(tmp_path / "tiny") as disk:
        r = _ncpi("build", "--no-prefect", "--raw", str(raw), "--out", str(disk / "out"))
        assert r.returncode == 1 and r.stderr.count("\n") == 1 and "disk is full" in r.stderr, r.stderr
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
        env["PREFECT_HOME"] = str(tmp_path / "prefect-home")       # the temporary server's files: not on the full disk
        r = subprocess.run(NCPI + ["run", "--raw", str(raw), "--warehouse", str(disk / "wh")], capture_output=True,
                           text=True, cwd=ROOT, timeout=300, env=env)
        assert r.returncode == 1 and "disk is full" in r.stderr, r.stderr[-3000:]
        assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, r.stderr[-3000:]


def test_a_corrupt_table_is_one_line_and_exit_1(tmp_path):
    wh = tmp_path / "wh"
    r = _ncpi("build", "--no-prefect", "--raw", str(_raw(tmp_path)), "--out", str(wh / "tables"))
    assert r.returncode == 0, r.stderr
    (wh / "tables" / "findings.parquet").write_bytes(b"not parquet at all")
    r = _ncpi("sql", "--warehouse", str(wh), "SELECT count(*) FROM findings")
    assert r.returncode == 1, r.stderr
    assert r.stderr.count("\n") == 1 and "findings.parquet" in r.stderr and "Traceback" not in r.stderr
