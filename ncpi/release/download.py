"""Fetching a published release folder over HTTP(S), verified before it is placed.

Reads SHA256SUMS and datapackage.json at the URL, refuses unsafe names, downloads every
listed file into a temporary folder beside the destination (streamed, size-capped,
hashed on the fly, with timeouts), verifies the whole folder as `ncpi verify` would, and
only then renames it to the destination. Nothing is left behind on failure.
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import requests

from ncpi.childguard import alive
from ncpi.fetch.http import Deadline, DeadlineAdapter, header_problem, same_origin
from ncpi.rawio import BadJSON, parse_json_bounded
from ncpi.release.fsutil import MANIFEST_NAME, SUMS_NAME, fsync_dir, parse_sums, safe_relpath
from ncpi.release.verify import VerificationError, VerifiedRelease, verify_release

MAX_SUMS_BYTES = 1 << 20            # SHA256SUMS
MAX_MANIFEST_BYTES = 16 << 20       # datapackage.json
MAX_FILE_BYTES = 2 << 30            # any other file, unless the manifest states its size
DEFAULT_TIMEOUT = (10.0, 60.0)      # connect, read (between bytes)
MAX_SECONDS = 1800.0                # any one file, however slowly it trickles
MAX_REDIRECTS = 5
DISK_MARGIN = 64 << 20              # free space left over after the whole release
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


def _get_same_origin(session: requests.Session, url: str, base: str, timeout) -> requests.Response:
    """GET url following at most MAX_REDIRECTS redirects, none to another host or port."""
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        resp = session.get(current, stream=True, timeout=timeout, allow_redirects=False,
                           headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
        if resp.status_code not in (301, 302, 303, 307, 308) or not resp.headers.get("Location"):
            return resp
        target = urljoin(current, resp.headers["Location"]).split("#", 1)[0]
        resp.close()
        if urlsplit(target).scheme not in ("http", "https"):
            raise DownloadError(f"{url} redirected to a non-http(s) URL")
        if not same_origin(target, base):
            raise DownloadError(f"refused: {url} redirected to {target}, another host or port than the release's")
        current = target
    raise DownloadError(f"{url}: more than {MAX_REDIRECTS} redirects")


def _fetch(session: requests.Session, url: str, dest: Path | None, *, limit: int,
           timeout, base: str | None = None, max_seconds: float = MAX_SECONDS) -> tuple[bytes | None, str, int]:
    """GET url, streaming to dest (or memory), refusing more than `limit` bytes and cut at
    the `max_seconds` deadline however slowly the bytes arrive.

    Returns (content if in memory, sha256 hex, size).
    """
    deadline = Deadline(max_seconds)
    with deadline:
        try:
            return _fetch_within(session, url, dest, limit=limit, timeout=timeout, base=base or url,
                                 deadline=deadline)
        except DownloadError:
            if deadline.expired:
                raise DownloadError(f"download of {url} took longer than the {max_seconds:g} s deadline "
                                    f"(the server sends too slowly)") from None
            raise


def _fetch_within(session, url, dest, *, limit, timeout, base, deadline) -> tuple[bytes | None, str, int]:
    try:
        resp = _get_same_origin(session, url, base, timeout)
    except requests.RequestException as exc:
        raise DownloadError(f"cannot fetch {url}: {_why(exc)}") from None
    with resp:
        if resp.status_code != 200:
            raise DownloadError(f"cannot fetch {url}: HTTP {resp.status_code}")
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
                if deadline.expired:
                    raise DownloadError(f"download of {url} was cut at its deadline")
                h.update(chunk)
                if fh is not None:
                    fh.write(chunk)
                else:
                    chunks.append(chunk)
            if deadline.expired:        # a body cut short by the deadline is never taken as whole
                raise DownloadError(f"download of {url} was cut at its deadline")
            if fh is not None:
                fh.flush()
                os.fsync(fh.fileno())
        except requests.RequestException as exc:
            raise DownloadError(f"download of {url} failed: {_why(exc)}") from None
        except OSError as exc:
            what = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
            raise DownloadError(f"cannot write {dest}: {what}; nothing was placed") from None
        finally:
            if fh is not None:
                fh.close()
    return (b"".join(chunks) if dest is None else None), h.hexdigest(), size


def _why(exc: requests.RequestException) -> str:
    flood = header_problem(exc)
    if flood is not None:
        return f"the server sent malformed or too many headers (a header flood?): {str(flood)[:100]}"
    return type(exc).__name__


def _manifest_plan(manifest_bytes: bytes, base: str, sums: dict[str, str]) -> tuple[str, dict[str, int]]:
    """(version, claimed size per resource) from a downloaded manifest; DownloadError when
    it is not a data package this command can place."""
    try:
        dp = parse_json_bounded(manifest_bytes, f"{MANIFEST_NAME} at {base}")
    except BadJSON as exc:
        raise DownloadError(f"refused: {exc}") from None
    if not isinstance(dp, dict) or not isinstance(dp.get("resources"), list):
        raise DownloadError(f"refused: {MANIFEST_NAME} at {base} is not a data package")
    sizes: dict[str, int] = {}
    for res in dp["resources"]:
        rpath = res.get("path") if isinstance(res, dict) else None
        if not isinstance(rpath, str) or safe_relpath(rpath) is None:
            raise DownloadError(f"refused: {MANIFEST_NAME} names the unsafe path {str(rpath)[:80]!r}")
        if rpath not in sums:
            raise DownloadError(f"refused: {rpath} is in {MANIFEST_NAME} but not in SHA256SUMS")
        claimed = res.get("ncpiBytes")
        if isinstance(claimed, int) and not isinstance(claimed, bool):
            if claimed < 0:
                raise DownloadError(f"refused: {MANIFEST_NAME} gives {rpath} a negative size")
            sizes[rpath] = claimed
    return dp.get("version"), sizes


def _check_room(sizes: dict[str, int], names: list[str], folder: Path, max_file_bytes: int) -> None:
    """Refuse up front a release claiming files over the cap or more than the free disk."""
    for name, size in sizes.items():
        if size > max_file_bytes:
            raise DownloadError(f"refused: {MANIFEST_NAME} says {name} is {size:,} bytes, over the "
                                f"{max_file_bytes:,}-byte cap for one file")
    total = sum(sizes.get(n, 0) for n in names)
    free = shutil.disk_usage(folder).free
    if total + DISK_MARGIN > free:
        raise DownloadError(f"refused: the release needs {total:,} bytes and {folder} has {free:,} free")


def sweep_stale_downloads(folder: Path) -> int:
    """Remove temporary folders of downloads whose process is gone (killed mid-download)."""
    removed = 0
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return 0
    for entry in entries:
        m = re.fullmatch(r"\..+\.download-(\d+)-.+", entry.name)
        if m and entry.is_dir() and not entry.is_symlink() and not alive(int(m.group(1))):
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
    return removed


def download_release(url: str, dest: Path | None = None, *, session: requests.Session | None = None,
                     timeout=DEFAULT_TIMEOUT, max_file_bytes: int = MAX_FILE_BYTES,
                     max_seconds: float = MAX_SECONDS) -> VerifiedRelease:
    """Download the release published at url into dest (default ./ncpi-<version>) and verify it.

    Raises DownloadError (refused or failed) — dest is then untouched.
    """
    base = _base_url(url)
    own_session = session is None
    if session is None:
        session = requests.Session()
        session.trust_env = False
        session.mount("http://", DeadlineAdapter())
        session.mount("https://", DeadlineAdapter())
    fetch = lambda u, d, limit: _fetch(session, u, d, limit=limit, timeout=timeout, base=base,  # noqa: E731
                                       max_seconds=max_seconds)
    try:
        sums_text, _, _ = fetch(urljoin(base, SUMS_NAME), None, MAX_SUMS_BYTES)
        try:
            sums = parse_sums(sums_text.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise DownloadError(f"refused: SHA256SUMS at {base}: {exc}") from None
        if MANIFEST_NAME not in sums:
            raise DownloadError(f"refused: SHA256SUMS at {base} does not list {MANIFEST_NAME}")
        manifest_bytes, digest, _ = fetch(urljoin(base, MANIFEST_NAME), None, MAX_MANIFEST_BYTES)
        if digest != sums[MANIFEST_NAME]:
            raise DownloadError(f"refused: {MANIFEST_NAME} does not match its SHA256SUMS hash (tampered)")
        version, sizes = _manifest_plan(manifest_bytes, base, sums)

        if dest is None:
            if not isinstance(version, str) or safe_relpath(version) is None:
                raise DownloadError(f"refused: version {version!r} cannot name a folder")
            dest = Path.cwd() / f"ncpi-{version}"
        dest = Path(dest)
        if dest.exists():
            raise DownloadError(f"{dest} already exists; choose another --dest")
        dest.parent.mkdir(parents=True, exist_ok=True)
        sweep_stale_downloads(dest.parent)
        _check_room(sizes, [n for n in sums if n != MANIFEST_NAME], dest.parent, max_file_bytes)

        tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.download-{os.getpid()}-", dir=dest.parent))
        try:
            (tmp / MANIFEST_NAME).write_bytes(manifest_bytes)
            (tmp / SUMS_NAME).write_bytes(sums_text)
            for name in sorted(sums):
                if name == MANIFEST_NAME:
                    continue
                target = tmp / name
                target.parent.mkdir(parents=True, exist_ok=True)
                limit = sizes.get(name, max_file_bytes)
                _, digest, size = fetch(urljoin(base, quote(name)), target, limit)
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
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            what = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
            raise DownloadError(f"cannot write the release beside {dest}: {what}; nothing was placed") from None
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    finally:
        if own_session:
            session.close()
    return verify_release(dest)
