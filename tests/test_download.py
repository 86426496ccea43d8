"""`ncpi download`: a real HTTP server on 127.0.0.1 serving release folders, good and tampered."""
from __future__ import annotations

import functools
import hashlib
import json
import shutil
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from ncpi_cli.main import main as cli_main
from ncpi.release import DownloadError, download_release, find_problems
from ncpi.release.fsutil import format_sums, parse_sums
from tests.release_fixtures import cut_sample_release


class Handler(SimpleHTTPRequestHandler):
    requested: list[str] = []
    slow: set[str] = set()

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        type(self).requested.append(self.path)
        if any(self.path.endswith(s) for s in type(self).slow):
            time.sleep(3)
        return super().do_GET()


@pytest.fixture(scope="module")
def release_dir(tmp_path_factory):
    return cut_sample_release(tmp_path_factory.mktemp("wh"))


@pytest.fixture
def site(tmp_path, release_dir):
    """A web root with releases/1.0.0 (a private copy each test may tamper with), served on 127.0.0.1."""
    root = tmp_path / "site"
    shutil.copytree(release_dir, root / "releases" / "1.0.0")
    Handler.requested = []
    Handler.slow = set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield root / "releases" / "1.0.0", f"http://127.0.0.1:{server.server_address[1]}/releases/1.0.0/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def reseal(rel: Path, manifest: dict | None = None) -> None:
    if manifest is not None:
        (rel / "datapackage.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    sums = parse_sums((rel / "SHA256SUMS").read_text())
    for name in list(sums):
        if (rel / name).exists():
            sums[name] = hashlib.sha256((rel / name).read_bytes()).hexdigest()
    (rel / "SHA256SUMS").write_text(format_sums(sums))


def nothing_left(dest: Path) -> bool:
    return not dest.exists() and not any(p.name.startswith(f".{dest.name}.download-") for p in dest.parent.iterdir())


def test_download_verifies_and_is_queryable(site, tmp_path):
    _, url = site
    dest = tmp_path / "got" / "ncpi-1.0.0"
    ok = download_release(url, dest)
    listed = len((dest / "SHA256SUMS").read_text().splitlines())
    assert ok.version == "1.0.0" and ok.path == dest and ok.files == listed + 1    # + SHA256SUMS itself
    assert find_problems(dest) == []
    con = duckdb.connect(config={"file_search_path": str(dest)})
    assert con.execute("SELECT count(*) FROM 'findings.parquet'").fetchone() == (5,)
    assert con.execute(
        "SELECT count(*) FROM 'findings.parquet' f JOIN 'forces.parquet' USING (force_id)").fetchone() == (5,)


def test_download_default_dest_and_manifest_url(site, tmp_path, monkeypatch):
    _, url = site
    monkeypatch.chdir(tmp_path)
    ok = download_release(url + "datapackage.json")
    assert ok.path == tmp_path / "ncpi-1.0.0"


def test_tampered_byte_is_refused(site, tmp_path):
    rel, url = site
    data = bytearray((rel / "findings.parquet").read_bytes())
    data[len(data) // 2] ^= 0x01
    (rel / "findings.parquet").write_bytes(bytes(data))
    dest = tmp_path / "got"
    with pytest.raises(DownloadError, match=r"^refused: findings\.parquet does not match its SHA256SUMS hash \(tampered\)$"):
        download_release(url, dest)
    assert nothing_left(dest)


def test_tampered_manifest_is_refused(site, tmp_path):
    rel, url = site
    dp = json.loads((rel / "datapackage.json").read_text())
    dp["resources"][3]["rows"] = 99
    (rel / "datapackage.json").write_text(json.dumps(dp))
    dest = tmp_path / "got"
    with pytest.raises(DownloadError, match="datapackage.json does not match its SHA256SUMS hash"):
        download_release(url, dest)
    assert nothing_left(dest)


def test_consistently_resealed_lie_is_caught_by_verify(site, tmp_path):
    """Hashes all agree, but the manifest's row count is false: the full verify refuses it."""
    rel, url = site
    dp = json.loads((rel / "datapackage.json").read_text())
    next(r for r in dp["resources"] if r["name"] == "findings")["rows"] = 99
    reseal(rel, dp)
    dest = tmp_path / "got"
    with pytest.raises(DownloadError, match=r"^refused: findings\.parquet: has 5 rows, the manifest says 99$"):
        download_release(url, dest)
    assert nothing_left(dest)


def test_manifest_path_escaping_is_refused_before_any_fetch(site, tmp_path):
    rel, url = site
    (rel.parent / "x").write_bytes(b"outside the release")
    dp = json.loads((rel / "datapackage.json").read_text())
    dp["resources"][0]["path"] = "../x"
    reseal(rel, dp)
    dest = tmp_path / "got"
    with pytest.raises(DownloadError, match=r"unsafe path '\.\./x'"):
        download_release(url, dest)
    assert nothing_left(dest)
    assert all("x" != p.rsplit("/", 1)[-1] for p in Handler.requested)
    assert not any(p.endswith(".parquet") for p in Handler.requested)


def test_sums_path_escaping_is_refused(site, tmp_path):
    rel, url = site
    with open(rel / "SHA256SUMS", "a") as fh:
        fh.write("0" * 64 + "  ../../etc/passwd\n")
    dest = tmp_path / "got"
    with pytest.raises(DownloadError, match="unsafe path"):
        download_release(url, dest)
    assert nothing_left(dest)


def test_missing_file_is_refused(site, tmp_path):
    rel, url = site
    (rel / "statements.parquet").unlink()
    dest = tmp_path / "got"
    with pytest.raises(DownloadError, match=r"cannot fetch .*statements\.parquet: HTTP 404"):
        download_release(url, dest)
    assert nothing_left(dest)


def test_oversized_file_is_cut_off(site, tmp_path):
    """A file larger than the manifest says is refused while streaming, whatever SHA256SUMS claims."""
    rel, url = site
    with open(rel / "sources.parquet", "ab") as fh:
        fh.write(b"\0" * 100_000)
    reseal(rel)          # SHA256SUMS agrees with the bloated file; datapackage.json's bytes do not
    dest = tmp_path / "got"
    with pytest.raises(DownloadError, match=r"sources\.parquet is .*bytes"):
        download_release(url, dest)
    assert nothing_left(dest)


def test_existing_destination_is_not_touched(site, tmp_path):
    _, url = site
    dest = tmp_path / "got"
    dest.mkdir()
    (dest / "mine.txt").write_text("keep")
    with pytest.raises(DownloadError, match="already exists"):
        download_release(url, dest)
    assert (dest / "mine.txt").read_text() == "keep"


def test_timeout(site, tmp_path):
    _, url = site
    Handler.slow = {"findings.parquet"}
    dest = tmp_path / "got"
    with pytest.raises(DownloadError, match="findings.parquet"):
        download_release(url, dest, timeout=(1.0, 0.5))
    assert nothing_left(dest)


def test_not_http(tmp_path):
    with pytest.raises(DownloadError, match="is not an http"):
        download_release("file:///etc/", tmp_path / "x")


def test_cli(site, tmp_path, capsys):
    rel, url = site
    dest = tmp_path / "cli"
    assert cli_main(["download", url, "--dest", str(dest)]) == 0
    assert f"downloaded release 1.0.0 to {dest}" in capsys.readouterr().out
    assert cli_main(["verify", str(dest)]) == 0
    capsys.readouterr()
    data = bytearray((rel / "README.md").read_bytes())
    data[10] ^= 0x20
    (rel / "README.md").write_bytes(bytes(data))
    assert cli_main(["download", url, "--dest", str(tmp_path / "cli2")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["ncpi download: error: refused: README.md does not match its SHA256SUMS hash (tampered)"]
    assert not (tmp_path / "cli2").exists()
