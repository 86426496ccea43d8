"""Copies of one article: which sources are near-duplicates, and which one the dataset counts.

The same press release reaches raw/ many times: the inspectorate's page, an aggregator,
a force's newsroom, a mirror, an AMP page, a copy cut off mid-sentence. Each copy parses
into the same findings, so counting every copy's rows would count each assessed point
as often as the release was copied.

How copies are found: every text is cut into overlapping runs of SHINGLE_WORDS words
(lower-cased, punctuation and line breaks ignored, so re-encoding and reflowing do not
matter). Two texts are copies when most of the SHORTER one's runs stand in the longer one
(containment, not Jaccard: a copy cut off half-way holds half the release's runs, every
one of them the release's). Candidate pairs are MinHash LSH's (datasketch's MinHash, its
bands as MinHashLSH cuts them: two texts are candidates when one band of their signatures
is equal); each candidate is then checked exactly. A separately written story about the
same inspection shares quotes and a few phrases with the release, far below the threshold
(tests/test_copies.py measures both).

Speed: releases from one template share most of their runs, so LSH alone makes nearly
every pair of them a candidate (quadratic: ~25 minutes of CPU at 10,000 synthetic
releases). But copies of one article report on the same inspections (same_subject), so
only pairs that could join one copy group are looked at: band buckets are kept per
subject, and only a text with no subject is looked up across all of them. The shingles'
SHA-1 hashes are computed once per distinct shingle, not once per text.
"""
from __future__ import annotations

import re
import unicodedata
import zlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np
from datasketch import MinHash, MinHashLSH
from datasketch.hashfunc import sha1_hash32

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
    """The distinct 32-bit hashes (CRC-32) of the text's runs of SHINGLE_WORDS words, sorted.

    A run's bytes are its words joined by single spaces: each is hashed as a slice of the
    whole text joined once (in C: map, not a Python loop per run)."""
    ws = words(text)
    _word_counts[text] = len(ws)   # canonical_rank asks for it next
    runs = len(ws) - SHINGLE_WORDS + 1
    if runs <= 0:
        return np.zeros(0, dtype=np.uint32)
    data = " ".join(ws).encode("utf-8")
    sizes = np.fromiter(map(len, ws if data.isascii() else (w.encode("utf-8") for w in ws)), dtype=np.int64,
                        count=len(ws))
    starts = np.zeros(len(ws) + 1, dtype=np.int64)
    np.cumsum(sizes + 1, out=starts[1:])           # each word and the space after it
    ends = (starts[SHINGLE_WORDS:] - 1).tolist()
    cut = map(memoryview(data).__getitem__, map(slice, starts[:runs].tolist(), ends))
    return np.unique(np.fromiter(map(zlib.crc32, cut), dtype=np.uint32, count=runs))


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the smaller set that is in the other (both sorted, distinct)."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if len(small) == 0:
        return 0.0
    at = np.searchsorted(large, small)
    at[at == len(large)] = 0
    return int(np.count_nonzero(large[at] == small)) / len(small)


@dataclass(frozen=True)
class CopyLink:
    """Why two sources are in one copy group: the pair and how much of the shorter is in the longer."""
    a: str
    b: str
    containment: float


def _lsh_shape() -> tuple[int, int]:
    """(bands, rows per band) of MinHashLSH at CANDIDATE_JACCARD and NUM_PERM."""
    lsh = MinHashLSH(threshold=CANDIDATE_JACCARD, num_perm=NUM_PERM)
    return lsh.b, lsh.r


_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)   # MurmurHash3's 32-bit finalizer, as MinHash's affine32 scheme mixes


def _fmix32(hv: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = (np.uint32(c) for c in _FMIX32)
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    return hv ^ (hv >> s3)


def signatures(sets: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each (non-empty) shingle set's MinHash: the NUM_PERM values datasketch's MinHash
    (seed SEED, scheme affine32) holds after update_batch(shingles as 4 big-endian bytes);
    tests/test_copies.py checks them against it. Computed for the whole corpus at once:
    each distinct shingle's SHA-1 once, then one vector operation per permutation."""
    if not sets:
        return {}
    every = np.concatenate(list(sets.values()))
    distinct, where = np.unique(every, return_inverse=True)
    sha = np.fromiter((sha1_hash32(v) for v in distinct.astype(">u4").view("S4")), dtype=np.uint32,
                      count=len(distinct))
    mixed = _fmix32(sha)[where]
    starts = np.cumsum([0] + [len(sh) for sh in sets.values()])[:-1]
    a, b = MinHash(num_perm=NUM_PERM, seed=SEED).permutations
    sig = np.empty((len(sets), NUM_PERM), dtype=np.uint32)
    with np.errstate(over="ignore"):
        for j in range(NUM_PERM):      # a * h + b mod 2^32, then the minimum of each set
            sig[:, j] = np.minimum.reduceat(mixed * a[j] + b[j], starts)
    return dict(zip(sets, sig))


def _bands(signature: np.ndarray, shape: tuple[int, int]) -> list[bytes]:
    bands, rows = shape
    return [signature[i * rows:(i + 1) * rows].tobytes() for i in range(bands)]


def candidate_pairs(sigs: dict[str, np.ndarray], subjects: dict[str, frozenset] | None = None) -> set[tuple[str, str]]:
    """Pairs (a < b) sharing one band of their signatures (MinHashLSH's candidates) that
    may be copies: the same subject inspections, or one of the two without any. Without
    subjects, every pair sharing a band."""
    subjects = subjects or {}
    shape = _lsh_shape()
    by_subject: dict[tuple, list[str]] = defaultdict(list)   # (subject, band, bytes) -> ids
    by_band: dict[tuple, list[str]] = defaultdict(list)      # (band, bytes) -> ids of every subject
    unplaced: list[tuple[str, list[bytes]]] = []             # texts without a subject, and their bands
    for sid, sig in sigs.items():
        subject, bands = subjects.get(sid, frozenset()), _bands(sig, shape)
        for i, band in enumerate(bands):
            by_band[(i, band)].append(sid)
            if subject:
                by_subject[(subject, i, band)].append(sid)
        if not subject:
            unplaced.append((sid, bands))
    pairs: set[tuple[str, str]] = set()
    for ids in by_subject.values():
        pairs.update((a, b) if a < b else (b, a) for n, a in enumerate(ids) for b in ids[n + 1:])
    for sid, bands in unplaced:
        for i, band in enumerate(bands):
            pairs.update((sid, o) if sid < o else (o, sid) for o in by_band[(i, band)] if o != sid)
    return pairs


def find_copy_links(texts: dict[str, str], subjects: dict[str, frozenset] | None = None) -> list[CopyLink]:
    """Every pair of sources (by id) whose texts are copies of one article, among the pairs
    that could join one copy group (see candidate_pairs), sorted."""
    sets = {sid: shingles(t or "") for sid, t in sorted(texts.items())}
    sigs = signatures({sid: sh for sid, sh in sets.items() if len(sh) >= MIN_SHINGLES})
    links = []
    for sid, other in sorted(candidate_pairs(sigs, subjects)):
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


_word_counts: dict[str, int] = {}   # text -> words; cleared once a build's ranks are decided


def word_count(text: str) -> int:
    n = _word_counts.get(text)
    if n is None:
        n = _word_counts[text] = len(words(text))
    return n


def clear_word_counts() -> None:
    """Hold no texts past a build (the counts are keyed by text)."""
    _word_counts.clear()


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
    links = find_copy_links({s["source_id"]: s.get("text") or "" for s in sources}, subjects)
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
