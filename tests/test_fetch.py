"""`ncpi fetch` against a real HTTP server on 127.0.0.1 serving fixture pages and misbehaviour.

Never the internet: every URL is on the local test server. Each misbehaviour must end
in the right outcome with a clear message, and nothing half-written may remain in raw/.
"""
from __future__ import annotations

import email.utils
import hashlib
import json
import re
import threading
import time
from pathlib import Path

import pytest
import urllib3.util.retry
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from ncpi_cli.main import main
from ncpi.fetch import FetchBusy, RegistryError, classify, fetch_sources, parse_registry
from ncpi.fetch.discover import Item
from ncpi.fetch.http import FetchSettings, HostThrottle
from ncpi.fetch.store import FETCHED, FetchState, SIDECAR_SUFFIX

WEB = Path(__file__).parent / "fixtures" / "web"

NORTHUMBRIA = "/hmicfrs/news/news-feed/northumbria-police-has-taken-important-steps-to-improve-its-child-protection-capabilities-but-inconsistencies-remain/"
HUMBERSIDE = "/hmicfrs/news/news-feed/humberside-police-committed-to-improving-child-protection-but-progress-slow-in-some-areas/"
NORFOLK = "/hmic/news/news-feed/norfolk-constabulary-significant-improvements-in-child-protection/"
OUTLET = "/news/more-work-to-do-despite-child-protection-successes/"
FEED, ATOM, LISTING = "/hmicfrs/feed/", "/news/feed/atom/", "/hmic/news/news-feed/"
PAGES = {
    NORTHUMBRIA: "hmicfrs_northumbria.html",
    HUMBERSIDE: "hmicfrs_humberside.html",
    NORFOLK: "hmic_norfolk.html",
    OUTLET: "outlet_cumbria_cleveland.html",
}
# Items of the feeds and the listing that are not NCPI releases: they must never be requested.
NOT_NCPI_PATHS = [
    "/hmicfrs/news/news-feed/fire-and-rescue-service-inspections-2019-second-tranche/",
    "/hmicfrs/news/news-feed/peel-police-effectiveness-2018-northumbria/",
    "/hmicfrs/publications/jtai-child-sexual-abuse-in-the-family-environment-hampshire/",
    "/hmicfrs/about-us/jobs/inspection-officer-child-protection/",
    "/news/gmp-recruits-100-new-detectives/",
    "/news/child-protection-councils-call-for-more-funding/",
    "/hmic/news/news-feed/peel-police-efficiency-2015/",
    "/hmic/news/news-feed/in-harms-way-the-role-of-the-police-in-keeping-children-safe/",
    "/hmic/publications/south-wales-national-child-protection-inspection/",
]


# --- the test server -----------------------------------------------------------------

@pytest.fixture
def server(http_server):
    return http_server


def conditional(body: bytes, content_type: str, *, etag: bool = True, last_modified: str | None = None):
    """A handler that answers 304 when the client's validators match, as a real server would."""
    tag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'

    def handler(request: Request) -> Response:
        headers = {}
        if etag:
            headers["ETag"] = tag
        if last_modified:
            headers["Last-Modified"] = last_modified
        if etag and request.headers.get("If-None-Match") == tag:
            return Response(status=304, headers=headers)
        if not etag and last_modified and request.headers.get("If-Modified-Since") == last_modified:
            return Response(status=304, headers=headers)
        return Response(body, status=200, headers=headers, content_type=content_type)

    return handler


class Site:
    """The fixture pages and feeds at realistic paths, with ETags, on the test server."""

    def __init__(self, server: HTTPServer):
        self.server = server
        self.base = server.url_for("").rstrip("/")
        self.bodies: dict[str, bytes] = {}
        for path, name in PAGES.items():
            self.page(path, (WEB / name).read_bytes())
        for path, name, ctype in [(FEED, "hmicfrs_feed.xml", "application/rss+xml; charset=UTF-8"),
                                  (ATOM, "outlet_atom.xml", "application/atom+xml; charset=UTF-8"),
                                  (LISTING, "hmic_news_listing.html", "text/html; charset=UTF-8")]:
            body = (WEB / name).read_text(encoding="utf-8").replace("{{BASE}}", self.base).encode("utf-8")
            self.server.expect_request(path).respond_with_handler(conditional(body, ctype))

    def page(self, path: str, body: bytes, content_type: str = "text/html; charset=UTF-8") -> None:
        self.bodies[path] = body
        self.server.expect_request(path).respond_with_handler(conditional(body, content_type))

    def url(self, path: str) -> str:
        return self.base + path

    def requests(self, path: str | None = None) -> list[Request]:
        return [req for req, _ in self.server.log if path is None or req.path == path]


@pytest.fixture
def site(server):
    return Site(server)


FAST = dict(per_host_delay=0, retries=2, backoff_factor=0, read_timeout=0.5, connect_timeout=2,
            max_bytes=200_000, max_seconds=10, retry_after_max=5)


def registry(*, releases=(), feeds=(), listings=(), **settings):
    data = {"fetch": {**FAST, **settings},
            "release": [{"url": u} for u in releases],
            "feed": [{"url": u} for u in feeds],
            "listing": [{"url": u, **({"link_pattern": "/news/news-feed/."} if "hmic" in u else {})} for u in listings]}
    return parse_registry(data)


def assert_raw_clean(raw: Path) -> list[Path]:
    """Nothing half-written: no temporary files, every document has its sidecar and its
    content-addressed name matches its bytes. Returns the documents."""
    fetched = raw / FETCHED
    docs = []
    for path in sorted(fetched.rglob("*")) if fetched.exists() else []:
        if path.is_dir():
            continue
        assert not path.name.startswith(".part-"), f"partial download left behind: {path}"
        if path.name in (".state.json", ".lock") or path.name.endswith(SIDECAR_SUFFIX):
            continue
        docs.append(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert path.stem == digest[:16], f"{path} is not named by its sha256"
        side = path.with_name(path.name + SIDECAR_SUFFIX)
        assert side.exists(), f"{path} has no sidecar"
        meta = json.loads(side.read_text())
        assert meta["sha256"] == digest and meta["bytes"] == path.stat().st_size
    for side in fetched.rglob("*" + SIDECAR_SUFFIX) if fetched.exists() else []:
        assert side.with_name(side.name[: -len(SIDECAR_SUFFIX)]).exists(), f"orphan sidecar {side}"
    return docs


def snapshot(raw: Path) -> dict[str, bytes]:
    return {p.relative_to(raw).as_posix(): p.read_bytes() for p in sorted((raw / FETCHED).rglob("*"))
            if p.is_file() and p.name not in (".state.json", ".lock")}


# --- discovery and the happy path ----------------------------------------------------

def test_discovers_ncpi_releases_from_feeds_and_listing_and_stores_them(site, tmp_path):
    raw = tmp_path / "raw"
    reg = registry(feeds=[site.url(FEED), site.url(ATOM)], listings=[site.url(LISTING)])
    report = fetch_sources(reg, raw)

    assert {o.url for o in report.new} == {site.url(p) for p in PAGES}
    assert not report.failed and not report.failed_discoveries
    for path in NOT_NCPI_PATHS:
        assert not site.requests(path), f"{path} is not an NCPI release but was requested"
    skipped = {v.item.url: v.reason for d in report.discoveries for v in d.skipped}
    assert "PEEL" in skipped[site.url("/hmicfrs/news/news-feed/peel-police-effectiveness-2018-northumbria/")]
    assert "joint" in skipped[site.url("/hmicfrs/publications/jtai-child-sexual-abuse-in-the-family-environment-hampshire/")]
    assert "job" in skipped[site.url("/hmicfrs/about-us/jobs/inspection-officer-child-protection/")]
    assert "no police force" in skipped[site.url("/news/child-protection-councils-call-for-more-funding/")]

    docs = assert_raw_clean(raw)
    assert len(docs) == 4
    host_dir = raw / FETCHED / f"127.0.0.1_{site.server.port}"
    for path, name in PAGES.items():
        body = (WEB / name).read_bytes()
        sha = hashlib.sha256(body).hexdigest()
        doc = host_dir / f"{sha[:16]}.html"
        assert doc.read_bytes() == body
        meta = json.loads(doc.with_name(doc.name + SIDECAR_SUFFIX).read_text())
        assert meta["url"] == meta["final_url"] == site.url(path)
        assert meta["status"] == 200 and meta["content_type"].startswith("text/html")
        assert meta["sha256"] == sha and meta["bytes"] == len(body) and meta["etag"].startswith('"')
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta["fetched_at"])
        assert report.outcome(site.url(path)).path == doc.relative_to(raw).as_posix()
    # The outlet's copy records where it was discovered.
    assert report.outcome(site.url(OUTLET)).via == site.url(ATOM)


def test_second_fetch_downloads_nothing(site, tmp_path):
    raw = tmp_path / "raw"
    reg = registry(feeds=[site.url(FEED), site.url(ATOM)], listings=[site.url(LISTING)])
    fetch_sources(reg, raw)
    before = snapshot(raw)
    site.server.clear_log()

    report = fetch_sources(reg, raw)

    assert not report.new and not report.failed
    assert len(report.unchanged) == 4 and all(o.kind == "not_modified" for o in report.unchanged)
    assert all(o.message == "304 not modified" for o in report.unchanged)
    # Every request was conditional and answered 304: no body was downloaded again.
    statuses = [resp.status_code for _, resp in site.server.log]
    assert statuses and set(statuses) == {304}
    assert all(req.headers.get("If-None-Match") for req, _ in site.server.log)
    assert snapshot(raw) == before
    assert_raw_clean(raw)


def test_state_is_rebuilt_from_sidecars_when_lost(site, tmp_path):
    raw = tmp_path / "raw"
    reg = registry(releases=[site.url(NORTHUMBRIA)])
    fetch_sources(reg, raw)
    (raw / FETCHED / ".state.json").unlink()
    site.server.clear_log()
    report = fetch_sources(reg, raw)
    assert report.outcome(site.url(NORTHUMBRIA)).kind == "not_modified"
    assert site.requests(NORTHUMBRIA)[0].headers.get("If-None-Match")


def test_last_modified_without_etag_is_used(server, tmp_path):
    body = (WEB / "hmic_norfolk.html").read_bytes()
    stamp = email.utils.formatdate(1446076800, usegmt=True)
    server.expect_request("/norfolk").respond_with_handler(
        conditional(body, "text/html", etag=False, last_modified=stamp))
    reg = registry(releases=[server.url_for("/norfolk")])
    assert fetch_sources(reg, tmp_path).new
    report = fetch_sources(reg, tmp_path)
    assert report.unchanged[0].kind == "not_modified"
    assert server.log[-1][0].headers.get("If-Modified-Since") == stamp


def test_changed_page_gets_a_new_snapshot_and_the_old_one_stays(site, tmp_path):
    raw = tmp_path / "raw"
    reg = registry(releases=[site.url(HUMBERSIDE)])
    first = fetch_sources(reg, raw).outcome(site.url(HUMBERSIDE))
    revised = site.bodies[HUMBERSIDE].replace(b"Only 26 percent", b"Only 27 percent")
    site.server.clear()
    site.page(HUMBERSIDE, revised)

    second = fetch_sources(reg, raw).outcome(site.url(HUMBERSIDE))

    assert second.result == "new" and "changed since the last fetch" in second.message
    assert second.path != first.path
    assert (raw / first.path).exists() and (raw / second.path).read_bytes() == revised
    sides = [json.loads(p.read_text()) for p in (raw / FETCHED).rglob("*" + SIDECAR_SUFFIX)]
    assert sorted(s["sha256"][:16] for s in sides) == sorted([first.sha256[:16], second.sha256[:16]])
    assert {s["url"] for s in sides} == {site.url(HUMBERSIDE)}
    assert FetchState.load(raw).urls[site.url(HUMBERSIDE)].path == second.path
    assert len(assert_raw_clean(raw)) == 2


def test_release_remembered_from_a_feed_is_retried_when_the_feed_has_not_changed(site, tmp_path):
    raw = tmp_path / "raw"
    fails = {"n": 0}

    def flaky(request):
        fails["n"] += 1
        return Response("down for maintenance", status=503)

    site.server.clear()
    site.server.expect_request(FEED).respond_with_handler(conditional(
        (WEB / "hmicfrs_feed.xml").read_text().replace("{{BASE}}", site.base).encode(), "application/rss+xml"))
    site.server.expect_request(NORTHUMBRIA).respond_with_handler(flaky)
    site.page(HUMBERSIDE, (WEB / "hmicfrs_humberside.html").read_bytes())
    reg = registry(feeds=[site.url(FEED)], retries=0)
    first = fetch_sources(reg, raw)
    assert first.outcome(site.url(NORTHUMBRIA)).result == "failed"
    assert first.transient_failures == [site.url(NORTHUMBRIA)]

    site.server.clear_all_handlers()
    site.server.expect_request(FEED).respond_with_handler(conditional(
        (WEB / "hmicfrs_feed.xml").read_text().replace("{{BASE}}", site.base).encode(), "application/rss+xml"))
    site.page(NORTHUMBRIA, (WEB / "hmicfrs_northumbria.html").read_bytes())
    site.page(HUMBERSIDE, (WEB / "hmicfrs_humberside.html").read_bytes())
    second = fetch_sources(reg, raw)
    assert second.discoveries[0].message.startswith("304")
    assert second.outcome(site.url(NORTHUMBRIA)).result == "new"
    assert second.outcome(site.url(HUMBERSIDE)).kind == "not_modified"


def test_remembered_release_that_keeps_404ing_is_given_up(site, tmp_path):
    raw = tmp_path / "raw"
    site.server.clear()
    feed = (WEB / "hmicfrs_feed.xml").read_text().replace("{{BASE}}", site.base).encode()
    site.server.expect_request(FEED).respond_with_handler(conditional(feed, "application/rss+xml"))
    site.server.expect_request(NORTHUMBRIA).respond_with_data("gone", status=404)
    site.page(HUMBERSIDE, (WEB / "hmicfrs_humberside.html").read_bytes())
    reg = registry(feeds=[site.url(FEED)])
    for _ in range(3):                       # the feed answers 304 after the first run
        report = fetch_sources(reg, raw)
        assert report.outcome(site.url(NORTHUMBRIA)).kind == "not_found"
    site.server.clear_log()
    report = fetch_sources(reg, raw)
    assert report.given_up == [site.url(NORTHUMBRIA)] and report.outcome(site.url(NORTHUMBRIA)) is None
    assert not site.requests(NORTHUMBRIA)
    assert "1 remembered release(s) no longer tried after 3 failures" in report.summary()
    # Listed again by a changed feed, it is tried again.
    site.server.clear_all_handlers()
    site.server.expect_request(FEED).respond_with_handler(conditional(feed + b"<!-- changed -->", "application/rss+xml"))
    site.page(NORTHUMBRIA, (WEB / "hmicfrs_northumbria.html").read_bytes())
    site.page(HUMBERSIDE, (WEB / "hmicfrs_humberside.html").read_bytes())
    assert fetch_sources(reg, raw).outcome(site.url(NORTHUMBRIA)).result == "new"


# --- misbehaviour ----------------------------------------------------------------------

def fetch_one(server: HTTPServer, tmp_path: Path, path: str, **settings):
    raw = tmp_path / "raw"
    url = server.url_for(path)
    report = fetch_sources(registry(releases=[url], **settings), raw)
    assert_raw_clean(raw)
    return report.outcome(url), raw


def test_404_is_reported(server, tmp_path):
    server.expect_request("/gone").respond_with_data("Not found", status=404)
    outcome, raw = fetch_one(server, tmp_path, "/gone")
    assert outcome.result == "failed" and outcome.kind == "not_found" and outcome.http_status == 404
    assert outcome.message.startswith("HTTP 404 NOT FOUND") or outcome.message.startswith("HTTP 404 Not Found")
    assert "does not exist" in outcome.message
    assert not assert_raw_clean(raw)
    assert len(server.log) == 1, "a 404 must not be retried"


def test_500_then_200_is_retried_and_stored(server, tmp_path):
    body = (WEB / "hmicfrs_northumbria.html").read_bytes()
    calls = {"n": 0}

    def handler(request):
        calls["n"] += 1
        if calls["n"] == 1:
            return Response("Internal error", status=500)
        return Response(body, status=200, content_type="text/html; charset=utf-8")

    server.expect_request("/flaky").respond_with_handler(handler)
    outcome, raw = fetch_one(server, tmp_path, "/flaky")
    assert outcome.result == "new" and calls["n"] == 2
    assert (raw / outcome.path).read_bytes() == body


def test_500_after_retries_fails_with_the_count(server, tmp_path):
    server.expect_request("/broken").respond_with_data("Internal error", status=500)
    outcome, raw = fetch_one(server, tmp_path, "/broken", retries=2)
    assert outcome.result == "failed" and outcome.kind == "server_error" and outcome.transient
    assert outcome.message == "HTTP 500 INTERNAL SERVER ERROR after 2 retries" or \
        outcome.message == "HTTP 500 Internal Server Error after 2 retries"
    assert len(server.log) == 3
    assert not assert_raw_clean(raw)


@pytest.mark.parametrize("asked, waited", [("3", 3.0), ("7", 5.0)], ids=["as-asked", "capped"])
def test_429_waits_for_retry_after(server, tmp_path, monkeypatch, asked, waited):
    body = (WEB / "hmicfrs_humberside.html").read_bytes()
    calls = {"n": 0}

    def handler(request):
        calls["n"] += 1
        if calls["n"] == 1:
            return Response("slow down", status=429, headers={"Retry-After": asked})
        return Response(body, status=200, content_type="text/html")

    # urllib3 sleeps through its module's `time`; record the pause instead of taking it,
    # so the test checks what was asked for and never measures the wall clock.
    slept = []
    monkeypatch.setattr(urllib3.util.retry, "time", _RecordingTime(slept))
    server.expect_request("/busy").respond_with_handler(handler)
    outcome, _ = fetch_one(server, tmp_path, "/busy")
    assert outcome.result == "new" and calls["n"] == 2
    # the registry in these tests caps Retry-After at 5 s (retry_after_max=5)
    assert slept == [waited], "Retry-After was not respected"


class _RecordingTime:
    """Stands in for the `time` module: `sleep` is recorded, everything else is real."""

    def __init__(self, slept):
        self._slept = slept

    def sleep(self, seconds):
        self._slept.append(float(seconds))

    def __getattr__(self, name):
        return getattr(time, name)


def test_slow_response_past_the_read_timeout(server, tmp_path):
    def slow(request):
        time.sleep(1.5)
        return Response("<html>too late</html>", content_type="text/html")

    server.expect_request("/slow").respond_with_handler(slow)
    outcome, raw = fetch_one(server, tmp_path, "/slow", read_timeout=0.3)
    assert outcome.result == "failed" and outcome.kind == "timeout" and outcome.transient
    assert "timed out" in outcome.message and "0.3 s" in outcome.message
    assert not assert_raw_clean(raw)


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "streamed"])
def test_oversized_body_is_refused(server, tmp_path, declared):
    big = b"<html><body>" + b"<p>padding</p>" * 30_000 + b"</body></html>"   # ~420 kB

    def handler(request):
        if declared:
            return Response(big, content_type="text/html")
        return Response((big[i:i + 8192] for i in range(0, len(big), 8192)), content_type="text/html")

    server.expect_request("/huge").respond_with_handler(handler)
    outcome, raw = fetch_one(server, tmp_path, "/huge", max_bytes=100_000)
    assert outcome.result == "failed" and outcome.kind == "too_large"
    assert "100,000-byte cap" in outcome.message
    assert ("Content-Length" in outcome.message) == declared
    assert not assert_raw_clean(raw)
    assert not list((raw / FETCHED).rglob(".part-*"))


def test_non_html_content_type_is_refused(server, tmp_path):
    server.expect_request("/report.pdf").respond_with_data(b"%PDF-1.4\n...", content_type="application/pdf")
    outcome, raw = fetch_one(server, tmp_path, "/report.pdf")
    assert outcome.result == "failed" and outcome.kind == "wrong_content_type"
    assert "application/pdf" in outcome.message and "text/html" in outcome.message
    assert not assert_raw_clean(raw)


def test_binary_body_served_as_html_is_refused(server, tmp_path):
    server.expect_request("/fake").respond_with_data(b"%PDF-1.7 binary", content_type="text/html")
    outcome, _ = fetch_one(server, tmp_path, "/fake")
    assert outcome.kind == "not_text" and "PDF document" in outcome.message


def test_redirect_loop_is_detected(server, tmp_path):
    server.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    server.expect_request("/b").respond_with_data("", status=301, headers={"Location": "/a"})
    outcome, raw = fetch_one(server, tmp_path, "/a")
    assert outcome.result == "failed" and outcome.kind == "redirect_loop"
    assert outcome.message == f"redirect loop: {server.url_for('/a')} → {server.url_for('/b')} → {server.url_for('/a')}"
    assert len(server.log) == 2
    assert not assert_raw_clean(raw)


def test_too_many_redirects(server, tmp_path):
    for i in range(5):
        server.expect_request(f"/r{i}").respond_with_data("", status=302, headers={"Location": f"/r{i + 1}"})
    outcome, _ = fetch_one(server, tmp_path, "/r0", max_redirects=3)
    assert outcome.kind == "too_many_redirects" and "more than 3 redirects" in outcome.message


def test_redirect_is_followed_and_recorded(site, tmp_path):
    site.server.expect_request("/old-address").respond_with_data("", status=301, headers={"Location": NORFOLK})
    outcome, raw = fetch_one(site.server, tmp_path, "/old-address")
    assert outcome.result == "new" and outcome.final_url == site.url(NORFOLK)
    meta = json.loads((raw / (outcome.path + SIDECAR_SUFFIX)).read_text())
    assert meta["url"] == site.url("/old-address") and meta["final_url"] == site.url(NORFOLK)


def test_redirect_to_another_scheme_is_refused(server, tmp_path):
    server.expect_request("/ftp").respond_with_data("", status=302, headers={"Location": "ftp://example.org/x"})
    outcome, _ = fetch_one(server, tmp_path, "/ftp")
    assert outcome.kind == "bad_url" and "only http and https" in outcome.message


def test_connection_refused(tmp_path):
    import socket

    with socket.socket() as s:       # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/x"
    report = fetch_sources(registry(releases=[url], retries=1), tmp_path)
    outcome = report.outcome(url)
    assert outcome.kind == "connection_error" and "could not connect" in outcome.message
    assert outcome.transient


def test_body_cut_off_mid_download_leaves_nothing(server, tmp_path):
    def handler(request):
        def gen():
            yield b"<html><body><p>" + b"x" * 50_000
            raise ConnectionResetError("server died")
        return Response(gen(), content_type="text/html", headers={"Content-Length": "200000"})

    server.expect_request("/cut").respond_with_handler(handler)
    outcome, raw = fetch_one(server, tmp_path, "/cut")
    assert outcome.result == "failed" and outcome.kind in ("bad_response", "connection_error", "timeout")
    assert not assert_raw_clean(raw)
    assert not list((raw / FETCHED).rglob(".part-*"))


def test_malformed_feed_is_reported(server, tmp_path):
    server.expect_request("/feed").respond_with_data("<rss><channel><item>", content_type="application/rss+xml")
    report = fetch_sources(registry(feeds=[server.url_for("/feed")]), tmp_path)
    (d,) = report.discoveries
    assert not d.ok and d.message.startswith("not a valid RSS/Atom feed")


# --- politeness and safety -------------------------------------------------------------

def test_user_agent_names_the_project_and_a_contact(site, tmp_path):
    fetch_sources(registry(releases=[site.url(NORFOLK)], contact="https://example.org/ncpi"), tmp_path)
    ua = site.requests(NORFOLK)[0].headers["User-Agent"]
    assert re.match(r"ncpi-fetch/\d+\.\d+\.\d+ \(NCPI open dataset; \+https://example\.org/ncpi\)$", ua)


def test_requests_to_one_host_are_spaced_out(site, tmp_path):
    # A fake clock that the fake sleep advances: the spacing is checked in virtual time,
    # so a loaded CI machine cannot make this test fail or pass by accident.
    now = [0.0]
    slept = []
    stamps = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    throttle = HostThrottle(0.3, clock=lambda: now[0], sleep=sleep)
    orig = site.server.dispatch

    def stamped(request):
        stamps.append(now[0])
        return orig(request)

    site.server.dispatch = stamped
    reg = registry(releases=[site.url(p) for p in PAGES], per_host_delay=0.3)
    fetch_sources(reg, tmp_path, throttle=throttle)
    assert len(stamps) == 4
    assert slept == [pytest.approx(0.3)] * 3
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    assert gaps == [pytest.approx(0.3)] * 3, gaps


def test_host_throttle_waits_only_for_the_same_host():
    now = [100.0]
    slept = []
    t = HostThrottle(2.0, clock=lambda: now[0], sleep=lambda s: slept.append(s))
    assert t.wait("a") == 0
    assert t.wait("b") == 0
    now[0] += 0.5
    assert t.wait("a") == pytest.approx(1.5)
    assert slept == [pytest.approx(1.5)]


def test_registry_rejects_non_http_urls_and_unknown_keys(tmp_path):
    with pytest.raises(RegistryError, match="only http and https"):
        parse_registry({"release": [{"url": "file:///etc/passwd"}]})
    with pytest.raises(RegistryError, match="unknown key"):
        parse_registry({"release": [{"url": "https://example.org/", "urll": "x"}]})
    with pytest.raises(RegistryError, match="listed twice"):
        parse_registry({"release": [{"url": "https://example.org/"}], "feed": [{"url": "https://example.org/"}]})
    with pytest.raises(RegistryError, match="non-negative number"):
        parse_registry({"fetch": {"read_timeout": "soon"}})


def test_the_project_registry_is_valid():
    from ncpi.fetch import load_registry
    from ncpi.paths import RAW_DIR

    reg = load_registry(RAW_DIR / "sources.toml")
    assert reg.sources and all(u.url.startswith("https://") for u in reg.sources)
    assert reg.settings.per_host_delay >= 1 and reg.settings.max_bytes <= 10_000_000


def test_a_second_fetch_at_the_same_time_is_refused(site, tmp_path):
    import filelock

    (tmp_path / FETCHED).mkdir(parents=True)
    with filelock.FileLock(str(tmp_path / FETCHED / ".lock")):
        with pytest.raises(FetchBusy):
            fetch_sources(registry(releases=[site.url(NORFOLK)]), tmp_path)


def test_stale_partial_files_are_swept(site, tmp_path):
    import os

    host = tmp_path / FETCHED / "example.org"
    host.mkdir(parents=True)
    stale = host / ".part-abc"
    stale.write_bytes(b"half")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    fetch_sources(registry(releases=[site.url(NORFOLK)]), tmp_path)
    assert not stale.exists()


# --- classification ----------------------------------------------------------------------

@pytest.mark.parametrize("title,summary,expected", [
    ("Cleveland Police – National child protection inspection", "", True),
    ("Norfolk national child protection inspection: post inspection review", "", True),
    ("More work to do despite child protection successes", "Cumbria Constabulary has acted decisively", True),
    ("PEEL: Police effectiveness 2016 – Kent Police", "Kent Police is good at child protection", False),
    ("Joint targeted area inspection in Leeds", "child protection in West Yorkshire Police", False),
    ("Child protection: councils call for more funding", "", False),
    ("Essex Police officer jailed", "", False),
])
def test_classify(title, summary, expected):
    assert classify(Item(url="https://example.org/news/item/", title=title, summary=summary)).is_ncpi is expected


# --- the command -------------------------------------------------------------------------

def write_registry(path: Path, site: Site, extra_releases=()) -> Path:
    lines = ["[fetch]"] + [f"{k} = {v!r}".replace("'", '"') for k, v in FAST.items()]
    lines += ["", "[[feed]]", f'url = "{site.url(FEED)}"', "", "[[feed]]", f'url = "{site.url(ATOM)}"',
              "", "[[listing]]", f'url = "{site.url(LISTING)}"', 'link_pattern = "/news/news-feed/."']
    for url in extra_releases:
        lines += ["", "[[release]]", f'url = "{url}"']
    path.write_text("\n".join(lines) + "\n")
    return path


def test_cli_fetch_prints_a_summary_and_a_second_run_downloads_nothing(site, tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    reg = write_registry(raw / "sources.toml", site)
    assert main(["fetch", "--raw", str(raw)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ncpi fetch: 4 new, 0 unchanged, 0 failed; 3 feed/listing page(s): 4 NCPI item(s) picked")
    assert out.count("\n  new ") == 4

    assert main(["fetch", "--registry", str(reg), "--raw", str(raw)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ncpi fetch: 0 new, 4 unchanged, 0 failed")
    assert "  new " not in out


def test_cli_fetch_exits_1_and_names_the_failure(site, tmp_path, capsys):
    site.server.expect_request("/missing").respond_with_data("nope", status=404)
    reg = write_registry(tmp_path / "sources.toml", site, [site.url("/missing")])
    assert main(["fetch", "--registry", str(reg), "--raw", str(tmp_path / "raw")]) == 1
    out = capsys.readouterr().out
    assert f"failed     {site.url('/missing')}: HTTP 404" in out
    assert "4 new" in out


def test_cli_fetch_only_one_url(site, tmp_path, capsys):
    reg = write_registry(tmp_path / "sources.toml", site)
    assert main(["fetch", "--registry", str(reg), "--raw", str(tmp_path / "raw"), "--only", site.url(NORFOLK)]) == 0
    assert capsys.readouterr().out.startswith("ncpi fetch: 1 new, 0 unchanged, 0 failed\n")
    assert not site.requests(FEED)
    assert main(["fetch", "--registry", str(reg), "--raw", str(tmp_path / "raw"), "--only", "gopher://x"]) == 2
    assert "only http and https" in capsys.readouterr().err


def test_cli_fetch_reports_a_bad_registry_in_one_line(tmp_path, capsys):
    bad = tmp_path / "sources.toml"
    bad.write_text("[[release]]\nurl = 'ftp://example.org/x'\n")
    assert main(["fetch", "--registry", str(bad), "--raw", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "only http and https" in err[0]
