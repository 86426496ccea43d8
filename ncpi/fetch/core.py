"""Fetch everything the registry names: discover from feeds and listings, then fetch
each release with a conditional GET and store what changed.

`fetch_sources` is the one entry point; `ncpi fetch` and the scheduled flow call it.
It never raises for a network problem: every URL ends in a `UrlOutcome` that says
`new`, `unchanged` or `failed`, with a message a maintainer can act on.
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

import filelock
import requests

from ncpi.fetch import http
from ncpi.fetch.discover import Verdict, classify, looks_like_feed, matcher_for, parse_feed, parse_listing
from ncpi.fetch.progress import Progress, QuietProgress
from ncpi.fetch.registry import Registry
from ncpi.fetch.store import (FETCHED, LOCK_FILE, Discovered, FetchState, UrlState, store_document,
                              sweep_partials, utc_now)
from ncpi.text.decode import BINARY_MAGIC

log = logging.getLogger("ncpi.fetch")

NEW, UNCHANGED, FAILED = "new", "unchanged", "failed"
# Failures worth retrying later in the same run (the network or the server may recover).
TRANSIENT_KINDS = {"timeout", "connection_error", "server_error", "rate_limited"}
# A release remembered from an earlier discovery that keeps answering 404/410 is given up
# after this many consecutive failures (until a feed or listing lists it again).
GIVE_UP_KINDS = {"not_found", "gone"}
GIVE_UP_AFTER = 3
LISTING_TYPES = {"text/html", "application/xhtml+xml"}


def printable(text: str) -> str:
    """text with control and bidi characters shown escaped (\\x1b), safe for a terminal."""
    from ncpi.rawio import UNSAFE_CHARS
    return UNSAFE_CHARS.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                            else f"\\u{ord(m.group()):04x}", text)


def _local_host(url: str) -> bool:
    """A loopback, private or link-local address, or localhost: never reached through a feed."""
    import ipaddress
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_unspecified


class FetchBusy(RuntimeError):
    """Another fetch holds raw/fetched/.lock."""


@dataclass
class UrlOutcome:
    url: str
    result: str                       # new | unchanged | failed
    kind: str                         # downloaded, not_modified, same_content, already_stored, or an error kind
    message: str
    via: str = "registry"             # registry, command line, or the feed/listing URL it came from
    title: str | None = None
    http_status: int | None = None
    path: str | None = None           # the stored document, relative to the raw root
    sha256: str | None = None
    bytes: int | None = None
    final_url: str | None = None

    @property
    def transient(self) -> bool:
        return self.result == FAILED and self.kind in TRANSIENT_KINDS


@dataclass
class DiscoveryOutcome:
    url: str
    kind: str                         # feed | listing
    ok: bool
    message: str
    picked: list[Verdict] = field(default_factory=list)
    skipped: list[Verdict] = field(default_factory=list)
    error_kind: str | None = None

    @property
    def transient(self) -> bool:
        return not self.ok and self.error_kind in TRANSIENT_KINDS


@dataclass
class FetchReport:
    started_at: str
    finished_at: str | None = None
    outcomes: list[UrlOutcome] = field(default_factory=list)
    discoveries: list[DiscoveryOutcome] = field(default_factory=list)
    given_up: list[str] = field(default_factory=list)   # remembered releases no longer tried

    @property
    def new(self) -> list[UrlOutcome]:
        return [o for o in self.outcomes if o.result == NEW]

    @property
    def unchanged(self) -> list[UrlOutcome]:
        return [o for o in self.outcomes if o.result == UNCHANGED]

    @property
    def failed(self) -> list[UrlOutcome]:
        return [o for o in self.outcomes if o.result == FAILED]

    @property
    def failed_discoveries(self) -> list[DiscoveryOutcome]:
        return [d for d in self.discoveries if not d.ok]

    @property
    def transient_failures(self) -> list[str]:
        """URLs that failed in a way a retry may fix (timeouts, 5xx, 429, connection errors)."""
        return [o.url for o in self.outcomes if o.transient] + [d.url for d in self.discoveries if d.transient]

    @property
    def changed(self) -> bool:
        return bool(self.new)

    def outcome(self, url: str) -> UrlOutcome | None:
        return next((o for o in self.outcomes if o.url == url), None)

    def summary(self) -> str:
        picked = sum(len(d.picked) for d in self.discoveries)
        skipped = sum(len(d.skipped) for d in self.discoveries)
        text = f"{len(self.new)} new, {len(self.unchanged)} unchanged, {len(self.failed)} failed"
        if self.discoveries:
            text += (f"; {len(self.discoveries)} feed/listing page(s): {picked} NCPI item(s) picked, "
                     f"{skipped} other item(s) skipped")
            if self.failed_discoveries:
                text += f", {len(self.failed_discoveries)} could not be read"
        if self.given_up:
            text += (f"; {len(self.given_up)} remembered release(s) no longer tried after "
                     f"{GIVE_UP_AFTER} failures (404/410)")
        return text

    def lines(self, verbose: bool = False) -> list[str]:
        """One line per notable event: new documents and failures (and everything if verbose)."""
        out: list[str] = []
        for d in self.discoveries:
            if not d.ok:
                out.append(f"  failed     {d.kind} {d.url}: {d.message}")
            elif verbose:
                out.append(f"  {d.kind:<10} {d.url}: {d.message}")
                for v in d.skipped:
                    out.append(f"    skipped  {v.item.url} ({v.reason})")
        for o in self.outcomes:
            if o.result == NEW:
                out.append(f"  new        {o.url} → {o.path}")
            elif o.result == FAILED:
                out.append(f"  failed     {o.url}: {o.message}")
            elif verbose:
                out.append(f"  unchanged  {o.url}: {o.message}")
        # URLs, titles and server messages come from the web: never let their control or
        # bidi characters (terminal escapes) reach the terminal.
        return [printable(line) for line in out]

    def to_dict(self) -> dict:
        return {
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "summary": self.summary(),
            "new": len(self.new), "unchanged": len(self.unchanged), "failed": len(self.failed),
            "given_up": list(self.given_up),
            "outcomes": [asdict(o) for o in self.outcomes],
            "discoveries": [
                {"url": d.url, "kind": d.kind, "ok": d.ok, "message": d.message, "error_kind": d.error_kind,
                 "picked": [v.item.url for v in d.picked],
                 "skipped": [{"url": v.item.url, "title": v.item.title, "reason": v.reason} for v in d.skipped]}
                for d in self.discoveries
            ],
        }


def _error_kind(resp: http.Response) -> str:
    if resp.error_kind == "http_error" and resp.status is not None:
        if resp.status == 429:
            return "rate_limited"
        if resp.status >= 500:
            return "server_error"
        if resp.status == 404:
            return "not_found"
        if resp.status == 410:
            return "gone"
    return resp.error_kind or "error"


class Fetcher:
    """One fetch run: a session, a per-host throttle and the state, shared by all URLs."""

    def __init__(self, registry: Registry, raw_dir: Path, *, session: requests.Session | None = None,
                 progress: Progress | None = None, log_fn: Callable[[str], None] | None = None,
                 throttle: http.HostThrottle | None = None):
        self.registry = registry
        self.settings = registry.settings
        self.raw_dir = Path(raw_dir)
        self.fetched_dir = self.raw_dir / FETCHED
        self.session = session or http.make_session(self.settings)
        # Injectable so that tests check the spacing on a fake clock, not the wall clock.
        self.throttle = throttle or http.HostThrottle(self.settings.per_host_delay)
        self.state = FetchState.load(self.raw_dir)
        self.progress = progress or QuietProgress()
        self.log = log_fn or log.info

    # -- discovery -------------------------------------------------------------------
    def discover(self, url: str, kind: str, *, link_pattern: str | None = None,
                 same_host: bool = True) -> DiscoveryOutcome:
        st = self.state.urls.get(url) or UrlState()
        allowed = http.FEED_TYPES | LISTING_TYPES | {"text/plain"}
        resp = http.get(self.session, url, settings=self.settings, tmp_dir=self.fetched_dir,
                        throttle=self.throttle, etag=st.etag, last_modified=st.last_modified,
                        allowed_types=allowed)
        try:
            if resp.error:
                return DiscoveryOutcome(url, kind, False, resp.error, error_kind=_error_kind(resp))
            if resp.not_modified:
                return DiscoveryOutcome(url, kind, True, "304 not modified: no new items")
            body = resp.read()
        finally:
            resp.discard()
        try:
            if kind == "feed" or (kind != "listing" and looks_like_feed(body, resp.content_type)):
                items = parse_feed(body, resp.final_url)
            else:
                items = parse_listing(body.decode("utf-8", errors="replace"), resp.final_url,
                                      link_pattern=link_pattern, same_host=same_host)
        except ValueError as exc:
            return DiscoveryOutcome(url, kind, False, str(exc), error_kind="bad_feed")
        # A feed or page steers the fetcher only within its own host and port (a feed item
        # pointing at 127.0.0.1:other or an intranet host is never requested).
        offsite = [i for i in items if not self._may_follow(i.url, resp.final_url, same_host)]
        items = [i for i in items if i not in offsite]
        matcher = matcher_for(self.raw_dir)
        out = DiscoveryOutcome(url, kind, True, "")
        for item in items:
            verdict = classify(item, matcher)
            (out.picked if verdict.is_ncpi else out.skipped).append(verdict)
            if verdict.is_ncpi and item.url not in self.state.discovered:
                self.state.discovered[item.url] = Discovered(
                    title=item.title, via=url, first_seen=utc_now(), published=item.published)
        out.message = f"{len(items)} item(s): {len(out.picked)} NCPI, {len(out.skipped)} skipped"
        if offsite:
            out.message += (f"; {len(offsite)} item(s) on another host or port not followed "
                            f"(e.g. {offsite[0].url[:120]})")
        # Remember validators only once the page was read successfully.
        self.state.urls[url] = UrlState(etag=resp.headers.get("etag"), last_modified=resp.headers.get("last-modified"),
                                        checked_at=utc_now(), outcome="read", message=out.message)
        return out

    def _may_follow(self, item_url: str, page_url: str, same_host: bool) -> bool:
        if http.check_url(item_url):
            return False
        # same_host = false (a listing of outlets' copies) still never leaves for another
        # port of the page's own host or the loopback interface.
        if same_host or http.same_origin(item_url, page_url):
            return http.same_origin(item_url, page_url, self.settings.other_hosts)
        return not _local_host(item_url) or http.same_origin(item_url, page_url, self.settings.other_hosts)

    # -- documents -------------------------------------------------------------------
    def fetch_document(self, url: str, *, via: str = "registry", title: str | None = None) -> UrlOutcome:
        st = self.state.urls.get(url) or UrlState()
        have = bool(st.path and (self.raw_dir / st.path).exists())
        resp = http.get(self.session, url, settings=self.settings, tmp_dir=self.fetched_dir,
                        throttle=self.throttle,
                        etag=st.etag if have else None, last_modified=st.last_modified if have else None,
                        allowed_types=http.DOCUMENT_TYPES)
        try:
            outcome = self._settle(url, resp, st, have, via, title)
        finally:
            resp.discard()
        st = self.state.urls.setdefault(url, st)
        st.checked_at, st.outcome, st.message, st.kind = utc_now(), outcome.result, outcome.message, outcome.kind
        st.failures = (st.failures or 0) + 1 if outcome.result == FAILED else 0
        return outcome

    def _settle(self, url: str, resp: http.Response, st: UrlState, have: bool, via: str,
                title: str | None) -> UrlOutcome:
        base = dict(url=url, via=via, title=title, http_status=resp.status, final_url=resp.final_url)
        if resp.error:
            return UrlOutcome(result=FAILED, kind=_error_kind(resp), message=resp.error, **base)
        if resp.not_modified:
            if not have:
                return UrlOutcome(result=FAILED, kind="bad_response",
                                  message="304 Not Modified to a request that was not conditional", **base)
            return UrlOutcome(result=UNCHANGED, kind="not_modified", message="304 not modified",
                              path=st.path, sha256=st.sha256, **base)
        head = resp.body_path.read_bytes()[:8] if resp.body_path else b""
        if resp.size == 0:
            return UrlOutcome(result=FAILED, kind="empty", message="the server sent an empty body", **base)
        for magic, what in BINARY_MAGIC.items():
            if head.startswith(magic):
                return UrlOutcome(result=FAILED, kind="not_text",
                                  message=f"served as {resp.content_type} but the body is a {what}", **base)
        if have and resp.sha256 == st.sha256:
            st.etag, st.last_modified = resp.headers.get("etag"), resp.headers.get("last-modified")
            return UrlOutcome(result=UNCHANGED, kind="same_content",
                              message="downloaded again but the bytes are unchanged (no ETag/Last-Modified honoured)",
                              path=st.path, sha256=resp.sha256, bytes=resp.size, **base)
        ext = http.DOCUMENT_TYPES[resp.content_type]
        sidecar = {
            "url": url,
            "final_url": resp.final_url,
            "fetched_at": utc_now(),
            "status": resp.status,
            "content_type": resp.headers.get("content-type"),
            "etag": resp.headers.get("etag"),
            "last_modified": resp.headers.get("last-modified"),
            "sha256": resp.sha256,
            "bytes": resp.size,
            "via": via,
        }
        stored = store_document(self.raw_dir, host=http.host_of(resp.final_url), body_path=resp.body_path,
                                sha256=resp.sha256, ext=ext, sidecar=sidecar)
        resp.body_path = None
        st.etag, st.last_modified = resp.headers.get("etag"), resp.headers.get("last-modified")
        st.sha256, st.path = stored.sha256, stored.relpath
        if not stored.created:
            return UrlOutcome(result=UNCHANGED, kind="already_stored",
                              message=f"identical bytes are already stored as {stored.relpath}",
                              path=stored.relpath, sha256=stored.sha256, bytes=resp.size, **base)
        what = "changed since the last fetch: new snapshot" if have else "downloaded"
        return UrlOutcome(result=NEW, kind="downloaded", message=f"{what} ({resp.size:,} bytes)",
                          path=stored.relpath, sha256=stored.sha256, bytes=resp.size, **base)

    def _same_host_of(self, source_url: str) -> bool:
        source = self.registry.find_source(source_url)
        return source.same_host if source is not None else True

    # -- the whole run ---------------------------------------------------------------
    def run(self, only: str | None = None) -> FetchReport:
        report = FetchReport(started_at=utc_now())
        targets: dict[str, tuple[str, str | None]] = {}
        sources = self.registry.sources
        if only is not None:
            problem = http.check_url(only)
            if problem:
                raise ValueError(f"--only {only}: {problem}")
            source = self.registry.find_source(only)
            sources = [source] if source else []
            if source is None:
                targets[only] = ("registry" if any(r.url == only for r in self.registry.releases)
                                 else "command line", None)
        else:
            for rel in self.registry.releases:
                targets.setdefault(rel.url, ("registry", None))
        try:
            if sources:
                self.progress.start(len(sources), "discovering")
                for src in sources:
                    d = self.discover(src.url, src.kind, link_pattern=src.link_pattern, same_host=src.same_host)
                    report.discoveries.append(d)
                    self.progress.advance(src.url)
                    if not d.ok:
                        self.log(f"could not read {src.kind} {src.url}: {d.message}")
                    for v in d.picked:
                        targets.setdefault(v.item.url, (src.url, v.item.title))
            if only is None:
                # Releases found by earlier runs are revalidated too (cheaply, by conditional GET),
                # so one that failed last week, or was silently revised, is picked up.
                for url, disc in self.state.discovered.items():
                    if url in targets:
                        continue
                    if disc.via.startswith(("http://", "https://")) and not self._may_follow(
                            url, disc.via, self._same_host_of(disc.via)):
                        continue      # remembered from a feed that pointed elsewhere: never fetched
                    st = self.state.urls.get(url)
                    if st and st.kind in GIVE_UP_KINDS and (st.failures or 0) >= GIVE_UP_AFTER:
                        report.given_up.append(url)
                        continue
                    targets[url] = (disc.via, disc.title)
            self.progress.start(len(targets), "fetching")
            for url, (via, title) in targets.items():
                outcome = self.fetch_document(url, via=via, title=title)
                report.outcomes.append(outcome)
                self.progress.advance(f"{outcome.result}: {url}")
                if outcome.result == FAILED:
                    self.log(f"failed {url}: {outcome.message}")
                elif outcome.result == NEW:
                    self.log(f"new {url} → {outcome.path}")
        finally:
            self.progress.stop()
            self.state.save(self.raw_dir)
            report.finished_at = utc_now()
        return report


def fetch_sources(
    registry: Registry,
    raw_dir: Path,
    *,
    only: str | None = None,
    session: requests.Session | None = None,
    progress: Progress | None = None,
    log_fn: Callable[[str], None] | None = None,
    lock_timeout: float = 0,
    throttle: http.HostThrottle | None = None,
) -> FetchReport:
    """Discover and fetch every source in `registry` into `raw_dir`/fetched/.

    Holds raw/fetched/.lock for the duration (raises FetchBusy if another fetch has it)
    and removes stale `.part-*` files a killed run left behind. With `only`, fetches
    just that URL: a feed or listing of the registry is read for its items, anything
    else is fetched as a release.
    """
    raw_dir = Path(raw_dir)
    fetched = raw_dir / FETCHED
    fetched.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(str(fetched / LOCK_FILE), timeout=lock_timeout)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise FetchBusy(f"another fetch is running ({fetched / LOCK_FILE} is held)") from None
    try:
        removed = sweep_partials(fetched)
        if removed:
            log.info("removed %d partial download(s) left by an interrupted fetch", removed)
        fetcher = Fetcher(registry, raw_dir, session=session, progress=progress, log_fn=log_fn,
                          throttle=throttle)
        try:
            return fetcher.run(only)
        finally:
            if session is None:
                fetcher.session.close()
    finally:
        lock.release()
