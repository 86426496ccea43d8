"""Is a finding a strength (positive) or a concern (negative)? Lexicon rules, in order.

Concern cues win over praise cues in one clause ("still needs to improve"), because a
clause that mixes them is, in these releases, almost always a qualified criticism;
clauses of opposite polarity are split apart before this runs. A few phrases carry a
concern word but report its removal ("reduced its backlog", "refers concerns to
social care"); they are blanked out before the concern cues are read.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ncpi.rules import Decided, Hit, RuleSet
from ncpi.rules import polarity as rules

# The cue lexicons are rule records (ncpi/rules/polarity.py), each family matched in one
# scan, tried only where its cues' words occur (the guard in ncpi/rules/needs.py).
NEUTRAL = rules.NEUTRAL
POSITIVE_OVERRIDES = rules.POSITIVE_OVERRIDES
NEGATIVE = rules.NEGATIVE_CUES
POSITIVE = rules.POSITIVE_CUES


# A non-restrictive relative clause recalling the past ("Cambridgeshire, which was
# criticised last year for ..., has reorganised ...") is background: the main clause judges.
RELATIVE_ASIDE = re.compile(r",\s+(?:which|who)\s+(?:was|were|had been|has been|have been)\s+[^,;]{3,150},")

PERSISTS = rules.PERSISTS_RULE
NOW = rules.NOW_RULE
STATE = RuleSet((PERSISTS, NOW))   # record order: a persisting state before a practice now in place


def polarity_of(text: str, default: str | None = None) -> str | None:
    """positive, negative, or `default` when no cue decides; a Decided value names its rule."""
    main = RELATIVE_ASIDE.sub(",", text) if "which" in text or "who" in text else text
    found = _polarity(main) if main != text else None
    if found is None:
        found = _polarity(text)
    return default if found is None else found


@lru_cache(maxsize=8192)   # a finding's text is read more than once (head, halves, whole)
def _polarity(text: str) -> Decided | None:
    text = NEUTRAL.sub(" ", text)
    concern = NEGATIVE.first(text)
    if concern:
        # A concern cue inside a praise override ("reduced delays") is not a concern.
        remaining = NEGATIVE.first(POSITIVE_OVERRIDES.sub(" ", text))
        if remaining:
            return _decided(remaining)
        return _decided(POSITIVE_OVERRIDES.first(text))
    praise = POSITIVE_OVERRIDES.first(text) or POSITIVE.first(text)
    if praise:
        return _decided(praise)
    # With no other cue, a state that persists is a problem that has not gone away:
    # "children are still held overnight in police cells" ...
    # ... and a practice that is "now" in place is a change made since: "operators now check
    # for previous incidents at the address".
    return _decided(STATE.first(text))


def _decided(hit: Hit | None) -> Decided | None:
    return None if hit is None else Decided(hit.rule.decides, hit.rule.id, hit.cue)
