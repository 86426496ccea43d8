"""Parse cache and process pool: never change the output, re-parse only what changed."""
import hashlib
import shutil
from pathlib import Path

import pytest

import ncpi
from ncpi import cache as cache_mod
from ncpi.build import build, forces_reference, parse_batch
from ncpi.rawio import list_documents
from ncpi.synth import generate

ROOT = Path(__file__).resolve().parents[1]


def hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(Path(folder).glob("*.parquet"))}


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    """Seeds, every variant fixture and 24 synthetic releases: dates, times, quarantines."""
    raw = tmp_path_factory.mktemp("raw")
    shutil.copytree(ROOT / "raw" / "seeds", raw / "seeds")
    shutil.copytree(ROOT / "tests" / "fixtures" / "variants", raw / "variants")
    generate(24, 11, raw)
    (raw / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    return raw


@pytest.fixture(scope="module")
def plain(raw, tmp_path_factory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("plain")
    report = build(raw, out, workers=1)
    assert report.reparsed == report.documents
    return hashes(out)


def test_cached_rebuild_and_process_pool_give_byte_identical_parquet(raw, plain, tmp_path):
    cold = build(raw, tmp_path / "a", cache_dir=tmp_path / "cache", workers=2, batch_size=7)
    assert cold.reparsed == cold.documents and not cold.up_to_date
    warm = build(raw, tmp_path / "b", cache_dir=tmp_path / "cache", workers=2, batch_size=7)
    assert warm.reparsed == 0 and not warm.up_to_date
    assert hashes(tmp_path / "a") == hashes(tmp_path / "b") == plain
    assert (warm.documents, warm.parsed, warm.counts) == (cold.documents, cold.parsed, cold.counts)


def test_cache_round_trips_every_result_exactly(raw):
    results = parse_batch(str(raw), list_documents(raw), str(forces_reference(raw)))
    for result in results:
        back = cache_mod.decode_result(cache_mod.encode_result(result))
        assert back == result
        if result[0] is not None:   # dates stay dates, times stay times
            for table in ("source", "inspections", "contacts"):
                rows = getattr(result[0], table)
                for row, row_back in zip(rows if isinstance(rows, list) else [rows],
                                         getattr(back[0], table) if isinstance(rows, list) else [back[0].source]):
                    assert {k: type(v) for k, v in row.items()} == {k: type(v) for k, v in row_back.items()}


def test_adding_one_release_reparses_one_and_a_noop_rerun_does_nothing(raw, tmp_path):
    work = tmp_path / "raw"
    shutil.copytree(raw, work)
    cache, out = tmp_path / "cache", tmp_path / "tables"
    build(work, out, cache_dir=cache)
    again = build(work, out, cache_dir=cache)
    assert again.up_to_date and again.reparsed == 0
    generate(1, 11, work, start=24)
    one_more = build(work, out, cache_dir=cache)
    assert one_more.reparsed == 1 and one_more.documents == again.documents + 1
    assert hashes(out) == hashes(build(work, tmp_path / "fresh", workers=1).out_dir)


def test_damaged_or_edited_outputs_are_rebuilt_not_trusted(raw, plain, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "tables"
    build(raw, out, cache_dir=cache)
    (out / "findings.parquet").write_bytes(b"not parquet")
    report = build(raw, out, cache_dir=cache)
    assert not report.up_to_date and report.reparsed == 0
    assert hashes(out) == plain
    # A damaged cache entry is parsed again, never half-used.
    for shard in (cache / "parse").rglob("*.jsonl"):
        lines = shard.read_text(encoding="utf-8").splitlines()
        shard.write_text("\n".join(line[:-40] for line in lines) + "\n", encoding="utf-8")
    report = build(raw, tmp_path / "again", cache_dir=cache)
    assert report.reparsed == report.documents
    assert hashes(tmp_path / "again") == plain


def test_parser_changes_invalidate_the_cache(raw, tmp_path, monkeypatch):
    forces = forces_reference(raw)
    base = cache_mod.parser_fingerprint(forces)
    monkeypatch.setattr(ncpi, "PARSER_VERSION", ncpi.PARSER_VERSION + "-next")
    assert cache_mod.parser_fingerprint(forces) != base
    monkeypatch.undo()
    # Editing any parser source file changes the key (checked on copies of the package).
    def fingerprint_of_copy(name: str, edit: bool) -> str:
        pkg = tmp_path / name / "ncpi"
        shutil.copytree(cache_mod.PACKAGE_ROOT, pkg, ignore=shutil.ignore_patterns("__pycache__"))
        if edit:
            themes = pkg / "parse" / "themes.py"
            themes.write_text(themes.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        monkeypatch.setattr(cache_mod, "PACKAGE_ROOT", pkg)
        return cache_mod.parser_fingerprint(forces)

    assert fingerprint_of_copy("same", edit=False) != fingerprint_of_copy("edited", edit=True)
    monkeypatch.undo()
    # ... and so does the forces reference; a new fingerprint replaces the old entries.
    other = tmp_path / "forces.csv"
    other.write_bytes(forces.read_bytes() + b"\n")
    assert cache_mod.parser_fingerprint(other) != base
    c = tmp_path / "cache"
    build(raw, tmp_path / "t1", cache_dir=c)
    monkeypatch.setattr(ncpi, "PARSER_VERSION", ncpi.PARSER_VERSION + "-next")
    report = build(raw, tmp_path / "t2", cache_dir=c)
    assert report.reparsed == report.documents
    assert len([d for d in (c / "parse").iterdir() if d.is_dir()]) == 1


def test_fingerprint_walks_the_parsers_imports_not_a_list():
    """Every ncpi module parse_one can run is in the fingerprint (rule records and the
    vocabulary too); modules the parse never imports (assembling tables) are not."""
    files = {p.relative_to(cache_mod.PACKAGE_ROOT).as_posix() for p in cache_mod._source_files(cache_mod.PACKAGE_ROOT)}
    assert {"parse_pool.py", "parse/document.py", "rules/themes.py", "rules/polarity.py", "vocab.py", "text/html.py"} <= files
    assert "tables.py" not in files


def test_editing_a_rule_record_changes_the_fingerprint(tmp_path):
    """A copy of the package with one rule's pattern edited has another code digest."""
    a, b = tmp_path / "a" / "ncpi", tmp_path / "b" / "ncpi"
    for d in (a, b):
        shutil.copytree(cache_mod.PACKAGE_ROOT, d, ignore=shutil.ignore_patterns("__pycache__"))
    rules = b / "rules" / "themes.py"
    rules.write_text(rules.read_text().replace("domestic (?:abuse|violence|incidents?)", "domestic (?:abuse|violence)"))
    assert cache_mod._code_digest(a) != cache_mod._code_digest(b)
    # A new module the parser starts importing counts as soon as it is imported.
    (a / "parse" / "extra.py").write_text("X = 1\n")
    assert "parse/extra.py" not in {p.relative_to(a).as_posix() for p in cache_mod._source_files(a)}
    doc = a / "parse" / "document.py"
    doc.write_text(doc.read_text() + "\nfrom ncpi.parse import extra  # noqa\n")
    assert "parse/extra.py" in {p.relative_to(a).as_posix() for p in cache_mod._source_files(a)}


def test_a_file_swapped_between_plan_and_parse_never_poisons_the_cache(tmp_path):
    """Issue 15: the plan knows version A of a file (the cache holds A's rows), the file
    becomes B before a worker reads it. B's rows are cached under B's bytes, never under
    A's key: restoring A later gives A's rows, and B comes back from the cache as B."""
    from ncpi.build import finish_plan, parse_many, plan

    raw, cache = tmp_path / "raw", tmp_path / "cache"
    shutil.copytree(ROOT / "raw" / "seeds", raw / "seeds")
    target = sorted((raw / "seeds").glob("*.txt"))[0]
    rel = target.relative_to(raw).as_posix()
    version_a = target.read_bytes()
    version_b = version_a.replace(b"\n", b"\nUpdated copy of the release.\n", 1)
    build(raw, tmp_path / "out0", workers=1, cache_dir=cache)   # the cache holds A

    p = plan(raw, cache)
    assert p.cached[rel]                      # A's key, from the cache: nothing was read
    target.write_bytes(version_b)             # the file changes while the run reads it
    parsed = parse_many(str(raw), p.rels, p.forces_csv, workers=1, batch_size=500, cached=p.cached)
    assert sum(1 for _, entry in parsed if entry is not None) == 1   # B is not A: parsed
    finish_plan(p, parsed, tmp_path / "out1")

    def sha_of_target(out):
        import pyarrow.parquet as pq
        rows = pq.read_table(out / "sources.parquet", columns=["path", "sha256"]).to_pylist()
        return next(r["sha256"] for r in rows if r["path"] == rel)

    assert sha_of_target(tmp_path / "out1") == hashlib.sha256(version_b).hexdigest()
    target.write_bytes(version_a)             # back to A: the cache must not answer with B's rows
    report = build(raw, tmp_path / "out2", workers=1, cache_dir=cache)
    assert sha_of_target(tmp_path / "out2") == hashlib.sha256(version_a).hexdigest()
    assert report.reparsed == 0
    target.write_bytes(version_b)             # and B, parsed once already, comes from the cache as B
    report = build(raw, tmp_path / "out3", workers=1, cache_dir=cache)
    assert sha_of_target(tmp_path / "out3") == hashlib.sha256(version_b).hexdigest()
    assert report.reparsed == 0


@pytest.mark.parametrize("cached", [False, True])
def test_each_document_is_read_once_per_build(raw, tmp_path, monkeypatch, cached):
    """The worker that hashes a document for its cache key parses those same bytes: no
    document is read twice, whether it is parsed or comes from the cache."""
    from ncpi import parse_pool
    cache = tmp_path / "cache"
    if cached:
        build(raw, tmp_path / "warm", workers=1, cache_dir=cache)
    reads: list[str] = []
    real = parse_pool.read_document
    monkeypatch.setattr(parse_pool, "read_document", lambda root, rel: reads.append(rel) or real(root, rel))
    report = build(raw, tmp_path / "out", workers=1, cache_dir=cache)
    assert sorted(reads) == list_documents(raw)
    assert report.reparsed == (0 if cached else report.documents)
