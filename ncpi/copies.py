"""Copies of one article: which sources are near-duplicates, and which one the dataset counts.

The same press release reaches raw/ many times: the inspectorate's page, an aggregator,
a force's newsroom, a mirror, an AMP page, a copy cut off mid-sentence. Each copy parses
into the same findings, so counting every copy's rows would count each assessed point
as often as the release was copied.

How copies are found: every text is cut into overlapping runs of SHINGLE_WORDS words
(lower-cased, punctuation and line breaks ignored, so re-encoding and reflowing do not
matter). Two texts are copies when most of the SHORTER one's runs stand in the longer one
(containment, not Jaccard: a copy cut off half-way holds half the release's runs, every
one of them the release's). Candidate pairs come from datasketch's MinHash LSH, so the
work grows with the number of documents, not its square; each candidate is then checked
exactly. A separately written story about the same inspection shares quotes and a few
phrases with the release, far below the threshold (tests/test_copies.py measures both).
"""
from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

SHINGLE_WORDS = 5
NUM_PERM = 64
# LSH finds candidates above this Jaccard similarity. Low on purpose: a cut-off copy holding
# a third of a release has Jaccard ~0.33 with it; every candidate is checked exactly below.
CANDIDATE_JACCARD = 0.25
# Share of the shorter text's shingles found in the longer one for the two to be copies.
# Measured on tests/fixtures/copies: copies (furniture, encoding, reflow, cut off) >= 0.93,
# a separately written news story about the same inspection <= 0.25.
COPY_CONTAINMENT = 0.7
# A text this short (in shingles) says too little to be called a copy of anything.
MIN_SHINGLES = 12
# Texts whose length differs by more than this factor are still compared (a cut-off copy),
# but a candidate shorter than this share of the longer text is never a copy: a few
# sentences quoted from a release are a citation, not a copy.
MIN_LENGTH_SHARE = 0.2

WORD = re.compile(r"\w+")
SEED = 7   # fixed: MinHash permutations, and so the groups, are the same on every machine


def words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")
    return WORD.findall(folded)


def shingles(text: str) -> np.ndarray:
    """The distinct 32-bit hashes of the text's runs of SHINGLE_WORDS words, sorted."""
    ws = words(text)
    if len(ws) < SHINGLE_WORDS:
        return np.zeros(0, dtype=np.uint32)
    runs = (" ".join(ws[i:i + SHINGLE_WORDS]).encode("utf-8") for i in range(len(ws) - SHINGLE_WORDS + 1))
    return np.unique(np.fromiter((zlib.crc32(r) for r in runs), dtype=np.uint32))


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the smaller set that is in the other (both sorted, distinct)."""
    small = min(len(a), len(b))
    if small == 0:
        return 0.0
    return len(np.intersect1d(a, b, assume_unique=True)) / small


@dataclass(frozen=True)
class CopyLink:
    """Why two sources are in one copy group: the pair and how much of the shorter is in the longer."""
    a: str
    b: str
    containment: float


def find_copy_links(texts: dict[str, str]) -> list[CopyLink]:
    """Every pair of sources (by id) whose texts are copies of one article."""
    sets = {sid: shingles(t or "") for sid, t in sorted(texts.items())}
    lsh = MinHashLSH(threshold=CANDIDATE_JACCARD, num_perm=NUM_PERM)
    signatures = {}
    for sid, sh in sets.items():
        if len(sh) < MIN_SHINGLES:
            continue
        m = MinHash(num_perm=NUM_PERM, seed=SEED)
        m.update_batch(sh.astype(">u4").view("S4"))
        signatures[sid] = m
        lsh.insert(sid, m)
    links = []
    for sid, m in signatures.items():
        for other in sorted(lsh.query(m)):
            if other <= sid:
                continue
            a, b = sets[sid], sets[other]
            if min(len(a), len(b)) < MIN_LENGTH_SHARE * max(len(a), len(b)):
                continue
            c = containment(a, b)
            if c >= COPY_CONTAINMENT:
                links.append(CopyLink(sid, other, round(c, 4)))
    return links


def connected_groups(ids: list[str], links: list[CopyLink],
                     subjects: dict[str, frozenset] | None = None) -> dict[str, list[str]]:
    """Union-find over the links, strongest first: each id's group, as the sorted list of its
    members. Two groups that report on different inspections are never joined, even through
    a member that lost its subject (a cut-off copy joins the group it shares most with)."""
    subjects = subjects or {}
    parent = {i: i for i in ids}
    subject = {i: subjects.get(i, frozenset()) for i in ids}   # per root: the group's subject

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for link in sorted(links, key=lambda l: (-l.containment, l.a, l.b)):
        ra, rb = root(link.a), root(link.b)
        if ra == rb or not same_subject(subject[ra], subject[rb]):
            continue
        keep, gone = min(ra, rb), max(ra, rb)
        parent[gone] = keep
        subject[keep] = subject[keep] or subject[gone]
    members: dict[str, list[str]] = {}
    for i in sorted(ids):
        members.setdefault(root(i), []).append(i)
    return {i: members[root(i)] for i in ids}


@lru_cache(maxsize=None)
def word_count(text: str) -> int:
    return len(words(text))


def canonical_rank(source: dict) -> tuple:
    """Sort key: the inspectorate's own text first, then the most complete, then the earliest."""
    published = source.get("published_date") or date.max
    return (source.get("source_type") != "inspectorate", -word_count(source.get("text") or ""), published,
            source["source_id"])


def same_subject(a: frozenset, b: frozenset) -> bool:
    """Copies of one article report on the same inspections. Releases share long boilerplate
    (the Notes to editors, the programme's description, a template's sentences), so two
    releases about different inspections can share most of a short text's runs; a copy never
    reports on another. A copy whose subject was lost (a cut-off headline) is judged on its
    text alone."""
    return a == b or not a or not b


def assign_copy_groups(sources: list[dict], subjects: dict[str, frozenset] | None = None) -> list[CopyLink]:
    """Set `copy_group` (the canonical member's source_id) and `is_canonical` on every source row.

    subjects: each source's subject inspections; a pair with different subjects is never a copy."""
    links = find_copy_links({s["source_id"]: s.get("text") or "" for s in sources})
    by_id = {s["source_id"]: s for s in sources}
    groups = connected_groups(list(by_id), links, subjects)
    canonical_of: dict[tuple, str] = {}
    for sid, members in groups.items():
        key = tuple(members)
        if key not in canonical_of:
            canonical_of[key] = min((by_id[m] for m in members), key=canonical_rank)["source_id"]
        by_id[sid]["copy_group"] = canonical_of[key]
        by_id[sid]["is_canonical"] = sid == canonical_of[key]
    return links
