"""A polite HTTP client for fetching releases: one GET, one clear outcome.

`make_session` builds a requests Session with a descriptive User-Agent and a urllib3
Retry (backoff on 429/5xx and connection errors, Retry-After respected but capped).
`get` follows redirects itself so every hop is checked (http/https only, no loops,
a hop limit) and streams the body to a temporary file under a size cap and a total
time limit. It never raises for a network or HTTP problem: it returns a `Response`
whose `error` says what went wrong in one sentence.
"""
from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import socket
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util.retry import Retry

from ncpi import __version__

# Where a site owner who sees our requests can find out who we are. The registry's
# [fetch] contact key overrides it.
DEFAULT_CONTACT = "https://github.com/ncpi-open-dataset/ncpi"
REDIRECT_CODES = {301, 302, 303, 307, 308}
RETRY_STATUSES = (429, 500, 502, 503, 504)
CHUNK = 64 * 1024

# The content types a release may have, and the file extension each is stored under.
DOCUMENT_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "txt"}
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml",
              "application/xml", "text/xml", "application/feed+json"}


@dataclass(frozen=True)
class FetchSettings:
    """Politeness and safety limits; every field can be set in sources.toml [fetch]."""

    contact: str = DEFAULT_CONTACT
    connect_timeout: float = 10.0     # seconds to open a connection
    read_timeout: float = 30.0        # seconds of silence allowed while waiting for bytes
    max_seconds: float = 120.0        # total time one response body may take
    max_bytes: int = 5_000_000        # a press release page is ~100 kB; anything huge is wrong
    retries: int = 3                  # retries on 429/5xx and connection errors
    backoff_factor: float = 1.0       # 0 s, 2 s, 4 s, ... between retries
    backoff_max: float = 60.0
    retry_after_max: float = 120.0    # longest Retry-After we honour
    per_host_delay: float = 2.0       # seconds between two requests to one host
    max_redirects: int = 5
    # Hosts (host or host:port, space-separated) that feed items and redirects may lead to
    # besides the feed's or page's own host and port. Empty: none (see same_origin).
    other_hosts: str = ""

    @property
    def user_agent(self) -> str:
        return f"ncpi-fetch/{__version__} (NCPI open dataset; +{self.contact})"


def make_retry(settings: FetchSettings) -> Retry:
    return Retry(
        total=settings.retries,
        connect=settings.retries,
        read=1,                       # a silent server rarely answers a second time
        status=settings.retries,
        other=0,
        redirect=False,               # redirects are followed by `get`, hop by hop
        allowed_methods=frozenset({"GET", "HEAD"}),
        status_forcelist=RETRY_STATUSES,
        backoff_factor=settings.backoff_factor,
        backoff_max=settings.backoff_max,
        retry_after_max=settings.retry_after_max,
        respect_retry_after_header=True,
        raise_on_status=False,        # give back the last 5xx so it can be reported
        raise_on_redirect=False,
    )


def make_session(settings: FetchSettings | None = None) -> requests.Session:
    settings = settings or FetchSettings()
    session = requests.Session()
    adapter = DeadlineAdapter(max_retries=make_retry(settings), pool_connections=4, pool_maxsize=4)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update({
        "User-Agent": settings.user_agent,
        "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml;q=0.9,"
                  "text/plain;q=0.8,application/xml;q=0.8,*/*;q=0.1",
        "Accept-Language": "en-GB,en;q=0.8",
    })
    session.max_redirects = settings.max_redirects
    session.trust_env = False          # no proxies or .netrc picked up behind our back
    return session


# --- an overall deadline on every connection --------------------------------------------
# A read timeout only bounds the silence between two recv calls: a server trickling one
# byte a second never trips it, neither while sending headers nor the body. A Deadline
# bounds each connection used for one exchange (a retry gets a new connection and a new
# deadline; a kept-alive one is timed from its reuse): when its time is up a timer shuts
# the socket down, which ends any blocked recv at once. The caller then sees
# `deadline.expired` and reports a timeout, never a truncated body as a complete one.
_ACTIVE = threading.local()


class Deadline:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = False
        self._timers: list[threading.Timer] = []
        self._lock = threading.Lock()
        self._closed = False

    def register(self, sock) -> None:
        if sock is None:
            return
        timer = threading.Timer(self.seconds, self._expire, args=(sock,))
        timer.daemon = True
        with self._lock:
            if self._closed:
                return
            self._timers.append(timer)
        timer.start()

    def _expire(self, sock) -> None:
        with self._lock:
            if self._closed:
                return
            self.expired = True
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> "Deadline":
        self._outer = getattr(_ACTIVE, "deadline", None)
        _ACTIVE.deadline = self
        return self

    def __exit__(self, *exc) -> None:
        with self._lock:
            self._closed = True
            timers, self._timers = self._timers, []
        for timer in timers:
            timer.cancel()
        _ACTIVE.deadline = self._outer


def _register_current(sock) -> None:
    deadline = getattr(_ACTIVE, "deadline", None)
    if deadline is not None:
        deadline.register(sock)


class _DeadlineHTTPConnection(HTTPConnection):
    def connect(self):
        super().connect()
        _register_current(self.sock)


class _DeadlineHTTPSConnection(HTTPSConnection):
    def connect(self):
        super().connect()
        _register_current(self.sock)


class _DeadlinePoolMixin:
    def _get_conn(self, timeout=None):
        conn = super()._get_conn(timeout)
        _register_current(getattr(conn, "sock", None))      # a kept-alive connection, reused
        return conn


class _DeadlineHTTPPool(_DeadlinePoolMixin, HTTPConnectionPool):
    ConnectionCls = _DeadlineHTTPConnection


class _DeadlineHTTPSPool(_DeadlinePoolMixin, HTTPSConnectionPool):
    ConnectionCls = _DeadlineHTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections obey the calling thread's active Deadline."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _DeadlineHTTPPool, "https": _DeadlineHTTPSPool}


def same_origin(url: str, base: str, other_hosts: str = "") -> bool:
    """Whether `url` is on the same host and port as `base` (a www. prefix and the
    http→https upgrade on default ports do not count as a change), or on a host the
    registry's `other_hosts` names."""
    a, b = urlsplit(url), urlsplit(base)
    try:
        a_port, b_port = a.port, b.port
    except ValueError:
        return False
    name = lambda h: (h or "").lower().removeprefix("www.")  # noqa: E731
    if name(a.hostname) == name(b.hostname) and a_port == b_port:
        return True
    allowed = {h.lower() for h in other_hosts.split()}
    return host_of(url) in allowed or ((a.hostname or "").lower() in allowed and a_port is None)


class HostThrottle:
    """Keeps at least `delay` seconds between the starts of two requests to one host."""

    def __init__(self, delay: float, clock=time.monotonic, sleep=time.sleep):
        self.delay = delay
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def wait(self, host: str) -> float:
        """Sleep if needed; returns the seconds slept."""
        with self._lock:
            now = self._clock()
            last = self._last.get(host)
            pause = 0.0 if last is None else max(0.0, last + self.delay - now)
            self._last[host] = now + pause
        if pause > 0:
            self._sleep(pause)
        return pause


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.hostname or "").lower() + (f":{parts.port}" if parts.port else "")


def check_url(url: str) -> str | None:
    """Why a URL cannot be fetched, or None if it can."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return f"not a valid URL ({exc})"
    if parts.scheme not in ("http", "https"):
        return f"only http and https URLs are fetched, not {parts.scheme or 'a URL without a scheme'!r}"
    if not parts.hostname:
        return "the URL has no host"
    return None


@dataclass
class Response:
    """What one GET produced. Exactly one of `body_path` (status 200), `not_modified`
    (304) or `error` is meaningful; `error_kind` is a short code for summaries."""

    url: str
    final_url: str
    status: int | None = None
    reason: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None          # the MIME type without parameters
    body_path: Path | None = None            # a temporary file holding the body
    sha256: str | None = None
    size: int = 0
    not_modified: bool = False
    retries: int = 0
    redirects: list[str] = field(default_factory=list)
    error_kind: str | None = None
    error: str | None = None

    def discard(self) -> None:
        """Delete the temporary body file, if it still exists."""
        if self.body_path is not None:
            try:
                self.body_path.unlink()
            except FileNotFoundError:
                pass
            self.body_path = None

    def read(self) -> bytes:
        assert self.body_path is not None
        return self.body_path.read_bytes()


def _mime(value: str | None) -> str | None:
    if not value:
        return None
    return value.split(";", 1)[0].strip().lower() or None


def _retries_of(resp: requests.Response) -> int:
    retries = getattr(resp.raw, "retries", None)
    return len(retries.history) if retries is not None and retries.history else 0


def _retries_text(n: int) -> str:
    return f"{n} {'retry' if n == 1 else 'retries'}"


def _root_cause(exc: BaseException) -> BaseException:
    seen = set()
    while True:
        seen.add(id(exc))
        nxt = None
        if isinstance(exc, urllib3.exceptions.MaxRetryError) and exc.reason is not None:
            nxt = exc.reason
        elif exc.args and isinstance(exc.args[0], BaseException):
            nxt = exc.args[0]
        elif exc.__cause__ is not None:
            nxt = exc.__cause__
        if nxt is None or id(nxt) in seen:
            return exc
        exc = nxt


def header_problem(exc: BaseException) -> BaseException | None:
    """The http.client error about the response's status line or headers somewhere in exc's
    chain (requests and urllib3 wrap it, sometimes as a second argument), else None."""
    seen, todo = set(), [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, http.client.HTTPException) and not isinstance(e, http.client.RemoteDisconnected):
            return e
        todo += [a for a in getattr(e, "args", ()) if isinstance(a, BaseException)]
        todo += [x for x in (getattr(e, "reason", None), e.__cause__, e.__context__) if isinstance(x, BaseException)]
    return None


def _describe_exception(exc: BaseException, settings: FetchSettings) -> tuple[str, str]:
    cause = _root_cause(exc)
    tries = f" after {_retries_text(settings.retries)}" if settings.retries else ""
    if isinstance(exc, requests.ConnectTimeout) or isinstance(cause, urllib3.exceptions.ConnectTimeoutError):
        return "timeout", f"timed out connecting (no connection within {settings.connect_timeout:g} s){tries}"
    if isinstance(exc, requests.ReadTimeout) or isinstance(cause, (urllib3.exceptions.ReadTimeoutError, TimeoutError)):
        return "timeout", f"timed out: the server sent nothing for {settings.read_timeout:g} s (read timeout)"
    flood = header_problem(exc)
    if flood is not None:
        # http.client's own limits: over 100 header lines, or a line over 64 KB.
        return "bad_response", f"the server sent malformed or too many headers (a header flood?): {str(flood)[:120]}"
    if isinstance(exc, requests.exceptions.SSLError):
        return "tls_error", f"TLS/certificate error: {cause}"
    if isinstance(exc, (requests.ConnectionError, urllib3.exceptions.ProtocolError)):
        text = str(cause)
        if "Connection refused" in text or isinstance(cause, ConnectionRefusedError):
            text = "connection refused"
        elif "Name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
            text = "the host name does not resolve"
        return "connection_error", f"could not connect: {text}{tries}"
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return "bad_response", f"the body could not be decoded: {cause}"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "bad_response", f"the connection broke while reading the body: {cause}"
    return "error", f"{type(exc).__name__}: {exc}"


def get(
    session: requests.Session,
    url: str,
    *,
    settings: FetchSettings,
    tmp_dir: Path,
    throttle: HostThrottle | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    allowed_types: dict[str, str] | set[str] | None = None,
) -> Response:
    """GET `url`, following redirects by hand, streaming the body to a file in `tmp_dir`.

    The temporary file is a dot-file (`.part-*`) so a build never mistakes it for a
    document; the caller moves it into place or calls `Response.discard()`.
    `allowed_types` limits the MIME types accepted (None: anything textual).
    Redirects may not leave the URL's host and port (see same_origin). Each connection,
    headers and body included, must be done within settings.max_seconds.
    """
    deadline = Deadline(settings.max_seconds)
    with deadline:
        out = _get(session, url, settings=settings, tmp_dir=tmp_dir, throttle=throttle, etag=etag,
                   last_modified=last_modified, allowed_types=allowed_types, deadline=deadline)
    if deadline.expired and out.error_kind != "timeout":
        out.discard()
        out.error_kind = "timeout"
        out.error = (f"timed out: the response took longer than the {settings.max_seconds:g} s deadline "
                     f"(a server sending too slowly)")
    return out


def _get(session, url, *, settings, tmp_dir, throttle, etag, last_modified, allowed_types, deadline: Deadline) -> Response:
    out = Response(url=url, final_url=url)
    problem = check_url(url)
    if problem:
        out.error_kind, out.error = "bad_url", problem
        return out
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    visited = [url]
    current = url
    resp: requests.Response | None = None
    try:
        while True:
            if throttle is not None:
                throttle.wait(host_of(current))
            resp = session.get(
                current, headers=headers, stream=True, allow_redirects=False,
                timeout=(settings.connect_timeout, settings.read_timeout),
            )
            out.retries += _retries_of(resp)
            if resp.status_code in REDIRECT_CODES and resp.headers.get("Location"):
                target = urljoin(current, resp.headers["Location"])
                target = target.split("#", 1)[0]
                resp.close()
                resp = None
                if target in visited:
                    chain = " → ".join(visited + [target])
                    out.error_kind = "redirect_loop"
                    out.error = f"redirect loop: {chain}"
                    return out
                if len(visited) > settings.max_redirects:
                    out.error_kind = "too_many_redirects"
                    out.error = f"more than {settings.max_redirects} redirects (last: {target})"
                    return out
                problem = check_url(target)
                if not problem and not same_origin(target, url, settings.other_hosts):
                    problem = (f"another host or port than {host_of(url)} (add it to other_hosts in "
                               f"sources.toml [fetch] if it is trusted)")
                if problem:
                    out.error_kind = "bad_url"
                    out.error = f"redirected to {target}: {problem}"
                    return out
                visited.append(target)
                out.redirects.append(target)
                current = target
                continue
            break
        out.final_url = current
        out.status = resp.status_code
        out.reason = resp.reason or ""
        out.headers = {k.lower(): v for k, v in resp.headers.items()}
        out.content_type = _mime(resp.headers.get("Content-Type"))
        if resp.status_code == 304:
            out.not_modified = True
            return out
        if resp.status_code != 200:
            out.error_kind = "http_error"
            msg = f"HTTP {resp.status_code} {resp.reason or ''}".rstrip()
            if resp.status_code in RETRY_STATUSES and out.retries:
                msg += f" after {_retries_text(out.retries)}"
            elif resp.status_code == 404:
                msg += ": the page does not exist (check the URL in sources.toml)"
            elif resp.status_code == 410:
                msg += ": the page was removed"
            elif resp.status_code in (401, 403):
                msg += ": the server refused access"
            out.error = msg
            return out
        if allowed_types is not None and out.content_type not in allowed_types:
            out.error_kind = "wrong_content_type"
            wanted = ", ".join(sorted(allowed_types))
            out.error = f"wrong content type {out.content_type or '(none)'}: expected one of {wanted}"
            return out
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > settings.max_bytes:
            out.error_kind = "too_large"
            out.error = (f"too large: Content-Length {int(declared):,} bytes is over the "
                         f"{settings.max_bytes:,}-byte cap")
            return out
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".part-", dir=tmp_dir)
        out.body_path = Path(name)
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as fh:
            for chunk in resp.iter_content(CHUNK):
                out.size += len(chunk)
                if out.size > settings.max_bytes:
                    out.error_kind = "too_large"
                    out.error = (f"too large: the body passed the {settings.max_bytes:,}-byte cap "
                                 "while downloading")
                    break
                if deadline.expired:
                    break
                digest.update(chunk)
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        if out.error or deadline.expired:     # a body cut by the deadline is never taken as complete
            out.discard()
            return out
        out.sha256 = digest.hexdigest()
        return out
    except requests.RequestException as exc:
        out.discard()
        out.error_kind, out.error = _describe_exception(exc, settings)
        if out.redirects:
            out.error += f" (at {current})"
        return out
    except BaseException:
        out.discard()
        raise
    finally:
        if resp is not None:
            resp.close()
