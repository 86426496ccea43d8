"""The theme taxonomy as data: ordered rules, most specific first; `overall` is the fallback.

Two readings, in this order:
1. The head of the finding. A finding whose subject is training ("training for officers
   on hearing the voice of the child", "more officers have been trained to ...") is
   about training, whatever the training covers.
2. Otherwise the topic named first (missing children, exploitation, online abuse,
   devices, offenders, domestic abuse, custody, the child's voice), else the first
   matching rule of the stages. Topics come before the stages of the work, so a finding
   about missing children that also mentions schools is `missing_children`, not
   `partnership_working`.

Words every release uses ("vulnerable children", "children at risk") signal no theme:
only what is done about the risk does ("identify children at risk", "referrals").
"""
from __future__ import annotations

import re
from functools import lru_cache

from ncpi.rules import Decided, Hit
from ncpi.rules import themes as theme_rules

# The theme rules are records (ncpi/rules/themes.py); precedence is their order there.
HEAD_RULES = theme_rules.HEAD_RULES
BODY_RULES = theme_rules.BODY_RULES


# "X improved, following the introduction of Y": the trailing clause gives the cause or
# means; what improved (X) is the finding's subject, so X's theme is read first.
MEANS_CLAUSE = re.compile(r",\s+(?:following|after|thanks to|as a result of|through|by means of|because of)\s+", re.I)
CONTEXT_CLAUSE = theme_rules.CONTEXT_CLAUSE.regex


@lru_cache(maxsize=8192)   # a pure function of the text; releases repeat their wording
def theme_of(text: str) -> Decided:
    """The finding's theme, a Decided naming the rule (theme.overall.fallback when none)."""
    for clause in (MEANS_CLAUSE, CONTEXT_CLAUSE):
        m = clause.search(text)
        if m:
            head = _theme(text[: m.start()])
            if head != "overall":
                return head
    return _theme(text)


def _leftmost_topic(text: str) -> Hit | None:
    """Of the topic rules (theme_rules.TOPIC_RULES) matching, the one named first: "overdue
    visits to sex offenders have fallen, and the force now understands why children go
    missing" is about offenders (a second topic is context or a second clause). One scan:
    at one place, the earlier record."""
    return theme_rules.TOPICS.first(text)


def _theme(text: str) -> Decided:
    for rule in HEAD_RULES:
        m = rule.regex.search(text)
        # ... unless another theme's body rule is named before the head's cue.
        if m and not theme_rules.OTHER_THEMES[rule.id].search(text[: m.start("cue")]):
            return Decided(rule.decides, rule.id, m.group("cue"))
    hit = _leftmost_topic(text) or theme_rules.BODY.first(text)
    if hit:
        return Decided(hit.rule.decides, hit.rule.id, hit.cue)
    return Decided("overall", theme_rules.FALLBACK)
