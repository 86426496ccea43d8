"""Fetching a published release folder over HTTP(S), verified before it is placed.

Reads SHA256SUMS and datapackage.json at the URL, refuses unsafe names, downloads every
listed file into a temporary folder beside the destination (streamed, size-capped,
hashed on the fly, with timeouts), verifies the whole folder as `ncpi verify` would, and
only then renames it to the destination. Nothing is left behind on failure.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import requests

from ncpi.release.fsutil import MANIFEST_NAME, SUMS_NAME, fsync_dir, parse_sums, safe_relpath
from ncpi.release.verify import VerificationError, VerifiedRelease, verify_release

MAX_SUMS_BYTES = 1 << 20            # SHA256SUMS
MAX_MANIFEST_BYTES = 16 << 20       # datapackage.json
MAX_FILE_BYTES = 2 << 30            # any other file, unless the manifest states its size
DEFAULT_TIMEOUT = (10.0, 60.0)      # connect, read (between bytes)
USER_AGENT = "ncpi-download/1"


class DownloadError(Exception):
    """A release could not be downloaded or was refused; str() is one line."""


def _base_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise DownloadError(f"{url!r} is not an http(s) URL")
    if parts.query or parts.fragment:
        raise DownloadError(f"{url!r}: give the release folder's URL without ?query or #fragment")
    if url.endswith("/" + MANIFEST_NAME):
        url = url[: -len(MANIFEST_NAME)]
    return url if url.endswith("/") else url + "/"


def _fetch(session: requests.Session, url: str, dest: Path | None, *, limit: int,
           timeout) -> tuple[bytes | None, str, int]:
    """GET url, streaming to dest (or memory), refusing more than `limit` bytes.

    Returns (content if in memory, sha256 hex, size).
    """
    try:
        resp = session.get(url, stream=True, timeout=timeout, allow_redirects=True,
                           headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
    except requests.RequestException as exc:
        raise DownloadError(f"cannot fetch {url}: {type(exc).__name__}") from None
    with resp:
        if resp.status_code != 200:
            raise DownloadError(f"cannot fetch {url}: HTTP {resp.status_code}")
        if urlsplit(resp.url).scheme not in ("http", "https"):
            raise DownloadError(f"{url} redirected to a non-http(s) URL")
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise DownloadError(f"{url} is {declared} bytes, more than the {limit} expected")
        h = hashlib.sha256()
        size = 0
        chunks: list[bytes] = []
        fh = open(dest, "wb") if dest is not None else None
        try:
            for chunk in resp.iter_content(chunk_size=1 << 16):
                size += len(chunk)
                if size > limit:
                    raise DownloadError(f"{url} is larger than the {limit} bytes expected")
                h.update(chunk)
                if fh is not None:
                    fh.write(chunk)
                else:
                    chunks.append(chunk)
            if fh is not None:
                fh.flush()
                os.fsync(fh.fileno())
        except requests.RequestException as exc:
            raise DownloadError(f"download of {url} failed: {type(exc).__name__}") from None
        finally:
            if fh is not None:
                fh.close()
    return (b"".join(chunks) if dest is None else None), h.hexdigest(), size


def download_release(url: str, dest: Path | None = None, *, session: requests.Session | None = None,
                     timeout=DEFAULT_TIMEOUT, max_file_bytes: int = MAX_FILE_BYTES) -> VerifiedRelease:
    """Download the release published at url into dest (default ./ncpi-<version>) and verify it.

    Raises DownloadError (refused or failed) — dest is then untouched.
    """
    base = _base_url(url)
    own_session = session is None
    session = session or requests.Session()
    try:
        sums_text, _, _ = _fetch(session, urljoin(base, SUMS_NAME), None, limit=MAX_SUMS_BYTES, timeout=timeout)
        try:
            sums = parse_sums(sums_text.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise DownloadError(f"refused: SHA256SUMS at {base}: {exc}") from None
        if MANIFEST_NAME not in sums:
            raise DownloadError(f"refused: SHA256SUMS at {base} does not list {MANIFEST_NAME}")
        manifest_bytes, digest, _ = _fetch(session, urljoin(base, MANIFEST_NAME), None,
                                           limit=MAX_MANIFEST_BYTES, timeout=timeout)
        if digest != sums[MANIFEST_NAME]:
            raise DownloadError(f"refused: {MANIFEST_NAME} does not match its SHA256SUMS hash (tampered)")
        try:
            dp = json.loads(manifest_bytes.decode("utf-8"))
            version = dp["version"]
            resources = list(dp["resources"])
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise DownloadError(f"refused: {MANIFEST_NAME} at {base} is not a data package") from None
        sizes: dict[str, int] = {}
        for res in resources:
            rpath = res.get("path") if isinstance(res, dict) else None
            if not isinstance(rpath, str) or safe_relpath(rpath) is None:
                raise DownloadError(f"refused: {MANIFEST_NAME} names the unsafe path {rpath!r}")
            if rpath not in sums:
                raise DownloadError(f"refused: {rpath} is in {MANIFEST_NAME} but not in SHA256SUMS")
            if isinstance(res.get("ncpiBytes"), int):
                sizes[rpath] = res["ncpiBytes"]

        if dest is None:
            if not isinstance(version, str) or safe_relpath(version) is None:
                raise DownloadError(f"refused: version {version!r} cannot name a folder")
            dest = Path.cwd() / f"ncpi-{version}"
        dest = Path(dest)
        if dest.exists():
            raise DownloadError(f"{dest} already exists; choose another --dest")
        dest.parent.mkdir(parents=True, exist_ok=True)

        tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.download-", dir=dest.parent))
        try:
            (tmp / MANIFEST_NAME).write_bytes(manifest_bytes)
            (tmp / SUMS_NAME).write_bytes(sums_text)
            for name in sorted(sums):
                if name == MANIFEST_NAME:
                    continue
                target = tmp / name
                target.parent.mkdir(parents=True, exist_ok=True)
                limit = sizes.get(name, max_file_bytes)
                _, digest, size = _fetch(session, urljoin(base, quote(name)), target, limit=limit, timeout=timeout)
                if digest != sums[name]:
                    raise DownloadError(f"refused: {name} does not match its SHA256SUMS hash (tampered)")
                if name in sizes and size != sizes[name]:
                    raise DownloadError(f"refused: {name} is {size} bytes, {MANIFEST_NAME} says {sizes[name]}")
            try:
                verify_release(tmp)
            except VerificationError as exc:
                raise DownloadError(f"refused: {exc}") from None
            os.chmod(tmp, 0o755)
            fsync_dir(tmp)
            if dest.exists():
                raise DownloadError(f"{dest} appeared while downloading; nothing was placed")
            os.rename(tmp, dest)
            fsync_dir(dest.parent)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    finally:
        if own_session:
            session.close()
    return verify_release(dest)
