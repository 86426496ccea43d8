"""Querying a release where it is hosted: DuckDB reads its Parquet files over HTTP.

`open_release(url)` gives an in-memory DuckDB connection with one view per resource of
the release's datapackage.json (`findings`, `sources`, ..., `changes`), named as in the
warehouse, each reading its file at the URL. Only the byte ranges DuckDB asks for are
fetched (a Parquet footer, then the columns and row groups a query needs), through an
fsspec filesystem registered with DuckDB (DuckDB's own httpfs extension would have to be
downloaded at run time).

`HTTPRangeFileSystem` is that filesystem, on `requests`:
- a read is `GET` with `Range: bytes=a-b`; a server that ignores ranges (`python -m
  http.server` does) answers 200 with the whole file, which is then kept in memory for
  that file's later reads (up to `max_whole_bytes`) instead of being fetched again;
- every request has connect and read timeouts and an overall deadline (a server that
  trickles a byte a second is stopped too); redirects are followed only within the
  release's own origin (scheme, host, port), at most 5;
- `modified()` exists (DuckDB asks for it; fsspec's own HTTP filesystem lacks it) and
  reads Last-Modified.
The connection is then confined: external access off, only the release's file URLs
allowed, configuration locked, so a query cannot read a local file or another URL.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import json
import re
import threading
import time
from typing import Iterator
from urllib.parse import urljoin, urlsplit

import duckdb
import requests
import urllib3
from fsspec import AbstractFileSystem
from fsspec.spec import AbstractBufferedFile

from ncpi.release.fsutil import MANIFEST_NAME, safe_relpath
from ncpi.sql.sandbox import Limits, QueryFailed, base_config, first_line, lock_down

USER_AGENT = "ncpi-sql/1"
DEFAULT_HTTP_TIMEOUT = (10.0, 60.0)       # connect, between bytes
MAX_MANIFEST_BYTES = 16 << 20
MAX_WHOLE_BYTES = 512 << 20               # a file read whole when the server ignores Range
MAX_REDIRECTS = 5
DEFAULT_REQUEST_DEADLINE = 120.0          # seconds for one request, body included
_VIEW_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


class RemoteError(QueryFailed):
    """The release URL cannot be read as a release."""


class HTTPRangeFileSystem(AbstractFileSystem):
    protocol = ("http", "https")
    cachable = False        # one instance per connection: its whole-file cache is its own

    def __init__(self, *, timeout=DEFAULT_HTTP_TIMEOUT, deadline: float = DEFAULT_REQUEST_DEADLINE,
                 max_whole_bytes: int = MAX_WHOLE_BYTES, session: requests.Session | None = None,
                 clock=time.monotonic, **kwargs):
        super().__init__(**kwargs)
        self.timeout = timeout
        self.deadline = deadline
        self.max_whole_bytes = max_whole_bytes
        self.session = session or requests.Session()
        self.clock = clock
        self._lock = threading.Lock()
        self._whole: dict[str, bytes] = {}
        self._info: dict[str, dict] = {}

    @classmethod
    def _strip_protocol(cls, path):
        return path      # a URL is its own path

    # -- requests --------------------------------------------------------------------
    def _request(self, method: str, url: str, headers: dict | None = None) -> requests.Response:
        """The response to method url, redirects followed within url's origin; its
        `ncpi_deadline` attribute is when reading its body must stop."""
        stop_at = self.clock() + self.deadline
        origin = _origin(url)
        if origin is None:
            raise OSError(f"not an http(s) URL: {url}")
        for _ in range(MAX_REDIRECTS + 1):
            try:
                resp = self.session.request(method, url, timeout=self.timeout, stream=True, allow_redirects=False,
                                            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity",
                                                     **(headers or {})})
            except requests.RequestException as exc:
                raise OSError(f"cannot fetch {url}: {type(exc).__name__}") from None
            if not resp.is_redirect:
                resp.ncpi_deadline = stop_at
                return resp
            target = urljoin(url, resp.headers.get("Location", ""))
            resp.close()
            if _origin(target) != origin:
                where = urlsplit(target)
                raise OSError(f"{url} redirects to another host ({where.scheme}://{where.netloc}); not followed")
            url = target
        raise OSError(f"{url}: more than {MAX_REDIRECTS} redirects")

    def _read_body(self, resp: requests.Response, url: str, limit: int) -> bytes:
        declared = resp.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise OSError(f"{url} is {declared} bytes, more than the {limit} this reader keeps in memory")
        stop_at = getattr(resp, "ncpi_deadline", None)
        chunks, size = [], 0
        try:
            while True:
                # read1 returns what one read of the socket gives, so the deadline is checked
                # however slowly the bytes come (iter_content waits for a whole chunk).
                chunk = resp.raw.read1(1 << 16)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise OSError(f"{url} is larger than the {limit} bytes this reader keeps in memory")
                if stop_at is not None and self.clock() > stop_at:
                    raise OSError(f"{url} took longer than {self.deadline:g} s to arrive")
                chunks.append(chunk)
        except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
            raise OSError(f"reading {url} failed: {type(exc).__name__}") from None
        return b"".join(chunks)

    def _get_whole(self, url: str) -> bytes:
        with self._lock:
            if url in self._whole:
                return self._whole[url]
        with self._request("GET", url) as resp:
            if resp.status_code != 200:
                raise FileNotFoundError(f"{url}: HTTP {resp.status_code}")
            body = self._read_body(resp, url, self.max_whole_bytes)
        with self._lock:
            self._whole[url] = body
        return body

    def fetch_range(self, url: str, start: int, end: int) -> bytes:
        """Bytes [start, end) of url."""
        if end <= start:
            return b""
        with self._lock:
            whole = self._whole.get(url)
        if whole is not None:
            return whole[start:end]
        with self._request("GET", url, {"Range": f"bytes={start}-{end - 1}"}) as resp:
            if resp.status_code == 206:
                return self._read_body(resp, url, end - start)
            if resp.status_code == 416:
                return b""
            if resp.status_code != 200:
                raise OSError(f"{url}: HTTP {resp.status_code}")
            # The server ignored Range and sends the whole file: keep it for the next reads.
            body = self._read_body(resp, url, self.max_whole_bytes)
        with self._lock:
            self._whole[url] = body
        return body[start:end]

    # -- the fsspec interface DuckDB uses ------------------------------------------------
    def info(self, path, **kwargs):
        url = str(path)
        with self._lock:
            if url in self._info:
                return dict(self._info[url])
        size = None
        modified = None
        with self._request("HEAD", url) as resp:
            if resp.status_code == 404:
                raise FileNotFoundError(url)
            if resp.status_code == 200:
                length = resp.headers.get("Content-Length", "")
                size = int(length) if length.isdigit() else None
                modified = resp.headers.get("Last-Modified")
        if size is None:   # no HEAD, or no length: the whole file tells
            size = len(self._get_whole(url))
        out = {"name": url, "size": size, "type": "file", "modified": modified}
        with self._lock:
            self._info[url] = out
        return dict(out)

    def ls(self, path, detail=True, **kwargs):
        info = self.info(path)
        return [info] if detail else [info["name"]]

    def modified(self, path):
        stamp = self.info(path).get("modified")
        try:
            parsed = email.utils.parsedate_to_datetime(stamp) if stamp else None
        except (TypeError, ValueError):
            parsed = None
        return parsed or dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)

    def _open(self, path, mode="rb", block_size=None, autocommit=True, cache_options=None, **kwargs):
        if mode != "rb":
            raise PermissionError(f"{path}: this filesystem only reads")
        return HTTPRangeFile(self, path, mode=mode, block_size=block_size or (1 << 20),
                             cache_type="readahead", size=self.info(path)["size"])


class HTTPRangeFile(AbstractBufferedFile):
    def _fetch_range(self, start, end):
        return self.fs.fetch_range(self.path, start, min(end, self.size))


def _origin(url: str) -> tuple[str, str, int] | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
    return parts.scheme, parts.hostname.lower(), port


# -- a release as views ---------------------------------------------------------------
def release_base(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RemoteError(f"{url!r} is not an http(s) URL of a release folder")
    if parts.query or parts.fragment:
        raise RemoteError(f"{url!r}: give the release folder's URL without ?query or #fragment")
    if url.endswith("/" + MANIFEST_NAME):
        url = url[: -len(MANIFEST_NAME)]
    return url if url.endswith("/") else url + "/"


def release_tables(fs: HTTPRangeFileSystem, base: str) -> dict[str, str]:
    """{view name: file URL} for every Parquet resource of the release's datapackage.json."""
    manifest_url = urljoin(base, MANIFEST_NAME)
    try:
        with fs._request("GET", manifest_url) as resp:
            if resp.status_code != 200:
                raise RemoteError(f"no release at {base}: {MANIFEST_NAME} answered HTTP {resp.status_code}")
            body = fs._read_body(resp, manifest_url, MAX_MANIFEST_BYTES)
    except OSError as exc:
        raise RemoteError(f"no release at {base}: {exc}") from None
    try:
        resources = json.loads(body.decode("utf-8"))["resources"]
        if not isinstance(resources, list):
            raise TypeError
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise RemoteError(f"{manifest_url} is not a data package (no list of resources)") from None
    tables: dict[str, str] = {}
    for res in resources:
        name = res.get("name") if isinstance(res, dict) else None
        path = res.get("path") if isinstance(res, dict) else None
        if not (isinstance(name, str) and _VIEW_NAME.match(name) and isinstance(path, str)
                and safe_relpath(path) and path.endswith(".parquet")):
            continue      # not a table this reader can name and read safely
        tables[name] = urljoin(base, path)
    if not tables:
        raise RemoteError(f"{manifest_url} lists no Parquet resources")
    return tables


@contextlib.contextmanager
def open_release(url: str, limits: Limits = Limits(), *,
                 http_timeout=DEFAULT_HTTP_TIMEOUT) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB connection with a view per table of the release at url."""
    base = release_base(url)
    # No single request may outlast the query's own time limit (DuckDB cannot interrupt
    # a read that is waiting on the network).
    fs = HTTPRangeFileSystem(timeout=(min(http_timeout[0], limits.timeout), min(http_timeout[1], limits.timeout)),
                             deadline=limits.timeout)
    tables = release_tables(fs, base)
    con = duckdb.connect(":memory:", config=base_config(limits))
    try:
        try:
            con.register_filesystem(fs)
            for name, file_url in tables.items():
                # The relation API puts the URL in the view without formatting it into SQL.
                con.read_parquet(file_url).create_view(name, replace=True)
            lock_down(con, paths=list(tables.values()))
        except duckdb.Error as exc:
            raise RemoteError(f"cannot read the release at {base}: {first_line(exc)}") from None
        yield con
    finally:
        with contextlib.suppress(duckdb.Error):
            con.unregister_filesystem("http")
        con.close()
