"""Build every table from a folder of raw documents: read → parse → assemble → validate → write.

Plain functions; flows/build.py runs the same steps as Prefect tasks. The build reads
only the raw folder (and the forces reference), so the dataset can always be rebuilt
offline, and the same raw input always gives byte-identical Parquet files.

Speed (see docs/performance.md): documents are parsed in batches on a
process pool, results kept in input order so the output never depends on scheduling;
with a cache folder, parse results are reused by content (ncpi/cache.py) and a build
whose inputs and outputs are unchanged since the last one is not redone at all.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Callable

from ncpi.catalogue import load_reports, reports_reference
from ncpi.ids import sha256_hex
from ncpi.parse.forcenames import load_reference
# Parsing and its pool live in ncpi.parse_pool (what a worker imports); re-exported here.
from ncpi.parse_pool import (MIN_TEXT_CHARS, batches, default_workers, parse_batch,  # noqa: F401
                             parse_batch_encoded, parse_batch_pooled, parse_many, parse_one,
                             scan_batch, shared_pool, shutdown_pool)
from ncpi.paths import PROJECT_ROOT, REFERENCE_FORCES
from ncpi.rawio import list_documents
from ncpi.tables import TABLE_ORDER, assemble, write_tables
from ncpi.validate import validate_tables

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


# --- plan: what must be parsed, and is the build already done? ------------------------------
BUILD_SOURCES = ["ncpi/tables.py", "ncpi/validate.py", "ncpi/build.py", "ncpi/catalogue.py", "schemas"]
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
    """What a build must read: the documents, and what the parse cache holds for each path.
    Planning reads no document: each is read once, by the worker that hashes and parses it."""
    raw_dir: str
    forces_csv: str
    rels: list[str]
    cached: dict[str, tuple[str, ...]]   # path -> keys the parse cache holds for it (hashes of bytes once parsed)
    inputs: str | None                   # hash of the parser, the build code and the catalogue; None without a cache
    cache: object | None = field(default=None, repr=False, compare=False)   # the ParseCache, entries loaded once

    @property
    def cache_dir(self) -> str | None:
        return None if self.cache is None else str(self.cache.root.parent)


def plan(raw_dir: Path, cache_dir: Path | None = None) -> Plan:
    """List the documents and what the parse cache holds for each path (no document is read here)."""
    rels = list_documents(Path(raw_dir))
    forces_csv = str(forces_reference(Path(raw_dir)))
    if cache_dir is None:
        return Plan(str(raw_dir), forces_csv, rels, {}, None)
    from ncpi.cache import ParseCache
    cache = ParseCache(Path(cache_dir), Path(forces_csv))
    # The catalogue is an input of the build too: a changed ncpi_reports.csv rebuilds.
    catalogue_sha = _file_sha(reports_reference(Path(raw_dir)))
    inputs = hashlib.sha256(f"{cache.fingerprint}\n{_build_fingerprint()}\n{catalogue_sha}\n".encode()).hexdigest()
    return Plan(str(raw_dir), forces_csv, rels, cache.keys_by_path(), inputs, cache)


def scan_digest(p: Plan, scanned: list[tuple[str | None, str | None]]) -> str | None:
    """Hash of every input of the build: the plan's inputs and each document's cache key
    (an unreadable document by its quarantine row: the error may be transient)."""
    if p.inputs is None:
        return None
    h = hashlib.sha256(p.inputs.encode())
    for rel, (key, entry) in zip(p.rels, scanned):
        h.update(f"{key}\n".encode() if key is not None else f"error\0{rel}\0{entry}\n".encode())
    return h.hexdigest()


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


def up_to_date(p: Plan, scanned: list[tuple[str | None, str | None]], out_dir: Path) -> BuildReport | None:
    """The report of the last build when neither its inputs nor its output files changed."""
    if p.inputs is None or any(k is not None and e is not None for k, e in scanned):
        return None
    entry = _read_stamp(Path(p.cache_dir)).get(str(Path(out_dir).resolve()))
    if not entry or entry.get("digest") != scan_digest(p, scanned):
        return None
    if any(_file_sha(Path(out_dir) / name) != sha for name, sha in entry["files"].items()):
        return None
    report = BuildReport(**dict(entry["report"], out_dir=Path(out_dir)))
    report.counts = {name: report.counts[name] for name in TABLE_ORDER if name in report.counts}
    report.reparsed, report.up_to_date = 0, True
    return report


def _write_stamp(p: Plan, digest: str, out_dir: Path, report: BuildReport) -> None:
    stamp = _read_stamp(Path(p.cache_dir))
    files = {f"{name}.parquet": _file_sha(Path(out_dir) / f"{name}.parquet") for name in TABLE_ORDER}
    fields = {k: v for k, v in asdict(report).items() if k not in ("out_dir", "reparsed", "up_to_date")}
    stamp[str(Path(out_dir).resolve())] = {"digest": digest, "files": files, "report": fields}
    path = Path(p.cache_dir) / STAMP
    tmp = path.with_name(f".{STAMP}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(stamp, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


# --- finish: assemble, validate, write -------------------------------------------------------
def finish(results, raw_dir: Path, out_dir: Path) -> BuildReport:
    """Assemble parsed documents into tables, validate them, write Parquet.

    results may be any iterable (a generator decoding cache entries one at a time), so
    only the rows are ever held, never every ParsedDocument as well."""
    counted = [0]

    def counting():
        for r in results:
            counted[0] += 1
            yield r

    forces = load_reference(forces_reference(raw_dir))
    reports = load_reports(raw_dir, force_ids={f.force_id for f in forces})   # CatalogueError names file and row
    tables, quarantine = assemble(counting(), forces, reports)
    tables, more = validate_tables(tables)
    quarantine += more
    tables["quarantine"] = quarantine
    counts = {name: len(tables.get(name, [])) for name in TABLE_ORDER}
    write_tables(tables, Path(out_dir))
    report = BuildReport(out_dir=Path(out_dir))
    report.documents = counted[0]
    # A document is out when it stopped at read/parse, or its sources row failed validation.
    report.quarantined = len({q["path"] for q in quarantine
                              if q["stage"] != "validate" or q["rule"].startswith("sources.")})
    report.parsed = report.documents - report.quarantined
    report.counts = counts
    return report


def _decoded(value: str | None, p: Plan, rel: str):
    from ncpi.cache import decode_result
    try:
        return decode_result(value)
    except (ValueError, TypeError, KeyError):   # a damaged cache entry: parse again, never guess
        return parse_batch(p.raw_dir, [rel], p.forces_csv)[0]


def finish_plan(p: Plan, scanned: list[tuple[str | None, str | None]], out_dir: Path) -> BuildReport:
    """Cache what was parsed, then assemble, validate and write. scanned: (cache key,
    encoded entry or None where the cache has it) per document in the plan's order, as
    the parse workers returned them; the list is emptied, and entries are decoded one at
    a time as the tables are assembled.

    Each fresh entry is stored under the key its worker computed from the bytes it read
    and parsed (the only read of that document in the build), so the cache can never
    hold one version's rows under another version's key."""
    digest = scan_digest(p, scanned)
    items = list(scanned)
    # Consumed: each entry is dropped once decoded, so the encoded corpus and its rows are
    # not both held at 10,000 releases (~140 MiB). The caller's list is emptied too.
    scanned.clear()
    reparsed = sum(1 for _, e in items if e is not None)
    cache = p.cache
    if cache is not None:
        cache.put_many_encoded([(k, rel, e) for rel, (k, e) in zip(p.rels, items) if k is not None and e is not None],
                               keep={k for k, _ in items if k})
        cache.hold_only([k for k, e in items if k is not None and e is None])   # the hits, still to decode

    def decoded():
        for i, rel in enumerate(p.rels):
            (key, entry), items[i] = items[i], None
            yield _decoded(entry if entry is not None else cache.take(key), p, rel)

    report = finish(decoded(), Path(p.raw_dir), Path(out_dir))
    report.reparsed = reparsed
    if cache is not None:
        _write_stamp(p, digest, Path(out_dir), report)
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


@dataclass(frozen=True)
class Steps:
    """How each step of the build sequence runs: plain calls here; flows/build.py passes
    Prefect tasks. parse_batches(plan) reads every document once (in batches, on the
    workers) and returns (cache key, entry or None where cached) in the plan's order."""
    plan: Callable[[Path, Path | None], Plan]
    parse_batches: Callable[[Plan], list]
    finish: Callable[[Plan, list, Path], BuildReport]


def build_sequence(raw_dir: Path, out_dir: Path, cache_dir: Path | None, steps: Steps) -> BuildReport:
    """THE build sequence, written once: plan (list the documents, load the cache index);
    read, hash and parse what the cache lacks, in batches; stop if nothing changed;
    assemble, validate and write."""
    p = steps.plan(raw_dir, cache_dir)
    scanned = steps.parse_batches(p)
    done = up_to_date(p, scanned, Path(out_dir))
    if done is not None:
        return done
    return steps.finish(p, scanned, out_dir)


def build(raw_dir: Path, out_dir: Path, *, batch_size: int = BATCH_SIZE, workers: int | None = None,
          cache_dir: Path | None = None) -> BuildReport:
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder {raw_dir} does not exist")
    workers = default_workers() if workers is None else workers

    def parse_batches(p: Plan) -> list:
        return parse_many(p.raw_dir, p.rels, p.forces_csv, workers=workers, batch_size=batch_size, cached=p.cached)

    return build_sequence(raw_dir, out_dir, cache_dir, Steps(plan, parse_batches, finish_plan))
