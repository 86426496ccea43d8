"""Reading rules as data: each rule is a record with an id, its pattern, what it decides,
and examples and counter-examples in the phrasing of real releases.

The parser reads its patterns from these records (ncpi/rules/*.py) and names the deciding
rule in the rows it writes (findings.polarity_rule, findings.theme_rule,
inspections.kind_rule, statements.role_rule), so `ncpi explain <id>` can say why a value
is what it is. tests/test_rules.py runs every record's examples;
docs/extraction-rules.md is generated from the records (`python -m ncpi.rules.doc`).

    >>> from ncpi.rules.polarity import NEGATIVE_CUES
    >>> hit = NEGATIVE_CUES.first("there were delays in examining devices")
    >>> hit.rule.id, hit.cue
    ('polarity.negative.delay', 'delays')
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from ncpi.rules.needs import Guard, fold, may_match


@dataclass(frozen=True)
class Rule:
    """One reading rule. `decides` is the vocabulary value (or flag, or verdict) it gives."""
    id: str
    decides: str
    pattern: str
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]
    why: str = ""
    unless: str = ""          # a pattern that, found in the same text, vetoes the rule
    flags: int = re.I

    @cached_property
    def regex(self) -> re.Pattern:
        return re.compile(self.pattern, self.flags)

    @cached_property
    def veto(self) -> re.Pattern | None:
        return re.compile(self.unless, self.flags) if self.unless else None

    def applies(self, text: str) -> re.Match | None:
        """The rule's match in text, unless its veto is found there too."""
        m = self.regex.search(text)
        if m is None or (self.veto is not None and self.veto.search(text)):
            return None
        return m

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]


@dataclass(frozen=True)
class Hit:
    """A rule that matched, where, and the words it matched (the cue)."""
    rule: Rule
    start: int
    end: int
    cue: str


class Decided(str):
    """A value read from the text that remembers the rule that decided it and its cue.

    It is the plain string everywhere (comparisons, dict keys, JSON); rows take `.rule`
    into their *_rule columns. A value with no rule (a default) is a plain str."""
    rule: str
    cue: str

    def __new__(cls, value: str, rule: str, cue: str = "") -> "Decided":
        obj = super().__new__(cls, value)
        obj.rule, obj.cue = rule, cue
        return obj

    def __reduce__(self):   # pickles (process pool, lru_cache copies) keep the rule
        return (Decided, (str(self), self.rule, self.cue))


def rule_of(value: str | None, default: str) -> str | None:
    """The rule id behind a value: its own when Decided, else `default` (None stays None)."""
    if value is None:
        return None
    return getattr(value, "rule", default)


@dataclass
class _Family:
    """Rules compiled together: one alternation (a named group per record, in order) and
    each record's guard (ncpi/rules/needs.py), both read with the family's flags."""
    rules: tuple[Rule, ...]
    flags: int = re.I

    @cached_property
    def regex(self) -> re.Pattern:
        return _alternation(self.rules, self.flags)

    @cached_property
    def _guards(self) -> tuple[Guard, ...]:
        # Each rule as the alternation reads it: the family's flags, not the record's own.
        return tuple(Guard.of(r.pattern, self.flags) for r in self.rules)


@dataclass
class Lexicon(_Family):
    """Rules of one family matched in ONE scan: a single compiled alternation with one named
    group per rule, in the records' order. search() finds the leftmost cue of any rule
    (at one position, the earlier record wins): the same answer as the alternation of all
    the patterns, with the deciding rule named.

    A guard comes first (ncpi/rules/needs.py): the rules whose words are all in the text are
    the only ones that can match, and most texts hold none. Each candidate is tried alone
    (at its start words, when it has them); the alternation then decides at the leftmost
    place any of them matched, which is where its own search would have stopped."""
    _groups: dict[str, Rule] = field(init=False, repr=False)

    def __post_init__(self):
        self._groups = {f"r{k}": r for k, r in enumerate(self.rules)}

    def candidates(self, text: str) -> list[int]:
        """Indexes of the rules that may match somewhere in text (the others cannot)."""
        folded, seen = fold(text), {}
        return [k for k, g in enumerate(self._guards) if may_match(g.need, folded, seen)]

    def first(self, text: str, pos: int = 0) -> Hit | None:
        m = self.search(text, pos)
        if m is None:
            return None
        # The rule's group encloses the whole match, so it closes last: lastgroup names it.
        return Hit(self._groups[m.lastgroup], m.start(), m.end(), m.group(0))

    def search(self, text: str, pos: int = 0) -> re.Match | None:
        folded, best, seen = fold(text), None, {}
        for g in self._guards:
            if may_match(g.need, folded, seen):
                p = g.leftmost(text, folded, pos=pos, before=best)     # only a place before best
                if p is not None:
                    best = p
        return self.regex.match(text, best) if best is not None else None

    def match(self, text: str) -> re.Match | None:
        return self.regex.match(text)      # anchored: fails at the first letters, no guard needed

    def sub(self, repl: str, text: str) -> str:
        return self.regex.sub(repl, text) if self.candidates(text) else text


def _alternation(rules: tuple[Rule, ...], flags: int) -> re.Pattern:
    # A rule's own named groups (its cue) would clash across rules: in the alternation
    # they only group; first() re-reads the winning rule with its own pattern.
    return re.compile("|".join(f"(?P<r{k}>{INNER_NAME.sub('(?:', r.pattern)})" for k, r in enumerate(rules)), flags)


INNER_NAME = re.compile(r"\(\?P<\w+>")
FEW_CANDIDATES = 4     # a RuleSet tries up to this many candidate records one by one, more in one scan


@dataclass
class RuleSet(_Family):
    """Rules whose precedence is record order, decided in ONE scan of the text.

    first(text) gives what first_in_order gives: the earliest record that applies anywhere.
    The alternation of all patterns is searched position by position (each search resumes
    one character after the last match began). At a position, the alternation returns the
    lowest-numbered rule matching there, so the lowest number seen over all positions is the
    earliest record matching anywhere. A rule whose veto (`unless`) is in the text is
    skipped, and the scan goes on to find the next record that applies."""

    def __post_init__(self):
        odd = [r.id for r in self.rules if r.flags != self.flags]
        if odd:   # one alternation has one set of flags: a rule with others would match differently
            raise ValueError(f"RuleSet rules must share flags {self.flags}: {odd}")

    def first(self, text: str) -> Hit | None:
        # The guard (ncpi/rules/needs.py) leaves the records that may match; a few are tried
        # in order, more in one scan. Either way the answer is first_in_order's.
        folded, seen = fold(text), {}
        ks = [k for k, g in enumerate(self._guards) if may_match(g.need, folded, seen)]
        if len(ks) > FEW_CANDIDATES:
            return self._scan(text, ks[0])
        for k in ks:
            rule, at = self.rules[k], self._guards[k].leftmost(text, folded)
            if at is not None and not (rule.veto is not None and rule.veto.search(text)):
                m = rule.regex.match(text, at)      # what rule.regex.search(text) finds
                return Hit(rule, m.start(), m.end(), m.group(0))
        return None

    def _scan(self, text: str, lowest: int) -> Hit | None:
        """The one scan; `lowest` is the earliest record that may match (none before it can)."""
        best: tuple[int, re.Match] | None = None
        pos, search = 0, self.regex.search
        while (m := search(text, pos)) is not None:
            k = int(m.lastgroup[1:])     # the rule's group encloses its match, so it closes last
            if best is None or k < best[0]:
                if self.rules[k].veto is not None and self.rules[k].veto.search(text):
                    # A vetoed rule can hide later records at its places: decide them one by one.
                    return first_in_order(self.rules[:k] + self.rules[k + 1:], text)
                best = (k, m)
            if best[0] == lowest:
                break
            pos = m.start() + 1
        if best is None:
            return None
        k, m = best
        own = self.rules[k].regex.match(text, m.start())     # the rule's own span at that place
        return Hit(self.rules[k], m.start(), own.end() if own else m.end(), (own or m).group(0))


def first_in_order(rules: tuple[Rule, ...], text: str) -> Hit | None:
    """The first rule IN RECORD ORDER whose pattern matches anywhere (precedence = order)."""
    for r in rules:
        m = r.applies(text)
        if m:
            return Hit(r, m.start(), m.end(), m.group(0))
    return None
