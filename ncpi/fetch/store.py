"""Where fetched bytes go: content-addressed, append-only, written atomically.

Layout (the build reads it; see docs/fetching.md):

    raw/fetched/<host>/<sha256[:16]>.<html|txt>        the bytes exactly as served
    raw/fetched/<host>/<sha256[:16]>.<ext>.meta.json   sidecar: url, final_url, fetched_at, ...
    raw/fetched/.state.json                            conditional-GET state and discoveries
    raw/fetched/.lock                                  held while a fetch runs

A changed page gets a new file; the old one stays. Nothing is ever overwritten except
the state file, which is a cache: if it is lost it is rebuilt from the sidecars.
Every write goes to a dot-file in the same directory, is fsynced, then renamed into
place, so a crash leaves no half-written document for the build to read.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ncpi.faults import crash_point

FETCHED = "fetched"
STATE_FILE = ".state.json"
LOCK_FILE = ".lock"
SIDECAR_SUFFIX = ".meta.json"
STATE_VERSION = 1
STALE_PART_SECONDS = 3600


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def host_dirname(host: str) -> str:
    """A host (with optional port) as a safe directory name: `127.0.0.1:8080` → `127.0.0.1_8080`."""
    name = re.sub(r"[^a-z0-9._-]", "_", host.lower())
    return name.strip(".") or "unknown-host"


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a fsynced dot-file in the same directory and os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".part-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_json(path: Path, obj) -> None:
    atomic_write_bytes(path, (json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"))


def sweep_partials(fetched_dir: Path, older_than: float = STALE_PART_SECONDS) -> int:
    """Remove `.part-*` files a killed fetch left behind (the build ignores them anyway)."""
    removed = 0
    if not fetched_dir.is_dir():
        return 0
    cutoff = time.time() - older_than
    for part in fetched_dir.rglob(".part-*"):
        with contextlib.suppress(OSError):
            if part.stat().st_mtime < cutoff:
                part.unlink()
                removed += 1
    return removed


@dataclass
class Stored:
    path: Path            # absolute path of the document
    relpath: str          # relative to the raw root, POSIX
    sha256: str
    created: bool         # False: identical bytes were already stored


def store_document(
    raw_dir: Path,
    *,
    host: str,
    body_path: Path,
    sha256: str,
    ext: str,
    sidecar: dict,
) -> Stored:
    """Move a downloaded body into its content-addressed place with its sidecar.

    The sidecar is written first: a document without its sidecar would lose its URL,
    while a sidecar without its document is ignored by the build. If the same bytes
    are already stored, the download is discarded and nothing is written.
    """
    host_dir = raw_dir / FETCHED / host_dirname(host)
    host_dir.mkdir(parents=True, exist_ok=True)
    final = host_dir / f"{sha256[:16]}.{ext}"
    rel = final.relative_to(raw_dir).as_posix()
    if final.exists():
        existing = hashlib.sha256(final.read_bytes()).hexdigest()
        with contextlib.suppress(FileNotFoundError):
            body_path.unlink()
        if existing != sha256:
            raise RuntimeError(f"{rel} exists with different bytes (a sha256 prefix collision?); not overwriting it")
        return Stored(final, rel, sha256, created=False)
    meta_path = final.with_name(final.name + SIDECAR_SUFFIX)
    try:
        atomic_write_json(meta_path, sidecar)
        crash_point("fetch")   # fault tests: die with the sidecar stored but not its document
        os.replace(body_path, final)
        _fsync_dir(host_dir)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            body_path.unlink()
        if not final.exists():
            with contextlib.suppress(FileNotFoundError):
                meta_path.unlink()
        raise
    return Stored(final, rel, sha256, created=True)


@dataclass
class UrlState:
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    path: str | None = None          # the newest stored document for this URL
    checked_at: str | None = None
    outcome: str | None = None       # new / unchanged / failed
    message: str | None = None
    kind: str | None = None          # the outcome's kind (not_found, timeout, ...)
    failures: int | None = 0         # consecutive failed fetches


@dataclass
class Discovered:
    title: str
    via: str                          # the feed or listing it came from
    first_seen: str
    published: str | None = None


@dataclass
class FetchState:
    """Conditional-GET validators per URL and the releases discovered so far."""

    urls: dict[str, UrlState] = field(default_factory=dict)
    discovered: dict[str, Discovered] = field(default_factory=dict)

    @classmethod
    def load(cls, raw_dir: Path) -> "FetchState":
        path = raw_dir / FETCHED / STATE_FILE
        state = cls()
        data = None
        if path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = None      # a damaged cache is rebuilt from the sidecars below
        if isinstance(data, dict) and data.get("version") == STATE_VERSION:
            for url, v in (data.get("urls") or {}).items():
                state.urls[url] = UrlState(**{k: v.get(k) for k in UrlState.__dataclass_fields__})
            for url, v in (data.get("discovered") or {}).items():
                state.discovered[url] = Discovered(**{k: v.get(k) for k in Discovered.__dataclass_fields__})
        state._reconcile(raw_dir)
        return state

    def _reconcile(self, raw_dir: Path) -> None:
        """Trust the files over the cache: re-read sidecars, forget validators whose file is gone."""
        newest: dict[str, tuple[str, dict, str]] = {}
        fetched = raw_dir / FETCHED
        if fetched.is_dir():
            for meta in fetched.rglob("*" + SIDECAR_SUFFIX):
                doc = meta.with_name(meta.name[: -len(SIDECAR_SUFFIX)])
                if not doc.exists():
                    continue
                try:
                    side = json.loads(meta.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue
                url = side.get("url")
                if not url:
                    continue
                key = side.get("fetched_at") or ""
                if url not in newest or key > newest[url][0]:
                    newest[url] = (key, side, doc.relative_to(raw_dir).as_posix())
        for url, st in list(self.urls.items()):
            if st.path and not (raw_dir / st.path).exists():
                st.etag = st.last_modified = st.sha256 = st.path = None
        for url, (_, side, rel) in newest.items():
            st = self.urls.setdefault(url, UrlState())
            if st.path is None:
                st.path, st.sha256 = rel, side.get("sha256")
                st.etag, st.last_modified = side.get("etag"), side.get("last_modified")

    def save(self, raw_dir: Path) -> None:
        data = {
            "version": STATE_VERSION,
            "note": "Cache of ncpi fetch: safe to delete; rebuilt from the *.meta.json sidecars.",
            "urls": {u: vars(s) for u, s in sorted(self.urls.items())},
            "discovered": {u: vars(d) for u, d in sorted(self.discovered.items())},
        }
        atomic_write_json(raw_dir / FETCHED / STATE_FILE, data)
