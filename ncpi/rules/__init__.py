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
class Lexicon:
    """Rules of one family matched in ONE scan: a single compiled alternation with one named
    group per rule, in the records' order. search() finds the leftmost cue of any rule
    (at one position, the earlier record wins): the same answer as the alternation of all
    the patterns, with the deciding rule named."""
    rules: tuple[Rule, ...]
    flags: int = re.I
    _groups: dict[str, Rule] = field(init=False, repr=False)

    def __post_init__(self):
        self._groups = {f"r{k}": r for k, r in enumerate(self.rules)}

    @cached_property
    def regex(self) -> re.Pattern:
        # A rule's own named groups (its cue) would clash across rules: in the alternation
        # they only group; first() re-reads the winning rule with its own pattern.
        return re.compile("|".join(f"(?P<r{k}>{INNER_NAME.sub('(?:', r.pattern)})" for k, r in enumerate(self.rules)),
                          self.flags)

    def first(self, text: str, pos: int = 0) -> Hit | None:
        m = self.regex.search(text, pos)
        if m is None:
            return None
        name = next(g for g, v in m.groupdict().items() if v is not None and g in self._groups)
        return Hit(self._groups[name], m.start(), m.end(), m.group(0))

    def search(self, text: str) -> re.Match | None:
        return self.regex.search(text)

    def match(self, text: str) -> re.Match | None:
        return self.regex.match(text)

    def sub(self, repl: str, text: str) -> str:
        return self.regex.sub(repl, text)


INNER_NAME = re.compile(r"\(\?P<\w+>")


@dataclass
class RuleSet:
    """Rules whose precedence is record order, decided in ONE scan of the text.

    first(text) gives what first_in_order gives: the earliest record that applies anywhere.
    The alternation of all patterns is searched position by position (each search resumes
    one character after the last match began). At a position, the alternation returns the
    lowest-numbered rule matching there, so the lowest number seen over all positions is the
    earliest record matching anywhere. A rule whose veto (`unless`) is in the text is
    skipped, and the scan goes on to find the next record that applies."""
    rules: tuple[Rule, ...]
    flags: int = re.I

    def __post_init__(self):
        odd = [r.id for r in self.rules if r.flags != self.flags]
        if odd:   # one alternation has one set of flags: a rule with others would match differently
            raise ValueError(f"RuleSet rules must share flags {self.flags}: {odd}")

    @cached_property
    def regex(self) -> re.Pattern:
        # A rule's own named groups (its cue) would clash across rules: in the alternation
        # they only group; first() re-reads the winning rule with its own pattern.
        return re.compile("|".join(f"(?P<r{k}>{INNER_NAME.sub('(?:', r.pattern)})" for k, r in enumerate(self.rules)),
                          self.flags)

    def first(self, text: str) -> Hit | None:
        best: tuple[int, re.Match] | None = None
        vetoed: set[int] = set()
        pos, search = 0, self.regex.search
        while (m := search(text, pos)) is not None:
            k = int(m.lastgroup[1:]) if m.lastgroup else _group_index(m)
            if (best is None or k < best[0]) and k not in vetoed:
                if self.rules[k].veto is not None and self.rules[k].veto.search(text):
                    vetoed.add(k)
                    return _first_in_order_after(self.rules, text, vetoed, best)
                best = (k, m)
            if best[0] == 0:
                break
            pos = m.start() + 1
        if best is None:
            return None
        k, m = best
        own = self.rules[k].regex.match(text, m.start())     # the rule's own span at that place
        return Hit(self.rules[k], m.start(), own.end() if own else m.end(), (own or m).group(0))


def _group_index(m: re.Match) -> int:
    # lastgroup names the last group closed: a rule's inner groups close after its own.
    return min(int(g[1:]) for g, v in m.groupdict().items() if v is not None and g[:1] == "r" and g[1:].isdigit())


def _first_in_order_after(rules, text, vetoed, best) -> Hit | None:
    # A vetoed rule can hide later records at its positions: decide the rest rule by rule.
    return first_in_order(tuple(r for k, r in enumerate(rules) if k not in vetoed), text)


def first_in_order(rules: tuple[Rule, ...], text: str) -> Hit | None:
    """The first rule IN RECORD ORDER whose pattern matches anywhere (precedence = order)."""
    for r in rules:
        m = r.applies(text)
        if m:
            return Hit(r, m.start(), m.end(), m.group(0))
    return None
