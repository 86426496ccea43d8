"""Querying a release where it is hosted: `ncpi sql --release URL` and the plain-DuckDB
recipe of docs/querying.md, against real HTTP servers on 127.0.0.1 — one that answers
Range requests (the normal static host) and `python -m http.server`, which does not."""
import functools
import json
import os
import re
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from ncpi_cli.main import main
from tests.sql_fixtures import StaticServer, publish_to

ROOT = Path(__file__).resolve().parents[1]
VERSION = (ROOT / "warehouse" / "latest").read_text().strip()
RELEASE = ROOT / "warehouse" / "releases" / VERSION


class RangeHandler(SimpleHTTPRequestHandler):
    """A static server that answers `Range: bytes=a-b` with 206, as real hosts do."""
    seen: list  # (method, path, status, range header)

    def do_GET(self):
        wanted = self.headers.get("Range")
        path = Path(self.translate_path(self.path))
        m = re.fullmatch(r"bytes=(\d+)-(\d*)", wanted or "")
        if m and path.is_file():
            data = path.read_bytes()
            start = int(m[1])
            end = min(int(m[2]) if m[2] else len(data) - 1, len(data) - 1)
            if start >= len(data):
                self.seen.append(("GET", self.path, 416, wanted))
                self.send_error(416)
                return
            self.seen.append(("GET", self.path, 206, wanted))
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
            self.send_header("Content-Length", str(end - start + 1))
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            self.wfile.write(data[start:end + 1])
            return
        self.seen.append(("GET", self.path, 200, wanted))
        super().do_GET()

    def do_HEAD(self):
        self.seen.append(("HEAD", self.path, None, None))
        super().do_HEAD()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return publish_to(tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(scope="module")
def ranged(site):
    seen = []
    handler = type("H", (RangeHandler,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", seen
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def plain(site):
    server = StaticServer(site)
    try:
        yield server.url
    finally:
        server.stop()


def local(query: str):
    con = duckdb.connect()
    return con.execute(query, [str(RELEASE / "findings.parquet")]).fetchall()


BY_FORCE = "SELECT force_id, count(*) AS n FROM findings GROUP BY force_id ORDER BY force_id"


def csv_rows(capsys):
    return [tuple(line.split(",")) for line in capsys.readouterr().out.splitlines()[1:]]


@pytest.mark.parametrize("server", ["ranged", "plain"])
def test_sql_release_answers_as_the_local_files_do(server, request, capsys):
    url = request.getfixturevalue(server)
    url = url[0] if isinstance(url, tuple) else url
    assert main(["sql", "--release", url + "latest/", "--format", "csv", BY_FORCE]) == 0
    got = csv_rows(capsys)
    want = local("SELECT force_id, count(*) FROM read_parquet(?) GROUP BY force_id ORDER BY force_id")
    assert got == [(f, str(n)) for f, n in want] and len(got) > 1
    # every table of the release, named as in the warehouse, and a versioned folder too
    dp = json.loads((RELEASE / "datapackage.json").read_text())
    for res in dp["resources"]:
        if res["format"] != "parquet":
            continue      # findings_flat.csv: the spreadsheet sheet, not a table to query
        assert main(["sql", "--release", url + f"{VERSION}/", "--format", "csv",
                     f"SELECT count(*) AS n FROM {res['name']}"]) == 0
        assert csv_rows(capsys) == [(str(res["rows"]),)], res["name"]


def test_the_ranged_path_fetches_ranges(ranged, capsys):
    url, seen = ranged
    seen.clear()
    assert main(["sql", "--release", url + "latest/", "SELECT count(*) FROM findings"]) == 0
    parquet_gets = [s for s in seen if s[0] == "GET" and s[1].endswith(".parquet")]
    assert parquet_gets and all(status == 206 for _, _, status, _ in parquet_gets)


@pytest.mark.parametrize("query", [
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM read_text('{url}latest/README.md')",
    "SELECT * FROM read_parquet('{url}1.0.0/findings.parquet')",
    "SELECT * FROM read_parquet('{cwd}/x.parquet')",
    "COPY (SELECT 1) TO '{cwd}/out.csv'",
    "ATTACH '{cwd}/x.duckdb'",
    "SET enable_external_access = true",
])
def test_a_remote_query_reads_only_the_release(ranged, query, tmp_path, monkeypatch, capsys):
    url, _ = ranged
    monkeypatch.chdir(tmp_path)
    duckdb.connect().execute("COPY (SELECT 'local' AS x) TO 'x.parquet' (FORMAT parquet)")
    assert main(["sql", "--release", url + "latest/", query.format(url=url, cwd=tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("ncpi sql: error: refused") and "\n" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.parquet"]


def test_no_release_at_the_url_is_one_line_exit_1(ranged, capsys):
    url, _ = ranged
    assert main(["sql", "--release", url + "nothing-here/", "SELECT 1"]) == 1
    err = capsys.readouterr().err.strip()
    assert "no release at" in err and "404" in err and "\n" not in err


def test_a_server_that_is_not_there_is_one_line_exit_1(capsys):
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]      # bound, never listening: connections are refused
        assert main(["sql", "--release", f"http://127.0.0.1:{port}/latest/", "SELECT 1"]) == 1
    err = capsys.readouterr().err.strip()
    assert "no release at" in err and "\n" not in err


def test_not_a_url_is_one_line(capsys):
    assert main(["sql", "--release", "file:///etc/", "SELECT 1"]) == 1
    assert "not an http(s) URL" in capsys.readouterr().err


def test_a_remote_query_stops_at_the_timeout(ranged, capsys):
    url, _ = ranged
    assert main(["sql", "--release", url + "latest/", "--timeout", "0.2",
                 "SELECT count(*) FROM findings, range(1000000000) a, range(1000000000) b WHERE a.range = b.range + 1"]) == 1
    assert "ran longer than 0.2 s" in capsys.readouterr().err


def recipe() -> str:
    text = (ROOT / "docs" / "querying.md").read_text()
    section = text.split("## Plain DuckDB over HTTP", 1)[1]
    # Fenced as `py`, which tests/test_docs.py shows but does not run: it needs a server.
    return re.search(r"```py\n(.*?)```", section, re.S)[1]


def test_the_plain_duckdb_recipe_in_the_docs_works(ranged, tmp_path):
    url, _ = ranged
    code = recipe()
    assert 'url = "https://data.example.org/ncpi/latest/"' in code
    script = tmp_path / "recipe.py"
    script.write_text(code.replace("https://data.example.org/ncpi/latest/", url + "latest/"))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert proc.returncode == 0, proc.stderr
    want = local("SELECT force_id, count(*) FROM read_parquet(?) GROUP BY force_id ORDER BY force_id")
    for force_id, n in want:
        assert re.search(rf"│\s*{force_id}\s*│\s*{n}\s*│", proc.stdout), (force_id, n, proc.stdout)


class HostileHandler(RangeHandler):
    """Serves the release's datapackage.json, then misbehaves on every Parquet file."""
    mode = "trickle"

    def do_HEAD(self):
        if self.path.endswith(".parquet"):
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            return
        super().do_HEAD()

    def do_GET(self):
        if not self.path.endswith(".parquet"):
            return super().do_GET()
        if self.mode == "redirect":
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{self.other_port}/x.parquet")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", "100000")
        self.end_headers()
        try:
            for _ in range(100000):      # a byte at a time, for as long as the client listens
                self.wfile.write(b"P")
                self.wfile.flush()
                self.stop.wait(0.05)
                if self.stop.is_set():
                    return
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def hostile(site):
    stop = threading.Event()
    servers = []

    def serve(mode, other_port=0):
        handler = type("H", (HostileHandler,), {"seen": [], "mode": mode, "stop": stop, "other_port": other_port})
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        yield serve
    finally:
        stop.set()
        for server in servers:
            server.shutdown()
            server.server_close()


def test_a_trickling_server_is_stopped_at_the_timeout(hostile, capsys):
    url = hostile("trickle")
    assert main(["sql", "--release", url + "latest/", "--timeout", "1", "SELECT count(*) FROM findings"]) == 1
    err = capsys.readouterr().err.strip()
    assert "took longer than 1 s" in err and "\n" not in err


def test_a_redirect_to_another_port_is_not_followed(ranged, hostile, capsys):
    other, seen = ranged
    seen.clear()
    url = hostile("redirect", other_port=int(other.rsplit(":", 1)[1].strip("/")))
    assert main(["sql", "--release", url + "latest/", "SELECT count(*) FROM findings"]) == 1
    err = capsys.readouterr().err.strip()
    assert "redirects to another host" in err and "\n" not in err
    assert seen == []       # the other server was never asked
