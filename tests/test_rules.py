"""Every reading rule's own examples: each example matches its pattern, no counter-example
does. A newcomer fixing a rule adds the phrase that was misread as an example or a
counter-example here (in the rule's record, ncpi/rules/), and this test holds it."""
import re
from functools import lru_cache
from pathlib import Path

import pytest

from ncpi import vocab
from ncpi.rules import Lexicon, Rule, RuleSet, first_in_order
from ncpi.rules.registry import FAMILIES, all_rules

ROOT = Path(__file__).resolve().parents[1]

RULES = all_rules()
VOCAB_OF = {"theme": vocab.THEMES, "polarity": vocab.POLARITIES, "kind": vocab.KINDS, "role": {**vocab.ROLES, "": ""},
            "source": vocab.SOURCE_TYPES}


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples(rule):
    assert rule.examples and rule.counter_examples, f"{rule.id}: needs an example and a counter-example"
    for ex in rule.examples:
        assert rule.applies(ex), f"{rule.id} should match its example {ex!r}"
    for ex in rule.counter_examples:
        assert not rule.applies(ex), f"{rule.id} should not match its counter-example {ex!r}"


def test_rule_ids_unique_and_named_by_family():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for family, rules in FAMILIES.items():
        for r in rules:
            assert r.id.startswith(family + "."), r.id


@pytest.mark.parametrize("family", sorted(VOCAB_OF))
def test_rules_decide_vocabulary_values(family):
    for r in FAMILIES.get(family, ()):
        assert r.decides in VOCAB_OF[family] or r.decides == "neutral", f"{r.id} decides {r.decides!r}"


def test_every_rule_id_a_row_can_name_is_documented(tmp_path):
    """Rows name pattern rules or documented verdicts, nothing else."""
    from ncpi.rules.registry import VERDICTS
    from ncpi.parse.document import parse_document
    from pathlib import Path
    known = {r.id for r in RULES} | set(VERDICTS) | {f"polarity.grade.{g}" for g in vocab.GRADES}
    for path in sorted(Path("raw/seeds").glob("*.txt")):
        doc = parse_document(path.read_text(encoding="utf-8"))
        named = ({f["polarity_rule"] for f in doc.findings} | {f["theme_rule"] for f in doc.findings}
                 | {i["kind_rule"] for i in doc.inspections} | {s["role_rule"] for s in doc.statements})
        assert named <= known, named - known


def test_lexicon_names_the_leftmost_cue_and_earlier_record_at_one_position():
    rules = FAMILIES["polarity"]
    lex = Lexicon(tuple(r for r in rules if r.id.startswith("polarity.negative.")))
    hit = lex.first("Supervision was poor and there were delays")
    assert (hit.rule.id, hit.cue) == ("polarity.negative.lack", "poor")
    assert lex.first("Officers attended promptly") is None


def test_extraction_rules_doc_is_generated_from_the_records():
    """docs/extraction-rules.md drifts from the records: regenerate with python -m ncpi.rules.doc."""
    from ncpi.rules.doc import DOC_PATH, render
    assert DOC_PATH.read_text(encoding="utf-8") == render(), "run: .venv/bin/python -m ncpi.rules.doc"


def _ordered_families():
    from ncpi.rules import kinds, polarity, themes
    out = {}
    for mod in (kinds, polarity, themes):
        for name, value in vars(mod).items():
            if isinstance(value, tuple) and len(value) > 1 and all(isinstance(r, Rule) for r in value):
                out[f"{mod.__name__}.{name}"] = value
    return out


@lru_cache(maxsize=1)
def _texts() -> tuple[str, ...]:
    texts = [t for r in all_rules() for t in (*r.examples, *r.counter_examples)]
    for seed in sorted((ROOT / "raw" / "seeds").glob("*.txt")):
        body = seed.read_text(encoding="utf-8")
        texts += [body] + [s for s in body.split(". ") if s]
    return tuple(texts)


@pytest.mark.parametrize("name", sorted(_ordered_families()))
def test_ruleset_one_scan_decides_as_record_order_does(name):
    """RuleSet.first (one scan) gives the rule, place and cue that trying each record in
    order gives, on every example, counter-example, seed and seed sentence."""
    rules = _ordered_families()[name]
    one_scan = RuleSet(rules)
    for text in _texts():
        slow, fast = first_in_order(rules, text), one_scan.first(text)
        assert (slow and (slow.rule.id, slow.start, slow.end, slow.cue)) == \
            (fast and (fast.rule.id, fast.start, fast.end, fast.cue)), (name, text[:120])


def test_ruleset_earlier_record_wins_over_an_earlier_place_and_vetoes_pass_the_turn():
    late = Rule("t.late", "x", r"\bneglect\b", ("neglect",), ("no",))
    early = Rule("t.early", "y", r"\bcustody\b", ("custody",), ("no",), unless=r"\bcells\b")
    rules = RuleSet((early, late))
    assert rules.first("neglect, then custody").rule.id == "t.early"     # order, not place
    assert rules.first("neglect, then custody in the cells").rule.id == "t.late"   # vetoed
    assert rules.first("nothing here") is None


# --- the guard before a search (ncpi/rules/needs.py) -----------------------------------------
def _lexicons():
    from ncpi.rules import furniture, polarity, scope
    return {f"{mod.__name__}.{name}": v for mod in (furniture, polarity, scope)
            for name, v in vars(mod).items() if isinstance(v, Lexicon)}


def test_fold_knows_every_character_a_regex_takes_for_an_ascii_letter():
    from ncpi.rules.needs import ASCII_TWINS, fold
    beyond = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
    twins = {m.group(0): a for a in "abcdefghijklmnopqrstuvwxyz" for m in re.finditer(a, beyond, re.I)}
    assert twins == ASCII_TWINS
    assert all(fold(c) == a for c, a in twins.items())
    assert len(fold(beyond)) == len(beyond) and fold(beyond).isascii()      # offsets kept
    assert fold("HMICFRS’s İnspection of Kent") == "hmicfrs?s inspection of kent"


def test_needs_and_start_words_read_from_a_pattern():
    from ncpi.rules.needs import needs, starts
    assert needs(r"\bPEEL\b|police effectiveness") == ((frozenset({"peel", "police effectiveness"}),),)
    assert needs(r"\bPEEL\b|police (?:\w+ )?effectiveness") == ((frozenset({"peel"}),), (frozenset({"effectiveness"}), frozenset({"police "})))
    assert starts(r"(?i:\b(?:police|officers) in )Kent", 0) == frozenset({"police in kent", "officers in kent"})
    assert needs(r"safeguard(?:s|ing)? (?:vulnerable )?children") == ((frozenset({"safeguard"}), frozenset({"children"})),)
    assert needs(r"\w+ly") is None                                        # no word: always a candidate
    assert starts(r"in harm['’]s way") == frozenset({"in harm's way", "in harm?s way"})
    assert starts(r"(?:police )?custody") == frozenset({"police ", "custody"})
    assert starts(r"(?:^|\. )commissioned") is None                       # may begin anywhere a sentence does


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_guard_never_turns_away_a_rule_that_matches(rule):
    from ncpi.rules.needs import Guard, fold, may_match
    guard = Guard.of(rule.pattern, rule.flags)
    for text in _texts():
        m, folded = rule.regex.search(text), fold(text)
        assert may_match(guard.need, folded) or m is None, (rule.id, text[:120])
        assert guard.leftmost(text, folded) == (m and m.start()), (rule.id, text[:120])


@pytest.mark.parametrize("name", sorted(_lexicons()))
def test_lexicon_with_its_guard_finds_what_the_plain_alternation_finds(name):
    lex = _lexicons()[name]
    for text in _texts():
        plain, guarded = lex.regex.search(text), lex.search(text)
        assert (plain and (plain.span(), plain.lastgroup)) == (guarded and (guarded.span(), guarded.lastgroup)), text[:120]
        hit = lex.first(text)
        assert (hit and (hit.start, hit.end, hit.rule.id)) == \
            (plain and (plain.start(), plain.end(), lex.rules[int(plain.lastgroup[1:])].id)), text[:120]
        assert lex.sub(" ", text) == lex.regex.sub(" ", text)
