"""Is a finding a strength (positive) or a concern (negative)? Lexicon rules, in order.

Concern cues win over praise cues in one clause ("still needs to improve"), because a
clause that mixes them is, in these releases, almost always a qualified criticism;
clauses of opposite polarity are split apart before this runs.
"""
from __future__ import annotations

import re

POSITIVE_OVERRIDES = re.compile(
    r"\b(?:reduced|reducing|cut|tackled|addressed|cleared|eliminated) (?:the )?(?:delays?|backlogs?|concerns?)|"
    r"(?:no|fewer) (?:delays?|concerns?|backlogs?)|\bimproved\b(?! (?:but|however))|has improved|have improved|"
    r"(?:clear|significant|good|encouraging|some) (?:signs of )?(?:improvements?|progress)|made (?:good |clear |some |encouraging |significant )?(?:progress|improvements?|steps)|"
    r"important steps|acted decisively|should (?:help|enable|allow|ensure)",
    re.I,
)
NEGATIVE = re.compile(
    r"\bconcern(?:s|ed|ing)?\b|inadequa|\bdelays?\b|backlog|\black(?:s|ed|ing)?\b|\bpoor(?:ly)?\b|\bslow(?:ly)?\b|"
    r"\bneeds? to\b|\bneeded to\b|\bshould\b|\bmust\b|\byet to\b|\bnot yet\b|\bweak(?:ness|nesses)?\b|\bhinder|substandard|"
    r"disparit|inconsisten|requir(?:es|ed|ing) improvement|criticis|\bfail(?:s|ed|ing|ure)?\b|prone to|insufficient|"
    r"too long|not always|did not|does not|do not|were not|was not|wasn['’]t|isn['’]t|no effort|\blimited\b|"
    r"\bvar(?:ied|iable)\b|\bgaps?\b|shortfall|worr|room to improve|work to do|undermin|struggl|\bproblems?\b|unclear|"
    r"could do more|could be done|more could be done|more needs|areas? (?:of|for) (?:concern|improvement)|not reaching|"
    r"non-specialist|inexperienced|unable|missed|missing (?:“|\")?clear signs|risk of harm was not|no evidence|"
    r"serious concerns|not consistently|not sufficiently|not effective|ineffective|below|low (?:level|number)|only \d",
    re.I,
)
POSITIVE = re.compile(
    r"improv|progress|\bgood\b|\bstrong(?:ly)?\b|effective|commit|encourag|impress|\binvest(?:ed|ing|ment|s)?\b|robust|success|\bbetter\b|"
    r"\bclear\b|well[- ]informed|\bwell\b|positive|innovative|excellent|outstanding|introduced|developed|initiative|"
    r"refreshed|additional|enhanced|ensur|recogni[sz]|appetite for change|dedicat|determin|proactive|thorough|"
    r"effectively|consistent approach|allocated extra|highlighted good|good examples|praised|welcomed|appropriate",
    re.I,
)


def polarity_of(text: str, default: str | None = None) -> str | None:
    if NEGATIVE.search(text):
        # A negative cue inside a praise override ("reduced delays") is not a concern.
        stripped = POSITIVE_OVERRIDES.sub(" ", text)
        if NEGATIVE.search(stripped):
            return "negative"
        return "positive"
    if POSITIVE_OVERRIDES.search(text) or POSITIVE.search(text):
        return "positive"
    return default
