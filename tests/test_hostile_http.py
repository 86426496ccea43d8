"""Hostile HTTP servers on 127.0.0.1 against `ncpi fetch` and `ncpi download` (issue 15):
trickling bodies and headers, header floods, feeds and redirects steering to another
port, a manifest claiming 10^15 bytes. Each ends in one clear outcome and nothing left
behind. No test measures time: the servers trickle forever and the client's deadline
(set to 1 s here) must cut them; pytest's --timeout catches a client that would hang.
"""
from __future__ import annotations

import functools
import hashlib
import json
import shutil
import socket
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from ncpi.fetch import fetch_sources, parse_registry
from ncpi.fetch.http import same_origin
from ncpi.fetch.store import FETCHED
from ncpi.release import DownloadError, download_release
from ncpi.release.fsutil import format_sums, parse_sums
from tests.release_fixtures import cut_sample_release

PAGE = (b"<html><head><title>Kent Police child protection</title></head><body><p>"
        + b"Kent Police has improved the way it protects children. " * 20 + b"</p></body></html>")
FAST = dict(per_host_delay=0, retries=0, backoff_factor=0, read_timeout=5, connect_timeout=2,
            max_bytes=2_000_000, max_seconds=1, retry_after_max=1)


class RawServer:
    """A TCP server on 127.0.0.1 whose every connection is handed to `serve(conn, stop)`."""

    def __init__(self, serve):
        self.serve = serve
        self.stop = threading.Event()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _accept(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._run, args=(conn,), daemon=True).start()

    def _run(self, conn):
        try:
            conn.settimeout(5)
            _read_request(conn)
            self.serve(conn, self.stop)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self):
        self.stop.set()
        self.sock.close()
        self.thread.join(timeout=5)


def _read_request(conn) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def trickle_body(conn, stop):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000000\r\n\r\n")
    while not stop.is_set():
        conn.sendall(b"x")           # one byte at a time: never silent long enough for a read timeout
        stop.wait(0.02)


def trickle_body_no_length(conn, stop):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n" + PAGE[:200])
    while not stop.is_set():
        conn.sendall(b"x")
        stop.wait(0.02)


def trickle_headers(conn, stop):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: ")
    while not stop.is_set():
        conn.sendall(b"a")
        stop.wait(0.02)


def header_flood(conn, stop):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                 + b"".join(b"X-Flood-%d: y\r\n" % i for i in range(5000)) + b"\r\n" + PAGE)


def header_line_flood(conn, stop):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Long: " + b"z" * 200_000 + b"\r\n\r\n" + PAGE)


@pytest.fixture
def raw_server():
    servers = []

    def make(serve):
        servers.append(RawServer(serve))
        return servers[-1]
    yield make
    for s in servers:
        s.close()


def _fetch(url: str, raw: Path, **settings):
    registry = parse_registry({"fetch": {**FAST, **settings}, "release": [{"url": url}]})
    return fetch_sources(registry, raw).outcome(url)


def _nothing_stored(raw: Path) -> bool:
    fetched = raw / FETCHED
    return not fetched.exists() or not [p for p in fetched.rglob("*") if p.is_file()
                                        and p.name not in (".state.json", ".lock")]


# --- fetch ------------------------------------------------------------------------------
@pytest.mark.parametrize("serve", [trickle_body, trickle_body_no_length, trickle_headers],
                         ids=["body with a length", "body without a length", "headers"])
def test_a_trickling_server_is_cut_at_the_deadline(raw_server, tmp_path, serve):
    server = raw_server(serve)
    outcome = _fetch(server.url("/page"), tmp_path / "raw")
    assert outcome.result == "failed" and outcome.kind == "timeout", outcome
    assert "deadline" in outcome.message
    assert _nothing_stored(tmp_path / "raw")      # a body cut short is never stored as complete


@pytest.mark.parametrize("serve", [header_flood, header_line_flood], ids=["5,000 headers", "a 200 KB header"])
def test_a_header_flood_is_reported_as_such(raw_server, tmp_path, serve):
    server = raw_server(serve)
    outcome = _fetch(server.url("/page"), tmp_path / "raw")
    assert outcome.result == "failed"
    assert "header" in outcome.message and "could not connect" not in outcome.message, outcome.message
    assert _nothing_stored(tmp_path / "raw")


def test_a_redirect_to_another_port_is_not_followed(httpserver: HTTPServer, tmp_path):
    other = HTTPServer(host="127.0.0.1", port=0)
    other.start()
    try:
        other.expect_request("/secret").respond_with_data(PAGE, content_type="text/html")
        httpserver.expect_request("/r").respond_with_data("", status=302,
                                                          headers={"Location": other.url_for("/secret")})
        outcome = _fetch(httpserver.url_for("/r"), tmp_path / "raw")
        assert outcome.result == "failed" and outcome.kind == "bad_url"
        assert "another host or port" in outcome.message
        assert other.log == []                       # never asked
    finally:
        other.clear()
        other.stop()


def _feed(items: list[tuple[str, str]]) -> bytes:
    body = "".join(f"<item><title>{t}</title><link>{u}</link><pubDate>Mon, 13 May 2019 23:01:00 +0000</pubDate></item>"
                   for t, u in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{body}</channel></rss>').encode()


NCPI_TITLE = "Northumbria Police has taken important steps to improve its child protection capabilities"


# pytest-httpserver's URLs name localhost: 127.0.0.1 on its port is another host.
@pytest.mark.parametrize("host", ["localhost:{other}", "127.0.0.1:{port}", "127.0.0.2:{port}"])
def test_feed_items_on_another_host_or_port_are_not_fetched(httpserver: HTTPServer, tmp_path, host):
    other = HTTPServer(host="127.0.0.1", port=0)
    other.start()
    try:
        other.expect_request("/steered").respond_with_data(PAGE, content_type="text/html")
        target = f"http://{host.format(other=other.port, port=httpserver.port)}/steered"
        httpserver.expect_request("/feed").respond_with_data(
            _feed([(NCPI_TITLE, target), (NCPI_TITLE + " again", httpserver.url_for("/own"))]),
            content_type="application/rss+xml")
        httpserver.expect_request("/own").respond_with_data(PAGE, content_type="text/html")
        registry = parse_registry({"fetch": FAST, "feed": [{"url": httpserver.url_for("/feed")}]})
        report = fetch_sources(registry, tmp_path / "raw")
        assert report.outcome(target) is None                       # never a target
        assert report.outcome(httpserver.url_for("/own")).result == "new"
        assert "another host or port not followed" in report.discoveries[0].message
        assert other.log == [] and [r.path for r, _ in httpserver.log].count("/steered") == 0
        # A second run does not pick the steered item up from the remembered state either.
        report = fetch_sources(registry, tmp_path / "raw")
        assert report.outcome(target) is None and other.log == []
    finally:
        other.clear()
        other.stop()


def test_other_hosts_setting_lets_a_trusted_host_through():
    assert same_origin("https://www.example.org/a", "http://example.org/feed")
    assert not same_origin("http://127.0.0.1:9000/a", "http://127.0.0.1:8000/feed")
    assert same_origin("http://127.0.0.1:9000/a", "http://127.0.0.1:8000/feed", "127.0.0.1:9000")
    assert not same_origin("http://evil.example/a", "http://example.org/feed", "127.0.0.1:9000")


# --- download ---------------------------------------------------------------------------
class ReleaseHandler(SimpleHTTPRequestHandler):
    requested: list[str] = []
    trickle: set[str] = set()
    redirect: dict[str, str] = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        type(self).requested.append(self.path)
        name = self.path.rsplit("/", 1)[-1]
        if name in type(self).redirect:
            self.send_response(302)
            self.send_header("Location", type(self).redirect[name])
            self.end_headers()
            return
        if name in type(self).trickle:
            body = Path(self.translate_path(self.path)).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                for i in range(len(body)):
                    self.wfile.write(body[i:i + 1])
                    self.wfile.flush()
                    time.sleep(0.02)
            except OSError:
                pass
            return
        return super().do_GET()


@pytest.fixture(scope="module")
def release_dir(tmp_path_factory):
    return cut_sample_release(tmp_path_factory.mktemp("wh"))


@pytest.fixture
def site(tmp_path, release_dir):
    root = tmp_path / "site"
    shutil.copytree(release_dir, root / "releases" / "1.0.0")
    ReleaseHandler.requested, ReleaseHandler.trickle, ReleaseHandler.redirect = [], set(), {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(ReleaseHandler, directory=str(root)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield root / "releases" / "1.0.0", f"http://127.0.0.1:{server.server_address[1]}/releases/1.0.0/"
    finally:
        server.shutdown()
        server.server_close()


def _reseal(rel: Path, manifest_text: str | None = None) -> None:
    if manifest_text is not None:
        (rel / "datapackage.json").write_text(manifest_text)
    sums = parse_sums((rel / "SHA256SUMS").read_text())
    for name in sums:
        sums[name] = hashlib.sha256((rel / name).read_bytes()).hexdigest()
    (rel / "SHA256SUMS").write_text(format_sums(sums))


def _nothing_left(dest: Path) -> bool:
    return not dest.exists() and not (dest.parent.exists() and any(".download-" in p.name for p in dest.parent.iterdir()))


def test_a_manifest_claiming_a_petabyte_is_refused_up_front(site, tmp_path):
    rel, url = site
    dp = json.loads((rel / "datapackage.json").read_text())
    next(r for r in dp["resources"] if r["path"] == "findings.parquet")["ncpiBytes"] = 10 ** 15
    _reseal(rel, json.dumps(dp))
    dest = tmp_path / "got" / "x"
    with pytest.raises(DownloadError, match="1,000,000,000,000,000 bytes, over the"):
        download_release(url, dest)
    assert not any(p.endswith(".parquet") for p in ReleaseHandler.requested)
    assert _nothing_left(dest)


def test_a_trickling_file_is_cut_and_the_temporary_folder_removed(site, tmp_path):
    _, url = site
    ReleaseHandler.trickle = {"findings.parquet"}
    dest = tmp_path / "got" / "x"
    with pytest.raises(DownloadError, match="deadline"):
        download_release(url, dest, max_seconds=1)
    assert _nothing_left(dest)


def test_a_redirect_to_another_port_is_refused_by_download(site, tmp_path):
    _, url = site
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ReleaseHandler.redirect = {"SHA256SUMS": f"http://127.0.0.1:{port}/releases/1.0.0/SHA256SUMS"}
    dest = tmp_path / "got" / "x"
    with pytest.raises(DownloadError, match="another host or port"):
        download_release(url, dest)
    assert _nothing_left(dest)


def test_a_killed_download_leaves_a_folder_the_next_one_sweeps(site, tmp_path):
    _, url = site
    (tmp_path / "got").mkdir()
    stale = tmp_path / "got" / ".x.download-999999999-abcd"    # no such pid: its download died
    stale.mkdir()
    (stale / "findings.parquet").write_bytes(b"half")
    download_release(url, tmp_path / "got" / "x")
    assert not stale.exists() and (tmp_path / "got" / "x" / "SHA256SUMS").exists()


@pytest.mark.parametrize("manifest", [
    '{"resources": ' + "[" * 100_000 + "]" * 100_000 + "}",
    '{"resources": {"path": "x"}}',
    '{"resources": [{"path": ["findings.parquet"]}]}',
    "[]",
    '"just a string"',
])
def test_a_malformed_manifest_is_one_line(site, tmp_path, manifest):
    rel, url = site
    _reseal(rel, manifest)
    dest = tmp_path / "got" / "x"
    with pytest.raises(DownloadError) as err:
        download_release(url, dest)
    assert str(err.value).startswith("refused:") and "\n" not in str(err.value)
    assert _nothing_left(dest)


def test_terminal_escapes_from_the_web_never_reach_the_terminal(raw_server, tmp_path):
    def redirect(conn, stop):
        conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/\x1b]0;pwned\x07\x1b[2J\r\n"
                     b"Content-Length: 0\r\nConnection: close\r\n\r\n")
    server = raw_server(redirect)
    registry = parse_registry({"fetch": FAST, "release": [{"url": server.url("/r")}]})
    report = fetch_sources(registry, tmp_path / "raw")
    text = "\n".join(report.lines(verbose=True))
    assert "failed" in text and "\\x1b" in text, text
    assert "\x1b" not in text and "\x07" not in text


def test_a_release_bigger_than_the_free_disk_is_refused_up_front(site, tmp_path):
    from tests.hostile.corpus import small_disk
    _, url = site
    with small_disk(tmp_path / "tiny") as disk:
        with pytest.raises(DownloadError, match=r"^refused: the release needs [\d,]+ bytes and .* free$"):
            download_release(url, disk / "got")
        assert not any(".download-" in p.name for p in disk.iterdir())
    assert not any(p.endswith(".parquet") for p in ReleaseHandler.requested)


def test_a_cross_host_listing_never_leads_to_local_addresses(tmp_path):
    from ncpi.fetch.core import Fetcher
    fetcher = Fetcher(parse_registry({"fetch": FAST}), tmp_path / "raw")
    page = "https://news.example.org/listing"
    assert fetcher._may_follow("https://another-outlet.example/story", page, same_host=False)
    for local in ("http://127.0.0.1:8080/x", "http://localhost/x", "http://10.0.0.5/x", "http://169.254.169.254/latest",
                  "http://[::1]:9000/x", "http://0.0.0.0/x"):
        assert not fetcher._may_follow(local, page, same_host=False), local
    assert not fetcher._may_follow("https://another-outlet.example/story", page, same_host=True)
