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

# Phrases whose concern word reports the concern's removal ("reduced its backlog").
POSITIVE_OVERRIDES = re.compile(
    r"\b(?:reduc(?:ed|ing|tion in)|cut(?:ting)?|tackled|addressed|cleared|eliminated|fewer)\b(?: \w+){0,4}? (?:delays?|backlogs?|concerns?|time taken)|"
    r"(?:no|fewer) (?:delays?|concerns?|backlogs?)|\bimproved\b(?! (?:but|however))|has improved|have improved|"
    r"(?:clear|significant|good|encouraging|some) (?:signs of )?(?:improvements?|progress)|made (?:good |clear |some |encouraging |significant |real )?(?:progress|improvements?|steps)|"
    r"important steps|acted decisively|should (?:help|enable|allow|ensure)",
    re.I,
)
# Phrases that only look like concerns: passing concerns on, preventing a harm.
NEUTRAL = re.compile(
    r"\b(?:refer|pass|share|report)(?:s|red|ed|ring|ing)? (?:on )?(?:their |any |these |those |its )?concerns|"
    r"(?:so|ensur\w*) that (?:\w+ ){0,6}?(?:do|does|are|is|were|was) not",
    re.I,
)
# Concern cues: criticism, shortfall, negation of good practice, work still to do.
NEGATIVE = re.compile(
    r"\bconcern(?:s|ed|ing)?\b|inadequa|\bdelay(?:s|ed|ing)?\b|backlog|\black(?:s|ed|ing)?\b|\bpoor(?:ly)?\b|\bslow(?:ly)?\b|"
    r"\bneeds? to\b|\bneeded to\b|\bshould\b|\bmust\b|\byet to\b|\bweak(?:ness|nesses)?\b|\bhinder|substandard|"
    r"disparit|inconsisten|requir(?:es|ed|ing) improvement|criticis|\bfail(?:s|ed|ing|ure)?\b|prone to|insufficient|"
    r"\bnot\b(?! only)|n[\'’]t\b|\bno effort|\brarely\b|\bseldom\b|\bnever\b|\bwithout the (?:right|necessary)|"
    r"\btoo (?:many|few|often|long|slow|little|much)\b|\boverdue\b|out of date|\bwaiting\b|let down|"
    r"\blimited\b|\bvar(?:ied|ies|iable)\b|\bgaps?\b|shortfall|worr|room to improve|(?:work|more) to do|undermin|struggl|\bproblems?\b|unclear|"
    r"could do more|could be done|more could be done|more needs|areas? (?:of|for) (?:concern|improvement)|"
    r"(?:further|more) (?:work|improvements?|action)|(?:is|was|are|were) (?:still )?needed|"
    r"non-specialist|inexperienced|unable|missed|risk of harm was not|no evidence|"
    r"ineffective|\bbelow\b|low (?:level|number)|only \d|\bslower\b|(?<!no )\blonger\b(?![- ]term)|patchy|low(?:er)? priority|overwhelm|(?:high|heavy|excessive|unmanageable) (?:workloads?|caseloads?)|deteriorat|\bworse\b|\bunsure\b|\bunaware\b|confus|"
    r"\b(?:no|little) (?:real |significant |clear |discernible )?(?:improvement|progress|change)\b|"
    # "made it difficult for officers to see ...", "it was hard to find ...": an obstacle.
    r"\b(?:made|make|makes|making|found|find|finds)\s+it\s+(?:very\s+|more\s+|too\s+|so\s+)?(?:difficult|hard(?:er)?)\b|"
    r"\b(?:is|was|were|are|be|been)\s+(?:very\s+|often\s+|too\s+|more\s+)?(?:difficult|hard(?:er)?)\s+(?:to|for)\b",
    re.I,
)
# Praise cues: strength, improvement, action taken.
POSITIVE = re.compile(
    r"improv|progress|\bgood\b|\bstrong(?:ly)?\b|strength|effective|commit|encourag|impress|\binvest(?:ed|ing|ment|s)?\b|robust|success|\bbetter\b|"
    r"\bclear\b|well[- ]informed|\bwell\b|positive|innovative|excellent|outstanding|introduced|developed|initiative|"
    r"refreshed|additional|enhanced|ensur|recogni[sz]|appetite for change|dedicat|determin|proactive|thorough|"
    r"consistent(?:ly)? (?:good|approach)|allocated extra|highlighted good|good examples|praised|welcomed|appropriate|"
    r"\bquick(?:ly|er)?\b|\bprompt(?:ly)?\b|\btimely\b|more closely|\bcloser\b|expanded|increased|fully staffed|"
    r"\broutinely\b|acted on|taken [^.]{0,40}seriously|made (?:a number of |some |several |many )?changes|"
    r"\bimplemented\b|\bconsistent(?:ly)?\b|\bpriority\b|(?:taking|taken|take|took) (?:\w+ )?(?:action|steps)\b|"
    r"restructured|reorganised|appointed|established|\bcreated\b|\bset up\b|\blaunched\b",
    re.I,
)


# A non-restrictive relative clause recalling the past ("Cambridgeshire, which was
# criticised last year for ..., has reorganised ...") is background: the main clause judges.
RELATIVE_ASIDE = re.compile(r",\s+(?:which|who)\s+(?:was|were|had been|has been|have been)\s+[^,;]{3,150},")

PERSISTS = re.compile(r"\b(?:still|remains?|remained)\b", re.I)

NOW = re.compile(r"\bnow\b(?! (?:needs?|has to|must))", re.I)


def polarity_of(text: str, default: str | None = None) -> str | None:
    main = RELATIVE_ASIDE.sub(",", text)
    found = _polarity(main) if main != text else None
    if found is None:
        found = _polarity(text)
    return default if found is None else found


@lru_cache(maxsize=8192)   # a finding's text is read more than once (head, halves, whole)
def _polarity(text: str) -> str | None:
    text = NEUTRAL.sub(" ", text)
    if NEGATIVE.search(text):
        # A concern cue inside a praise override ("reduced delays") is not a concern.
        stripped = POSITIVE_OVERRIDES.sub(" ", text)
        if NEGATIVE.search(stripped):
            return "negative"
        return "positive"
    if POSITIVE_OVERRIDES.search(text) or POSITIVE.search(text):
        return "positive"
    # With no other cue, a state that persists is a problem that has not gone away:
    # "children are still held overnight in police cells".
    if PERSISTS.search(text):
        return "negative"
    # ... and a practice that is "now" in place is a change made since: "operators now check
    # for previous incidents at the address".
    if NOW.search(text):
        return "positive"
    return None
