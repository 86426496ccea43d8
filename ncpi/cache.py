"""Parse results cached by content, so a rebuild re-parses only what changed.

An entry's key hashes the parser fingerprint (the source of every module that shapes a
document's rows, the forces reference, PARSER_VERSION and the versions of the text
libraries), the document's path, its raw sha256 and its sidecar metadata: anything
that could change parse_one's answer. Editing the parser therefore misses the cache on
its own; nobody has to remember to clear it.

Entries are JSON lines with tagged dates and times (no pickle: a cache file can never
run code), each beside the path it was parsed from, in append-only shards under <cache>/parse/<fingerprint>/, one shard per
build that parsed something. Shards of older fingerprints are deleted when a new one
is written.
"""
from __future__ import annotations

import ast
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import fields
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import ncpi
from ncpi.parse.document import ParsedDocument

PACKAGE_ROOT = Path(ncpi.__file__).resolve().parent
# What decides a document's rows: parse_one's module and every ncpi module it imports,
# found by walking the imports (not a hand-kept list), with the data files beside them.
FINGERPRINT_ROOTS = ["ncpi.parse_pool"]
FINGERPRINT_LIBRARIES = ["ftfy", "selectolax", "phonenumbers", "python-dateutil", "lxml"]
DATA_SUFFIXES = (".csv", ".toml", ".json", ".txt")
MAX_SHARDS = 32            # compact into one shard past this many


def _module_file(root: Path, module: str) -> Path | None:
    """The file of an ncpi module (package -> its __init__.py); None outside ncpi."""
    parts = module.split(".")
    if parts[0] != "ncpi":
        return None
    base = root.joinpath(*parts[1:])
    for p in (base.with_suffix(".py"), base / "__init__.py"):
        if p.is_file():
            return p
    return None


def _imported_modules(path: Path, module: str) -> set[str]:
    """The modules one file imports (absolute names; `from ncpi.x import y` also tries ncpi.x.y)."""
    out: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            out.add(base)
            out.update(f"{base}.{a.name}" for a in node.names)
    return out


def _source_files(root: Path, roots: list[str] = FINGERPRINT_ROOTS) -> list[Path]:
    """Every ncpi file the parse can run, by walking imports from `roots`, plus data files
    in the directories of those modules (a rule table kept as CSV counts too)."""
    seen: dict[str, Path] = {}
    todo = list(roots)
    while todo:
        module = todo.pop()
        path = _module_file(root, module)
        if path is None or module in seen:
            continue
        seen[module] = path
        todo += [m for m in _imported_modules(path, module) if m.startswith("ncpi")]
    files = set(seen.values())
    for d in {p.parent for p in files}:
        files.update(p for p in d.iterdir() if p.suffix in DATA_SUFFIXES and p.is_file())
    return sorted(files)


@lru_cache(maxsize=None)
def _code_digest(root: Path) -> str:
    """Per process: the code that runs is the code imported, not what is on disk later."""
    h = hashlib.sha256(f"PARSER_VERSION={ncpi.PARSER_VERSION}\n".encode())
    for path in _source_files(root):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for lib in FINGERPRINT_LIBRARIES:
        try:
            version = metadata.version(lib)
        except metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{lib}={version}\n".encode())
    return h.hexdigest()


def parser_fingerprint(forces_csv: Path) -> str:
    h = hashlib.sha256(_code_digest(PACKAGE_ROOT).encode())
    h.update(f"PARSER_VERSION={ncpi.PARSER_VERSION}\n".encode())
    h.update(b"forces\0" + Path(forces_csv).read_bytes())
    return h.hexdigest()


# --- JSON with dates and times -------------------------------------------------------
def _default(o):
    if isinstance(o, dt.datetime):
        return {"$dt": o.isoformat()}
    if isinstance(o, dt.date):
        return {"$d": o.isoformat()}
    if isinstance(o, dt.time):
        return {"$t": o.isoformat()}
    if isinstance(o, tuple):
        return {"$tuple": list(o)}
    raise TypeError(f"cannot cache a {type(o).__name__}")


def _hook(d: dict):
    if len(d) == 1:
        if "$d" in d:
            return dt.date.fromisoformat(d["$d"])
        if "$t" in d:
            return dt.time.fromisoformat(d["$t"])
        if "$dt" in d:
            return dt.datetime.fromisoformat(d["$dt"])
        if "$tuple" in d:
            return tuple(d["$tuple"])
    return d


class _Encoder(json.JSONEncoder):
    # json turns tuples into lists before `default` sees them; keep them tuples.
    def encode(self, o):
        return super().encode(_tag_tuples(o))


def _tag_tuples(o):
    if isinstance(o, tuple):
        return {"$tuple": [_tag_tuples(x) for x in o]}
    if isinstance(o, list):
        return [_tag_tuples(x) for x in o]
    if isinstance(o, dict):
        return {k: _tag_tuples(v) for k, v in o.items()}
    return o


def encode_result(result) -> str:
    parsed, quarantine = result
    doc = None if parsed is None else {f.name: getattr(parsed, f.name) for f in fields(ParsedDocument)}
    return json.dumps([doc, quarantine], default=_default, ensure_ascii=False, separators=(",", ":"),
                      cls=_Encoder)


def decode_result(text: str):
    doc, quarantine = json.loads(text, object_hook=_hook)
    return (None if doc is None else ParsedDocument(**doc)), quarantine


def entry_key(fingerprint: str, rel: str, raw_sha256: str, meta: dict) -> str:
    """A cache entry's key: the parser, the path, the bytes' hash and the sidecar metadata."""
    meta_json = json.dumps(meta, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256("\0".join([fingerprint, rel, raw_sha256, meta_json]).encode()).hexdigest()


# --- the store --------------------------------------------------------------------------
def _valid(value: str) -> bool:
    """A whole entry (a JSON list); a line cut short is a miss, never a wrong answer."""
    return bool(value) and value.startswith("[") and value.endswith("]")


class ParseCache:
    """Entries by key, each with the path it was parsed from: a plan hands every path's
    stored keys to the parse workers, which read the document once, hash it, and parse
    it only when its key is not among them (see ncpi.parse_pool.scan_batch).

    A shard line is `key<TAB>path<TAB>entry` (paths are safe names: no tab, no newline)."""

    def __init__(self, cache_dir: Path, forces_csv: Path):
        self.fingerprint = parser_fingerprint(forces_csv)
        self.root = Path(cache_dir) / "parse"
        self.dir = self.root / self.fingerprint[:24]
        self._entries: dict[str, tuple[str, str]] | None = None    # key -> (path, entry)

    def key(self, rel: str, raw_sha256: str, meta: dict) -> str:
        return entry_key(self.fingerprint, rel, raw_sha256, meta)

    def _load(self) -> dict[str, tuple[str, str]]:
        if self._entries is None:
            self._entries = {}
            for shard in sorted(self.dir.glob("*.jsonl")) if self.dir.is_dir() else []:
                with open(shard, encoding="utf-8") as fh:
                    for line in fh:
                        key, _, rest = line.rstrip("\n").partition("\t")
                        rel, _, value = rest.partition("\t")
                        if value:
                            self._entries[key] = (rel, value)
        return self._entries

    def keys_by_path(self) -> dict[str, tuple[str, ...]]:
        """Each path's keys whose entries are whole: what a parse worker may skip."""
        out: dict[str, list[str]] = {}
        for key, (rel, value) in self._load().items():
            if _valid(value):
                out.setdefault(rel, []).append(key)
        return {rel: tuple(keys) for rel, keys in out.items()}

    def lookup(self, key: str) -> str | None:
        """The entry still encoded (decode_result decodes it), or None. A damaged entry
        is a miss, never a wrong answer."""
        value = self._load().get(key, ("", ""))[1]
        return value if _valid(value) else None

    def hold_only(self, keys) -> None:
        """Keep in memory only the entries of these keys (those a build still has to
        decode): the rest of the store is on disk, and holding it too costs ~100 MiB at
        10,000 releases."""
        entries = self._load()
        self._entries = {k: entries[k] for k in keys if k in entries}

    def take(self, key: str) -> str | None:
        """lookup, then forget the entry in memory (it is decoded once)."""
        value = self.lookup(key)
        self._load().pop(key, None)
        return value

    def get(self, key: str):
        value = self.lookup(key)
        if value is None:
            return None
        try:
            return decode_result(value)
        except (ValueError, TypeError):
            return None

    def put_many(self, items: list[tuple[str, str, object]], keep: set[str] | None = None) -> None:
        """Store new (key, path, result) entries as one shard; past MAX_SHARDS, compact to the keys in keep."""
        self.put_many_encoded([(key, rel, encode_result(result)) for key, rel, result in items], keep)

    def put_many_encoded(self, items: list[tuple[str, str, str]], keep: set[str] | None = None) -> None:
        """put_many for entries already encoded (as parse workers return them)."""
        if not items:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        shards = sorted(self.dir.glob("*.jsonl"))
        fresh = {key: (rel, value) for key, rel, value in items}
        if len(shards) + 1 > MAX_SHARDS:
            entries = self._load()
            entries.update(fresh)
            live = entries if keep is None else {k: v for k, v in entries.items() if k in keep}
            self._write_shard(sorted(live.items()), "compact")
            for old in shards:
                old.unlink(missing_ok=True)
        else:
            if self._entries is not None:
                self._entries.update(fresh)
            self._write_shard(fresh.items(), "shard")
        for other in self.root.iterdir():
            if other.is_dir() and other != self.dir:
                shutil.rmtree(other, ignore_errors=True)

    def _write_shard(self, items, kind: str) -> None:
        """(key, (path, entry)) pairs written line by line (never one string of the whole
        shard: 73 MB at 10,000 releases), to a temporary file renamed once complete."""
        h = hashlib.sha256()
        fd, tmp = tempfile.mkstemp(prefix=".shard.", dir=self.dir)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                for key, (rel, value) in items:
                    line = f"{key}\t{rel}\t{value}\n"
                    h.update(line.encode())
                    fh.write(line)
            name = f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S%f}-{kind}-{h.hexdigest()[:12]}.jsonl"
            os.replace(tmp, self.dir / name)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
