"""Force mentions are found once per document (ncpi/parse/forcenames.py): a part of the
text (a block, a sentence) is answered from that one scan, and the answer is the one
scanning the part alone gives."""
import random
import re
from pathlib import Path

import pytest

from ncpi.parse.forcenames import ForceMatcher, default_matcher, load_reference, names_pattern
from ncpi.parse.segment import segment, sentences

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "raw" / "seeds").glob("*.txt"))


def _key(mentions, shift=0):
    return [(m.force_id, m.start - shift, m.end - shift, m.strong) for m in mentions]


def test_names_pattern_matches_what_the_longest_first_alternation_matches():
    names = ["Kent", "Kent Police", "Kent County", "Avon and Somerset", "Avon", "Met",
             "Metropolitan Police", "Metropolitan Police Service", "Dyfed-Powys"]
    longest_first = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    texts = ["Kent Police said", "Kent Policeman", "the Metropolitan Police Servic", "Avon and",
             "Kent County Council", "Dyfed-Powys Police", "Metropolitan Police Service officers"]
    for after in (r"(?![\w-])", r"\s+(?:Police|Constabulary)", ""):
        trie, plain = re.compile(f"(?:{names_pattern(names)}){after}"), re.compile(f"(?:{longest_first}){after}")
        for text in texts:
            assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)], (after, text)


def _parts(text: str, rnd: random.Random) -> list[tuple[int, int]]:
    blocks = segment(text)
    parts = [(b.start, b.end) for b in blocks] + [(s.start, s.end) for b in blocks for s in sentences(text, b.start, b.end)]
    return parts + [tuple(sorted((rnd.randrange(len(text) + 1), rnd.randrange(len(text) + 1)))) for _ in range(30)]


@pytest.mark.parametrize("seed", SEEDS, ids=[p.name for p in SEEDS])
def test_a_clean_part_holds_what_its_own_scan_finds(seed):
    matcher, rnd = default_matcher(), random.Random(seed.name)
    fresh = ForceMatcher(list(matcher.forces.values()))
    text = seed.read_text(encoding="utf-8")
    index = matcher.index(text)
    for a, b in _parts(text, rnd):
        own = _key(fresh._scan(text[a:b]).mentions)
        if index.clean(a, b):
            assert _key(index.within(a, b), a) == own, text[a:b][:120]
        assert _key(matcher.mentions(text[a:b])) == own, text[a:b][:120]


def test_a_part_that_cuts_through_a_match_is_scanned_on_its_own():
    matcher = ForceMatcher(load_reference())
    text = "Norfolk County Council and Norfolk Constabulary worked with police in Cumbria."
    index = matcher.index(text)
    # "Norfolk" before "County Council" is not the force; cut off from it, it is a (weak) mention.
    assert not index.clean(0, len("Norfolk"))
    assert _key(matcher.mentions("Norfolk")) == [("norfolk", 0, 7, False)]
    # "Cumbria" alone is weak; after "police in" the whole text reads it as the force.
    at = text.index("Cumbria")
    assert not index.clean(at, len(text)) and [m.strong for m in index.mentions if m.start == at] == [True]
    assert _key(matcher.mentions(text[at:])) == [("cumbria", 0, 7, False)]
    # A clean part: its mentions come from the one scan.
    part = text.index("Norfolk Constabulary"), text.index(" worked")
    assert index.clean(*part) and _key(index.within(*part), part[0]) == [("norfolk", 0, 20, True)]
