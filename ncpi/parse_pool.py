"""Parsing documents, and the process pool that does it: what a parse worker imports.

Kept apart from ncpi.build on purpose. A pool worker imports this module (the functions
it runs are pickled by reference to it), and so does the forkserver that forks them.
ncpi.build pulls in pyarrow, pandas and pandera (which imports dask.dataframe); a worker
needs none of them, and every worker carried them (~100 MiB each) while they lived here.

Workers hand back parse results already encoded as parse-cache entries (JSON text, see
ncpi/cache.py): a few KB a document instead of tens of KB of dicts, so the process that
assembles the tables holds the whole corpus compactly, the cache stores the text as is,
and the encoding runs on every core instead of in the flow's process.
"""
from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ncpi.cache import encode_result, entry_key, parser_fingerprint
from ncpi.childguard import alive
from ncpi.ids import sha256_hex
from ncpi.parse.document import ParsedDocument, parse_normalised
from ncpi.parse.forcenames import ForceMatcher, load_reference
from ncpi.rawio import read_document
from ncpi.text.decode import NotText, decode
from ncpi.text.normalise import normalise

MIN_TEXT_CHARS = 40


def parse_one(raw_dir: Path, rel: str, matcher: ForceMatcher) -> tuple[ParsedDocument | None, dict | None]:
    """One document to (parsed, None) or (None, quarantine row). Never raises."""
    return parse_read(read_document(raw_dir, rel), rel, matcher)


def parse_read(doc, rel: str, matcher: ForceMatcher, *,
               digest: str | None = None) -> tuple[ParsedDocument | None, dict | None]:
    """A document already read (rawio.read_document) to (parsed, None) or (None, quarantine row).
    digest: the sha256 of doc.data when the caller has it already."""
    if doc.error:
        rule, reason = doc.error
        return None, {"path": rel, "sha256": None, "stage": "read", "rule": rule, "reason": reason}
    digest = digest or sha256_hex(doc.data)
    try:
        text, flags = decode(doc.data)
    except NotText as exc:
        return None, {"path": rel, "sha256": digest, "stage": "read", "rule": exc.rule, "reason": f"{rel}: {exc.reason}"}
    if len(text.strip()) < MIN_TEXT_CHARS:
        return None, {"path": rel, "sha256": digest, "stage": "read", "rule": "empty",
                      "reason": f"{rel} holds {len(text.strip())} characters of text, too little to be a release"}
    try:
        is_html = rel.lower().endswith((".html", ".htm")) or None
        norm = normalise(text, is_html=is_html)
        if len(norm.text.strip()) < MIN_TEXT_CHARS:
            return None, {"path": rel, "sha256": digest, "stage": "parse", "rule": "no_article_text",
                          "reason": f"{rel}: nothing is left once markup and site furniture are removed"}
        return parse_normalised(norm, path=rel, raw=doc.data, meta=doc.meta, matcher=matcher, decode_flags=flags + doc.flags), None
    except Exception as exc:  # a parser bug must not lose the document: quarantine it with the reason
        return None, {"path": rel, "sha256": digest, "stage": "parse", "rule": "parser_error",
                      "reason": f"{rel}: the parser failed ({type(exc).__name__}: {str(exc)[:160]}); please report it"}


_MATCHERS: dict[str, ForceMatcher] = {}


def _matcher(forces_csv: str) -> ForceMatcher:
    # One matcher per process and reference: building it costs more than a small batch.
    matcher = _MATCHERS.get(forces_csv)
    if matcher is None:
        matcher = _MATCHERS[forces_csv] = ForceMatcher(load_reference(Path(forces_csv)))
    return matcher


def parse_batch(raw_dir: str, rels: list[str], forces_csv: str) -> list[tuple[ParsedDocument | None, dict | None]]:
    matcher = _matcher(forces_csv)
    return [parse_one(Path(raw_dir), rel, matcher) for rel in rels]


def scan_batch(raw_dir: str, rels: list[str], forces_csv: str,
               cached: dict[str, tuple[str, ...]] | None = None) -> list[tuple[str | None, str | None]]:
    """Each document read ONCE, here: hashed into its cache key, and parsed unless that key
    is among the keys the cache holds for its path (cached: path -> keys, from
    ParseCache.keys_by_path). (key, entry) per document, the entry encoded as a cache entry
    (decode with cache.decode_result), None when the cache has it.

    The key hashes the very bytes this worker read and parsed, so a file that changes while
    a build runs can never store one version's rows under the other version's key. key is
    None when the file could not be read (its entry is then the quarantine row)."""
    matcher = _matcher(forces_csv)
    fingerprint = _fingerprint(forces_csv)
    cached = cached or {}
    out: list[tuple[str | None, str | None]] = []
    for rel in rels:
        doc = read_document(Path(raw_dir), rel)
        digest = key = None
        if not doc.error:
            digest = sha256_hex(doc.data)
            key = entry_key(fingerprint, rel, digest, doc.meta)
            if key in cached.get(rel, ()):
                out.append((key, None))
                continue
        out.append((key, encode_result(parse_read(doc, rel, matcher, digest=digest))))
    return out


def parse_batch_encoded(raw_dir: str, rels: list[str], forces_csv: str) -> list[tuple[str | None, str]]:
    """scan_batch with nothing cached: every document parsed, (key, entry)."""
    return scan_batch(raw_dir, rels, forces_csv)


_FINGERPRINTS: dict[str, str] = {}


def _fingerprint(forces_csv: str) -> str:
    if forces_csv not in _FINGERPRINTS:
        _FINGERPRINTS[forces_csv] = parser_fingerprint(Path(forces_csv))
    return _FINGERPRINTS[forces_csv]


def batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


# --- the process pool -------------------------------------------------------------------
_POOL: ProcessPoolExecutor | None = None
_POOL_WORKERS = 0


def default_workers() -> int:
    return int(os.environ.get("NCPI_WORKERS") or os.cpu_count() or 1)


def shared_pool(workers: int) -> ProcessPoolExecutor:
    """One pool per process, kept for its lifetime: starting workers costs ~1 s.

    forkserver, not fork: the parent may run Prefect's threads, and forking a threaded
    process can copy a held lock into the child. The forkserver preloads this module
    (the parser and its compiled patterns) and nothing heavier. Workers are not recycled
    (max_tasks_per_child): on Python 3.11 the pool can hang when a worker retires while
    batches are queued."""
    global _POOL, _POOL_WORKERS
    if _POOL is None or _POOL_WORKERS != workers:
        shutdown_pool()
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["ncpi.parse_pool"])
        _POOL, _POOL_WORKERS = ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                                                   initializer=_die_with, initargs=(os.getpid(),)), workers
    return _POOL


def _die_with(owner: int) -> None:
    """Pool workers end when the process that owns the pool is gone (SIGKILL included).
    Without this, a killed run's workers and forkserver live on, holding its stdout open."""
    def watch():
        while True:
            time.sleep(1.0)
            if not alive(owner):
                os._exit(1)
    threading.Thread(target=watch, daemon=True, name="ncpi-owner-watch").start()


@atexit.register
def shutdown_pool() -> None:
    global _POOL
    if _POOL is not None:
        _POOL.shutdown(wait=True, cancel_futures=True)
        _POOL = None


def _cached_for(cached: dict[str, tuple[str, ...]] | None, rels: list[str]) -> dict[str, tuple[str, ...]]:
    """The part of the cache index a batch needs: what a worker is sent stays linear in the batch."""
    return {rel: cached[rel] for rel in rels if rel in cached} if cached else {}


def parse_batch_pooled(raw_dir: str, rels: list[str], forces_csv: str, *, workers: int,
                       cached: dict[str, tuple[str, ...]] | None = None) -> list[tuple[str | None, str | None]]:
    """scan_batch on the shared process pool (in this process when workers is 1)."""
    cached = _cached_for(cached, rels)
    if workers <= 1:
        return scan_batch(raw_dir, rels, forces_csv, cached)
    return shared_pool(workers).submit(scan_batch, raw_dir, rels, forces_csv, cached).result()


def parse_many(raw_dir: str, rels: list[str], forces_csv: str, *, workers: int, batch_size: int,
               cached: dict[str, tuple[str, ...]] | None = None) -> list[tuple[str | None, str | None]]:
    """scan_batch over every document, (cache key, encoded entry or None when cached), in
    input order. The pool only pays off past one batch."""
    if workers <= 1 or len(rels) <= batch_size:
        return scan_batch(raw_dir, rels, forces_csv, _cached_for(cached, rels))
    pool = shared_pool(workers)
    futures = [pool.submit(scan_batch, raw_dir, chunk, forces_csv, _cached_for(cached, chunk))
               for chunk in batches(rels, batch_size)]
    return [r for f in futures for r in f.result()]
