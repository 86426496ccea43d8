"""Copies grouped, each fact counted once, every source's inspections said (issue 11).

The corpus holds one Humberside release four times over: the inspectorate's first-hand text
(seed 002), the same release reposted with site furniture as HTML on a force's newsroom
(tests/fixtures/web/), an aggregator copy cut off mid-sentence, and a news story written
separately about the same review (it restates one bullet of the release word for word,
quotes one paragraph of the inspector's quote, and adds one concern of its own). It also
holds a news story about Northumbria's 2018 inspection, which seed 000 only mentions.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ncpi.build import build
from ncpi.copies import COPY_CONTAINMENT, assign_copy_groups, containment, shingles
from ncpi.countonce import same_point_score, comparable
from ncpi.warehouse import connect, refresh_views

ROOT = Path(__file__).resolve().parents[1]
COPIES = ROOT / "tests" / "fixtures" / "copies"
RELEASE = "copies/humberside_release.txt"
COPY_FILES = ["copies/humberside_release.txt", "copies/humberside_force_repost.html", "copies/humberside_aggregator.txt"]
NEWS = "copies/humberside_news.txt"
REVIEW = "humberside-post_inspection_review-2018"


# Two members of the copy group are files the repository already has: the first-hand text is
# seed 002 and the force's repost is the HTML page of tests/fixtures/web/; their sidecars
# (URL, date) are in tests/fixtures/copies/.
TEXT_OF = {
    "humberside_release.txt": ROOT / "raw" / "seeds" / "002_a68f69361e71f9ef.txt",
    "humberside_force_repost.html": ROOT / "tests" / "fixtures" / "web" / "hmicfrs_humberside.html",
}


def _raw(tmp_path: Path, *, seeds: bool, copies: list[str]) -> Path:
    raw = tmp_path / "raw"
    (raw / "copies").mkdir(parents=True)
    if seeds:
        shutil.copytree(ROOT / "raw" / "seeds", raw / "seeds")
    for rel in copies:
        name = Path(rel).name
        shutil.copy(TEXT_OF.get(name, COPIES / name), raw / "copies" / name)
        shutil.copy(COPIES / f"{name}.meta.json", raw / "copies" / f"{name}.meta.json")
    return raw


def _warehouse(tmp_path: Path, name: str, raw: Path) -> Path:
    wh = tmp_path / name
    build(raw, wh / "tables")
    refresh_views(wh)
    return wh


def _rows(wh: Path, table: str) -> list[dict]:
    return pq.read_table(wh / "tables" / f"{table}.parquet").to_pylist()


def _by_path(wh: Path) -> dict[str, dict]:
    return {s["path"]: s for s in _rows(wh, "sources")}


def _count(wh: Path, sql: str, params: list) -> int:
    con = connect(wh)
    try:
        return con.execute(sql, params).fetchone()[0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("copies")
    everything = _warehouse(tmp, "all", _raw(tmp / "a", seeds=True, copies=COPY_FILES + [NEWS, "copies/northumbria_2018_news.txt"]))
    release_only = _warehouse(tmp, "release", _raw(tmp / "b", seeds=False, copies=[RELEASE]))
    news_only = _warehouse(tmp, "news", _raw(tmp / "c", seeds=False, copies=[NEWS]))
    return everything, release_only, news_only


def test_threshold_separates_copies_from_a_separate_story():
    release = shingles(TEXT_OF["humberside_release.txt"].read_text(encoding="utf-8"))
    aggregator = shingles((COPIES / "humberside_aggregator.txt").read_text(encoding="utf-8"))
    news = shingles((COPIES / "humberside_news.txt").read_text(encoding="utf-8"))
    assert containment(aggregator, release) >= 0.9          # cut off, but every run is the release's
    assert containment(news, release) < 0.35                # quotes and one restated bullet only
    assert containment(news, release) < COPY_COMPARE_MARGIN * COPY_CONTAINMENT


COPY_COMPARE_MARGIN = 0.6   # the story sits well below the threshold, not just under it


def test_one_copy_group_of_three_with_the_first_hand_text_canonical(corpus):
    everything, _, _ = corpus
    sources = _by_path(everything)
    group = {sources[p]["copy_group"] for p in COPY_FILES}
    assert len(group) == 1
    members = [s for s in sources.values() if s["copy_group"] in group]
    assert sorted(s["path"] for s in members) == sorted(COPY_FILES)
    canonical = [s["path"] for s in members if s["is_canonical"]]
    assert canonical == [RELEASE]
    assert sources[RELEASE]["copy_group"] == sources[RELEASE]["source_id"]
    assert sources[NEWS]["copy_group"] == sources[NEWS]["source_id"] and sources[NEWS]["is_canonical"]
    # the seed Humberside release (same bytes as the first-hand copy) was quarantined as duplicate content
    assert "seeds/002_a68f69361e71f9ef.txt" not in sources


def test_provenance_and_licence_per_source(corpus):
    everything, _, _ = corpus
    sources = _by_path(everything)
    assert sources[RELEASE]["source_type"] == "inspectorate" and sources[RELEASE]["licence"] == "OGL-3.0"
    assert sources["copies/humberside_force_repost.html"]["source_type"] == "force"
    assert sources["copies/humberside_aggregator.txt"]["source_type"] == "mirror"
    assert sources["copies/humberside_aggregator.txt"]["licence"] == "OGL-3.0"   # a copy of Crown text
    news = sources[NEWS]
    assert news["source_type"] == "news" and news["licence"].startswith("©")
    assert news["text"] is None and news["licence"] in news["text_withheld"]
    assert news["sha256"] and news["url"]


def _findings_per_inspection(wh: Path, inspection_id: str) -> int:
    return _count(wh, "SELECT count(*) FROM findings WHERE inspection_id = ?", [inspection_id])


def test_counts_equal_first_hand_text_plus_what_the_story_adds(corpus):
    everything, release_only, news_only = corpus
    release_n = _findings_per_inspection(release_only, REVIEW)
    news_n = _findings_per_inspection(news_only, REVIEW)
    assert release_n >= 4 and news_n >= 2
    # The story restates exactly one release bullet (protection documentation); the rest is its own.
    expected = release_n + news_n - 1
    assert _findings_per_inspection(everything, REVIEW) == expected
    published = [r for r in _rows(everything, "findings") if r["inspection_id"] == REVIEW]
    assert len(published) == expected
    per_force = "SELECT count(*) FROM findings WHERE force_id = ?"
    assert _count(everything, per_force, ["humberside"]) == \
        _count(release_only, per_force, ["humberside"]) + _count(news_only, per_force, ["humberside"]) - 1
    dup = [d for d in _rows(everything, "duplicates") if d["table_name"] == "findings" and d["relation"] == "restated"]
    assert len(dup) == 1 and "protection documentation" in dup[0]["text"]
    kept = {r["finding_id"]: r for r in published}
    assert kept[dup[0]["kept_id"]]["source_id"] == _by_path(everything)[RELEASE]["source_id"]


def test_every_copy_row_is_evidence_pointing_at_a_counted_row(corpus):
    everything, _, _ = corpus
    sources = _by_path(everything)
    copy_ids = {sources[p]["source_id"] for p in COPY_FILES[1:]}
    findings = _rows(everything, "findings")
    assert not [f for f in findings if f["source_id"] in copy_ids]
    same = [d for d in _rows(everything, "duplicates") if d["source_id"] in copy_ids]
    assert same and all(d["relation"] == "same_article" for d in same)
    counted = {f["finding_id"] for f in findings} | {s["statement_id"] for s in _rows(everything, "statements")} \
        | {c["contact_id"] for c in _rows(everything, "contact_notes")}
    kept = [d["kept_id"] for d in same if d["kept_id"] is not None]
    assert kept and set(kept) <= counted
    # the force's HTML repost repeats all four improvement bullets
    repost = sources["copies/humberside_force_repost.html"]["source_id"]
    assert sum(1 for d in same if d["source_id"] == repost and d["table_name"] == "findings") >= 4


def test_the_inspectors_quote_is_counted_once(corpus):
    everything, _, _ = corpus
    parr = [s for s in _rows(everything, "statements") if s["speaker_name"] == "Matt Parr" and s["force_id"] == "humberside"]
    assert len(parr) == 1
    restated = [d for d in _rows(everything, "duplicates") if d["table_name"] == "statements" and d["relation"] == "restated"]
    assert [d["kept_id"] for d in restated] == [parr[0]["statement_id"]]


def test_inspection_sources_say_which_source_reports_on_what(corpus):
    everything, _, _ = corpus
    sources = _by_path(everything)
    links = _rows(everything, "inspection_sources")
    seed_000 = sources["seeds/000_cd29e191e1a0a13e.txt"]["source_id"]
    roles = {l["inspection_id"]: l["role"] for l in links if l["source_id"] == seed_000}
    assert [i for i, r in roles.items() if r == "subject"] == ["northumbria-post_inspection_review-2019"]
    assert roles.get("northumbria-inspection-2018") == "mentioned"
    story = sources["copies/northumbria_2018_news.txt"]["source_id"]
    assert {l["inspection_id"]: l["role"] for l in links if l["source_id"] == story} == \
        {"northumbria-inspection-2018": "subject"}
    # is_subject is only a convenience derived from the links
    inspections = {i["inspection_id"]: i for i in _rows(everything, "inspections")}
    assert inspections["northumbria-inspection-2018"]["is_subject"] is True
    # every source says which inspections it reports on, and every link's span is in its text
    for link in links:
        assert link["span_end"] >= link["span_start"]
    text = sources["seeds/000_cd29e191e1a0a13e.txt"]["text"]
    first = next(l for l in links if l["source_id"] == seed_000 and l["role"] == "subject")
    assert "Northumbria" in text[first["span_start"]:first["span_end"] + 40]


def test_same_point_score_is_strict_about_short_texts():
    bullet = comparable("its approach to the recording and completion of protection documentation")
    story = comparable("Inspectors said the force had improved its approach to the recording and completion "
                       "of protection documentation.")
    assert same_point_score(bullet, story) >= 95
    assert same_point_score(comparable("the force improved"), comparable("the force improved its training")) < 88


def test_shared_boilerplate_does_not_make_releases_about_other_inspections_copies():
    # Two releases from one template (the programme's wording, the same Notes): nearly every
    # run of words is shared, but they report on different inspections, so they are two articles.
    template = TEXT_OF["humberside_release.txt"].read_text(encoding="utf-8")
    other = template.replace("Humberside", "Lincolnshire")
    sources = [{"source_id": "a" * 16, "text": template, "source_type": "inspectorate", "published_date": None},
               {"source_id": "b" * 16, "text": other, "source_type": "inspectorate", "published_date": None},
               {"source_id": "c" * 16, "text": template[: len(template) // 2], "source_type": "mirror", "published_date": None}]
    subjects = {"a" * 16: frozenset({REVIEW}), "b" * 16: frozenset({"lincolnshire-post_inspection_review-2018"}),
                "c" * 16: frozenset()}          # the cut-off copy lost its subject: judged on its text
    assign_copy_groups(sources, subjects)
    groups = {s["source_id"][0]: s["copy_group"][0] for s in sources}
    assert groups == {"a": "a", "b": "b", "c": "a"}
    assert [s["source_id"][0] for s in sources if s["is_canonical"]] == ["a", "b"]


def test_signatures_and_candidates_are_datasketchs_minhash_lsh():
    """The corpus-wide signatures equal datasketch's MinHash of each text, and the pairs
    looked at without subjects are exactly MinHashLSH's candidates."""
    import numpy as np
    from datasketch import MinHash, MinHashLSH
    from ncpi.copies import CANDIDATE_JACCARD, NUM_PERM, SEED, candidate_pairs, signatures
    template = TEXT_OF["humberside_release.txt"].read_text(encoding="utf-8")
    texts = {"a": template, "b": template.replace("Humberside", "Lincolnshire"),
             "c": template[: len(template) // 3], "d": (ROOT / "tests" / "fixtures" / "copies" / "humberside_news.txt").read_text(encoding="utf-8"),
             "e": "Inspectors found the force had improved the way it records concerns about children at risk."}
    sets = {k: shingles(v) for k, v in texts.items()}
    sigs = signatures(sets)
    lsh = MinHashLSH(threshold=CANDIDATE_JACCARD, num_perm=NUM_PERM)
    for key, sh in sets.items():
        m = MinHash(num_perm=NUM_PERM, seed=SEED)
        m.update_batch(sh.astype(">u4").view("S4"))
        assert np.array_equal(sigs[key], m.hashvalues)
        lsh.insert(key, m)
    expected = {(k, o) for k in sets for o in lsh.query(MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=sigs[k], scheme="affine32")) if k < o}
    assert candidate_pairs(sigs) == expected
    # with subjects, a pair about two different inspections is never looked at
    subjects = {"a": frozenset({REVIEW}), "b": frozenset({"lincolnshire-post_inspection_review-2018"})}
    assert ("a", "b") in expected and ("a", "b") not in candidate_pairs(sigs, subjects)
    assert ("a", "c") in candidate_pairs(sigs, subjects)


def test_containment_counts_the_shorter_texts_runs():
    assert containment(shingles("one two three four five six"), shingles("zero one two three four five six seven")) == 1.0
    assert containment(shingles(""), shingles("one two three four five six")) == 0.0
