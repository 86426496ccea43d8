"""Build every table from a folder of raw documents: read → parse → assemble → validate → write.

Plain functions; flows/build.py runs the same steps as Prefect tasks. The build reads
only the raw folder (and the forces reference), so the dataset can always be rebuilt
offline, and the same raw input always gives byte-identical Parquet files.

Speed (see README "Performance and scale"): documents are parsed in batches on a
process pool, results kept in input order so the output never depends on scheduling;
with a cache folder, parse results are reused by content (ncpi/cache.py) and a build
whose inputs and outputs are unchanged since the last one is not redone at all.
"""
from __future__ import annotations

import atexit
import hashlib
import json
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from ncpi.ids import sha256_hex
from ncpi.parse.document import ParsedDocument, parse_normalised
from ncpi.parse.forcenames import ForceMatcher, load_reference
from ncpi.paths import PROJECT_ROOT, REFERENCE_FORCES
from ncpi.rawio import list_documents, read_document
from ncpi.tables import TABLE_ORDER, assemble, write_tables
from ncpi.text.decode import NotText, decode
from ncpi.text.normalise import normalise
from ncpi.validate import validate_tables

MIN_TEXT_CHARS = 40
BATCH_SIZE = 500
STAMP = "build-stamp.json"


@dataclass
class BuildReport:
    documents: int = 0
    parsed: int = 0
    quarantined: int = 0
    counts: dict = field(default_factory=dict)
    out_dir: Path | None = None
    reparsed: int = 0          # documents parsed this time (the rest came from the cache)
    up_to_date: bool = False   # nothing changed: the tables were left as they were

    def accounting_line(self) -> str:
        return f"documents in: {self.documents} = parsed {self.parsed} + quarantined {self.quarantined}"


def forces_reference(raw_dir: Path) -> Path:
    """raw/reference/forces.csv of the raw folder, else the project's curated copy."""
    local = Path(raw_dir) / "reference" / "forces.csv"
    return local if local.exists() else REFERENCE_FORCES


def parse_one(raw_dir: Path, rel: str, matcher: ForceMatcher) -> tuple[ParsedDocument | None, dict | None]:
    """One document to (parsed, None) or (None, quarantine row). Never raises."""
    doc = read_document(raw_dir, rel)
    if doc.error:
        rule, reason = doc.error
        return None, {"path": rel, "sha256": None, "stage": "read", "rule": rule, "reason": reason}
    digest = sha256_hex(doc.data)
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
        return parse_normalised(norm, path=rel, raw=doc.data, meta=doc.meta, matcher=matcher, decode_flags=flags), None
    except Exception as exc:  # a parser bug must not lose the document: quarantine it with the reason
        return None, {"path": rel, "sha256": digest, "stage": "parse", "rule": "parser_error",
                      "reason": f"{rel}: the parser failed ({type(exc).__name__}: {str(exc)[:160]}); please report it"}


_MATCHERS: dict[str, ForceMatcher] = {}


def parse_batch(raw_dir: str, rels: list[str], forces_csv: str) -> list[tuple[ParsedDocument | None, dict | None]]:
    # One matcher per process and reference: building it costs more than a small batch.
    matcher = _MATCHERS.get(forces_csv)
    if matcher is None:
        matcher = _MATCHERS[forces_csv] = ForceMatcher(load_reference(Path(forces_csv)))
    return [parse_one(Path(raw_dir), rel, matcher) for rel in rels]


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
    process can copy a held lock into the child."""
    global _POOL, _POOL_WORKERS
    if _POOL is None or _POOL_WORKERS != workers:
        shutdown_pool()
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["ncpi.build"])
        _POOL, _POOL_WORKERS = ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                                                   initializer=_die_with, initargs=(os.getpid(),)), workers
    return _POOL


def _die_with(owner: int) -> None:
    """Pool workers end when the process that owns the pool is gone (SIGKILL included).
    Without this, a killed run's workers and forkserver live on, holding its stdout open."""
    def watch():
        while True:
            time.sleep(1.0)
            if not _alive(owner):
                os._exit(1)
    threading.Thread(target=watch, daemon=True, name="ncpi-owner-watch").start()


def _alive(pid: int) -> bool:
    """True while pid runs; a zombie (killed, not yet reaped) counts as gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(") ", 1)[1][:1] != "Z"
    except FileNotFoundError:
        return False
    except (OSError, IndexError):   # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
            return True
        except ProcessLookupError:
            return False
        except PermissionError:
            return True


@atexit.register
def shutdown_pool() -> None:
    global _POOL
    if _POOL is not None:
        _POOL.shutdown(wait=True, cancel_futures=True)
        _POOL = None


def parse_batch_pooled(raw_dir: str, rels: list[str], forces_csv: str, workers: int) -> list:
    """parse_batch on the shared process pool (in this process when workers is 1)."""
    if workers <= 1:
        return parse_batch(raw_dir, rels, forces_csv)
    return shared_pool(workers).submit(parse_batch, raw_dir, rels, forces_csv).result()


def parse_many(raw_dir: str, rels: list[str], forces_csv: str, *, workers: int, batch_size: int = BATCH_SIZE) -> list:
    """Every document, in input order. The pool only pays off past one batch."""
    if workers <= 1 or len(rels) <= batch_size:
        return parse_batch(raw_dir, rels, forces_csv)
    pool = shared_pool(workers)
    futures = [pool.submit(parse_batch, raw_dir, chunk, forces_csv) for chunk in batches(rels, batch_size)]
    return [r for f in futures for r in f.result()]


# --- plan: what must be parsed, and is the build already done? ------------------------------
BUILD_SOURCES = ["ncpi/tables.py", "ncpi/validate.py", "ncpi/build.py", "schemas"]
BUILD_LIBRARIES = ["pyarrow", "pandera", "pandas"]


@lru_cache(maxsize=1)
def _build_fingerprint() -> str:
    h = hashlib.sha256()
    for name in BUILD_SOURCES:
        p = PROJECT_ROOT / name
        for f in sorted(p.rglob("*.py")) if p.is_dir() else [p]:
            h.update(f.relative_to(PROJECT_ROOT).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    for lib in BUILD_LIBRARIES:
        h.update(f"{lib}={metadata.version(lib)}\n".encode())
    return h.hexdigest()


@dataclass
class Plan:
    raw_dir: str
    forces_csv: str
    rels: list[str]
    results: list            # cached result per document (still encoded), None where it must be parsed
    keys: list[str | None]   # cache key per document (None: no cache, or unreadable)
    digest: str | None       # hash of every input of the build; None without a cache
    cache_dir: str | None

    @property
    def misses(self) -> list[str]:
        return [rel for rel, r in zip(self.rels, self.results) if r is None]


def plan(raw_dir: Path, cache_dir: Path | None = None) -> Plan:
    """List the documents and look each up in the parse cache (read and hashed here)."""
    rels = list_documents(Path(raw_dir))
    forces_csv = str(forces_reference(Path(raw_dir)))
    if cache_dir is None:
        return Plan(str(raw_dir), forces_csv, rels, [None] * len(rels), [None] * len(rels), None, None)
    from ncpi.cache import ParseCache
    cache = ParseCache(Path(cache_dir), Path(forces_csv))
    results, keys = [], []
    h = hashlib.sha256(f"{cache.fingerprint}\n{_build_fingerprint()}\n".encode())
    for rel in rels:
        doc = read_document(Path(raw_dir), rel)
        if doc.error:   # cheap to redo, and the error may be transient: never cached
            keys.append(None)
            results.append(None)
            h.update(f"error\0{rel}\0{doc.error}\n".encode())
            continue
        key = cache.key(rel, sha256_hex(doc.data), doc.meta)
        keys.append(key)
        results.append(cache.lookup(key))
        h.update(f"{key}\n".encode())
    return Plan(str(raw_dir), forces_csv, rels, results, keys, h.hexdigest(), str(cache_dir))


def _file_sha(path: Path) -> str | None:
    try:
        return sha256_hex(path.read_bytes())
    except OSError:
        return None


def _read_stamp(cache_dir: Path) -> dict:
    try:
        return json.loads((Path(cache_dir) / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def up_to_date(p: Plan, out_dir: Path) -> BuildReport | None:
    """The report of the last build when neither its inputs nor its output files changed."""
    if p.digest is None or any(r is None and k is not None for r, k in zip(p.results, p.keys)):
        return None
    entry = _read_stamp(Path(p.cache_dir)).get(str(Path(out_dir).resolve()))
    if not entry or entry.get("digest") != p.digest:
        return None
    if any(_file_sha(Path(out_dir) / name) != sha for name, sha in entry["files"].items()):
        return None
    report = BuildReport(**dict(entry["report"], out_dir=Path(out_dir)))
    report.counts = {name: report.counts[name] for name in TABLE_ORDER if name in report.counts}
    report.reparsed, report.up_to_date = 0, True
    return report


def _write_stamp(p: Plan, out_dir: Path, report: BuildReport) -> None:
    stamp = _read_stamp(Path(p.cache_dir))
    files = {f"{name}.parquet": _file_sha(Path(out_dir) / f"{name}.parquet") for name in TABLE_ORDER}
    fields = {k: v for k, v in asdict(report).items() if k not in ("out_dir", "reparsed", "up_to_date")}
    stamp[str(Path(out_dir).resolve())] = {"digest": p.digest, "files": files, "report": fields}
    path = Path(p.cache_dir) / STAMP
    tmp = path.with_name(f".{STAMP}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(stamp, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


# --- finish: assemble, validate, write -------------------------------------------------------
def finish(results, raw_dir: Path, out_dir: Path) -> BuildReport:
    """Assemble parsed documents into tables, validate them, write Parquet."""
    forces = load_reference(forces_reference(raw_dir))
    tables, quarantine = assemble(results, forces)
    tables, more = validate_tables(tables)
    quarantine += more
    tables["quarantine"] = quarantine
    write_tables(tables, Path(out_dir))
    report = BuildReport(out_dir=Path(out_dir))
    report.documents = len(results)
    # A document is out when it stopped at read/parse, or its sources row failed validation.
    report.quarantined = len({q["path"] for q in quarantine
                              if q["stage"] != "validate" or q["rule"].startswith("sources.")})
    report.parsed = report.documents - report.quarantined
    report.counts = {name: len(tables[name]) for name in TABLE_ORDER}
    return report


def _decoded(value: str, p: Plan, rel: str):
    from ncpi.cache import decode_result
    try:
        return decode_result(value)
    except (ValueError, TypeError, KeyError):   # a damaged cache entry: parse again, never guess
        return parse_batch(p.raw_dir, [rel], p.forces_csv)[0]


def finish_plan(p: Plan, parsed: list, out_dir: Path) -> BuildReport:
    """Fill the plan's misses with freshly parsed results (in order), cache them, finish."""
    fresh = iter(parsed)
    results = [_decoded(r, p, rel) if r is not None else next(fresh) for r, rel in zip(p.results, p.rels)]
    report = finish(results, Path(p.raw_dir), Path(out_dir))
    report.reparsed = len(parsed)
    if p.cache_dir is not None:
        from ncpi.cache import ParseCache
        cache = ParseCache(Path(p.cache_dir), Path(p.forces_csv))
        new = [(k, r) for k, r, old in zip(p.keys, results, p.results) if k is not None and old is None]
        cache.put_many(new, keep={k for k in p.keys if k})
        _write_stamp(p, Path(out_dir), report)
    return report


def tables_match_latest_release(warehouse_dir: Path) -> bool:
    """Whether every table in warehouse/tables has the bytes of the newest release's copy.

    Then cutting a release can only answer "nothing changed", and comparing the tables
    row by row (seconds at 10,000 releases) is skipped."""
    wh = Path(warehouse_dir)
    try:
        version = (wh / "latest").read_text(encoding="utf-8").strip()
        sums = (wh / "releases" / version / "SHA256SUMS").read_text(encoding="utf-8")
    except OSError:
        return False
    released = {}
    for line in sums.splitlines():
        digest, _, name = line.partition("  ")
        released[name.lstrip("*")] = digest
    return all(released.get(f"{name}.parquet") == _file_sha(wh / "tables" / f"{name}.parquet") is not None
               for name in TABLE_ORDER)


def build(raw_dir: Path, out_dir: Path, *, batch_size: int = BATCH_SIZE, workers: int | None = None,
          cache_dir: Path | None = None) -> BuildReport:
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder {raw_dir} does not exist")
    p = plan(raw_dir, cache_dir)
    done = up_to_date(p, out_dir)
    if done is not None:
        return done
    parsed = parse_many(str(raw_dir), p.misses, p.forces_csv,
                        workers=default_workers() if workers is None else workers, batch_size=batch_size)
    return finish_plan(p, parsed, out_dir)
