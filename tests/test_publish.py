"""`ncpi publish DIR`: releases laid out for a static host, with latest/ and an index, and
what a static host then serves: `ncpi download URL/latest/` verifies and `ncpi sql
--release URL/latest/` answers (python -m http.server on 127.0.0.1, a real subprocess)."""
import hashlib
import json
import shutil
import urllib.request
from pathlib import Path

import pytest

from ncpi.release import verify_release
from ncpi_cli.main import main
from tests.sql_fixtures import StaticServer

ROOT = Path(__file__).resolve().parents[1]
VERSION = (ROOT / "warehouse" / "latest").read_text().strip()
# A newer release than the committed one whose number sorts after MAJOR.9.x only numerically.
NEWER = f"{VERSION.split('.')[0]}.10.0"
FINDINGS = json.loads((ROOT / "warehouse" / "releases" / VERSION / "datapackage.json").read_text())
FINDINGS = next(r["rows"] for r in FINDINGS["resources"] if r["name"] == "findings")


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def next_release(src: Path, dest: Path, version: str) -> None:
    """A copy of release src that says it is `version` (manifest and SHA256SUMS updated)."""
    shutil.copytree(src, dest)
    dp = json.loads((dest / "datapackage.json").read_text())
    dp["version"] = version
    (dest / "datapackage.json").write_text(json.dumps(dp, indent=2))
    digest = hashlib.sha256((dest / "datapackage.json").read_bytes()).hexdigest()
    lines = [(f"{digest}  datapackage.json" if line.endswith("  datapackage.json") else line)
             for line in (dest / "SHA256SUMS").read_text().splitlines()]
    (dest / "SHA256SUMS").write_text("\n".join(lines) + "\n")
    verify_release(dest)


@pytest.fixture
def wh(tmp_path):
    """A warehouse with two releases: the committed one and a newer MAJOR.10.0 (sorts after MAJOR.9.x)."""
    wh = tmp_path / "warehouse"
    (wh / "releases").mkdir(parents=True)
    shutil.copytree(ROOT / "warehouse" / "releases" / VERSION, wh / "releases" / VERSION)
    next_release(wh / "releases" / VERSION, wh / "releases" / NEWER, NEWER)
    shutil.copytree(ROOT / "warehouse" / "releases" / VERSION, wh / "releases" / ".tmp-being-cut")
    (wh / "CHANGELOG.md").write_text("# Changelog\n")
    return wh


def publish(wh, out):
    return main(["publish", str(out), "--warehouse", str(wh)])


def test_layout_latest_and_index(wh, tmp_path, capsys):
    out = tmp_path / "site"
    assert publish(wh, out) == 0
    assert "published 2 release(s)" in capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [VERSION, NEWER, "latest", "index.html", "index.json", "CHANGELOG.md"])
    for version in (VERSION, NEWER):
        assert files_of(out / version) == files_of(wh / "releases" / version)
    assert (out / "latest").is_dir() and not (out / "latest").is_symlink()
    assert files_of(out / "latest") == files_of(wh / "releases" / NEWER)
    verify_release(out / "latest")
    index = json.loads((out / "index.json").read_text())
    assert index["latest"] == NEWER and index["latest_path"] == "latest/"
    assert [r["version"] for r in index["releases"]] == [NEWER, VERSION]
    assert index["releases"][1]["path"] == f"{VERSION}/" and index["releases"][1]["rows"]["findings"] == FINDINGS
    page = (out / "index.html").read_text()
    assert 'href="latest/"' in page and f'href="{VERSION}/"' in page and f'href="{NEWER}/"' in page
    assert page.index(f"{NEWER}/") < page.index(f'href="{VERSION}/"')     # newest first


def test_publishing_again_keeps_what_is_there_and_repairs_damage(wh, tmp_path, capsys):
    out = tmp_path / "site"
    assert publish(wh, out) == 0
    capsys.readouterr()
    stamp = (out / VERSION / "findings.parquet").stat().st_mtime_ns
    assert publish(wh, out) == 0
    assert "(0 copied" in capsys.readouterr().out
    assert (out / VERSION / "findings.parquet").stat().st_mtime_ns == stamp
    (out / "latest" / "findings.parquet").write_bytes(b"damaged")
    (out / VERSION / "sources.parquet").unlink()
    assert publish(wh, out) == 0
    verify_release(out / "latest")
    verify_release(out / VERSION)
    assert not [p for p in out.iterdir() if p.name.startswith(".")]     # no temporaries left


def test_a_release_that_does_not_verify_is_not_published(wh, tmp_path, capsys):
    (wh / "releases" / NEWER / "findings.parquet").write_bytes(b"tampered")
    out = tmp_path / "site"
    assert publish(wh, out) == 1
    err = capsys.readouterr().err.strip()
    assert NEWER in err and "does not verify" in err and "\n" not in err
    assert not out.exists() or not any(out.iterdir())


def test_refuses_the_warehouse_itself_and_an_empty_warehouse(wh, tmp_path, capsys):
    assert publish(wh, wh / "site") == 1
    assert "outside the warehouse" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert publish(empty, tmp_path / "site") == 1
    assert "no release" in capsys.readouterr().err


def test_a_static_server_serves_download_and_remote_queries(wh, tmp_path, capsys, monkeypatch):
    out = tmp_path / "site"
    assert publish(wh, out) == 0
    server = StaticServer(out)
    try:
        monkeypatch.chdir(tmp_path)
        assert main(["download", server.url + "latest/", "--dest", str(tmp_path / "got")]) == 0
        assert f"downloaded release {NEWER}" in capsys.readouterr().out
        assert files_of(tmp_path / "got") == files_of(wh / "releases" / NEWER)
        assert main(["sql", "--release", server.url + "latest/", "--format", "csv",
                     "SELECT count(*) AS n FROM findings"]) == 0
        assert capsys.readouterr().out.splitlines() == ["n", str(FINDINGS)]
        index = json.loads(urllib.request.urlopen(server.url + "index.json", timeout=30).read())
        assert index["latest"] == NEWER
    finally:
        server.stop()
