"""A Lexicon read only where it can match: at the places its rules' leading words occur.

A Lexicon (ncpi/rules/__init__.py) is one alternation; Python's `re` tries every
alternative at every character, so a family of sixty cues costs a few hundred
microseconds on one sentence. Most of those cues begin with a word ("delay", "not",
"should"). AnchoredLexicon finds, once, the literal words every match of each rule must
begin with (after zero-width checks such as a word boundary), looks them up in the
lower-cased text with str.find, and tries the alternation only at those places, in order.
The first place where it matches is where a search would have found the match, and at
that place the alternation gives the same rule and the same words: same answer as
Lexicon.first, a fraction of the work.

It falls back to the plain scan when a rule has no leading word, or when the text holds a
character whose lower case is not one character or that `re` folds onto an ASCII letter
(İ ı ſ K), so the lower-cased text and its offsets stay those of the text.
"""
from __future__ import annotations

import re
import re._constants as C
import re._parser as sre_parse
from dataclasses import dataclass, field

from ncpi.rules import Hit, Lexicon, RuleSet

ODD_CASE = "İıſK"          # characters `re` matches to ASCII letters under IGNORECASE, or that lower() widens
SMALL_CLASS = 4            # a character class this small is read as alternatives ("n['’]t")
ZERO_WIDTH = (C.AT, C.ASSERT, C.ASSERT_NOT)
REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)


def leading_words(pattern: str, flags: int = re.I) -> frozenset[str] | None:
    """Lower-case words one of which every match of `pattern` begins with, or None when
    some match may begin otherwise (a class, a repeat, a wildcard first)."""
    words, _complete = _lead(sre_parse.parse(pattern, flags).data)
    if words is None or "" in words or not all(_plain(c) for w in words for c in w):
        return None
    return frozenset(words)


def _plain(c: str) -> bool:
    """A character whose case-insensitive matches are exactly those lower() finds."""
    return c.isascii() or c.lower() == c.upper()


def _lead(items) -> tuple[set[str] | None, bool]:
    """(prefixes, complete): the literal beginnings of a sequence of parsed items, and
    whether each prefix is the whole of what the sequence matches."""
    prefixes, started = {""}, False
    for k, (op, av) in enumerate(items):
        if op in ZERO_WIDTH and not started:
            continue   # a word boundary or look-around before the first letter matches no text
        if op in REPEATS and not started:
            return _repeat_words(av, items[k + 1:]), False
        nxt = _item_words(op, av)
        if nxt is None:
            return prefixes, False
        words, complete = nxt
        prefixes, started = {p + w for p in prefixes for w in words}, True
        if not complete:
            return prefixes, False
    return prefixes, True


def _repeat_words(av, rest) -> set[str] | None:
    """A repeat first: a match begins with the repeated part, or (when it may be absent)
    with what follows it."""
    least, _most, sub = av
    words, _ = _lead(sub.data if hasattr(sub, "data") else sub)
    if least == 0:
        after, _ = _lead(rest)
        words = None if words is None or after is None else words | after
    return None if words is None or "" in words else words


def _item_words(op, av) -> tuple[set[str], bool] | None:
    if op is C.LITERAL:
        return {chr(av).lower()}, True
    if op is C.IN and len(av) <= SMALL_CLASS and all(o is C.LITERAL for o, _ in av):
        return {chr(c).lower() for _, c in av}, True
    if op is C.SUBPATTERN:
        return _branch_words([av[-1].data if hasattr(av[-1], "data") else av[-1]])
    if op is C.BRANCH:
        return _branch_words(av[1])
    return None


def _branch_words(alternatives) -> tuple[set[str], bool] | None:
    words, complete = set(), True
    for alt in alternatives:
        got, whole = _lead(alt.data if hasattr(alt, "data") else alt)
        if got is None or "" in got:
            return None
        words |= got
        complete = complete and whole
    return words, complete


@dataclass
class AnchoredLexicon:
    """Lexicon.first, tried only where a rule's leading word occurs (same answer)."""
    lexicon: Lexicon
    words: tuple[str, ...] | None = field(init=False)

    def __post_init__(self):
        found = [leading_words(r.pattern, r.flags) for r in self.lexicon.rules]
        self.words = None if any(w is None for w in found) else tuple(sorted(set().union(*found)))

    def places(self, text: str) -> list[int] | None:
        """Where a match may begin, in order; None when every place must be tried."""
        if self.words is None or any(c in text for c in ODD_CASE):
            return None
        low, out = text.lower(), set()
        for w in self.words:
            k = low.find(w)
            while k >= 0:
                out.add(k)
                k = low.find(w, k + 1)
        return sorted(out)

    def search(self, text: str) -> re.Match | None:
        places = self.places(text)
        if places is None:
            return self.lexicon.regex.search(text)
        match = self.lexicon.regex.match
        return next((m for p in places if (m := match(text, p)) is not None), None)

    def first(self, text: str) -> Hit | None:
        m = self.search(text)
        if m is None:
            return None
        groups = self.lexicon._groups
        rule = next(groups[g] for g, v in m.groupdict().items() if v is not None and g in groups)
        return Hit(rule, m.start(), m.end(), m.group(0))

    def sub(self, repl: str, text: str) -> str:
        """Lexicon.sub; the text itself when no rule can match."""
        places = self.places(text)
        return text if places == [] else self.lexicon.regex.sub(repl, text)


@dataclass
class AnchoredRuleSet:
    """RuleSet.first (record order, one alternation), tried only where a rule's leading word
    occurs: the lowest-numbered rule matching at any of those places, at its first place."""
    ruleset: RuleSet
    places: AnchoredLexicon = field(init=False)

    def __post_init__(self):
        self.places = AnchoredLexicon(Lexicon(self.ruleset.rules, self.ruleset.flags))
        if any(r.veto is not None for r in self.ruleset.rules):
            self.places.words = None   # a veto can hide later records: RuleSet decides those

    def first(self, text: str) -> Hit | None:
        places = self.places.places(text)
        if places is None:
            return self.ruleset.first(text)
        best, match = None, self.ruleset.regex.match
        for p in places:
            m = match(text, p)
            if m is None:
                continue
            k = next(int(g[1:]) for g, v in m.groupdict().items() if v is not None)
            if best is None or k < best[0]:
                best = (k, m)
                if k == 0:
                    break
        if best is None:
            return None
        k, m = best
        own = self.ruleset.rules[k].regex.match(text, m.start())     # the rule's own span at that place
        return Hit(self.ruleset.rules[k], m.start(), own.end() if own else m.end(), (own or m).group(0))
