"""Findings: units of assessment read from the narrative, one per bullet, enumerated
item or sentence (split at a contrast when the halves differ in polarity)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ncpi import vocab
from ncpi.parse.polarity import polarity_of
from ncpi.rules import Decided
from ncpi.rules import polarity as polarity_rules
from ncpi.parse.themes import theme_of

BOILERPLATE = re.compile(
    r"rolling programme|is inspecting the child protection|under the national child protection|"
    r"can be contacted|press office|independent inspectorate|took on responsibility|renamed|"
    r"inspects all 43|will continue to (?:regularly )?monitor|will be reporting further|"
    r"reports? (?:provide|are intended)|copy of the full report|get the report|integral part of the ncpi|"
    r"^today['’]s report (?:details|is based)|will continue to be inspected|"
    r"as part of (?:a|our|the) (?:rolling )?(?:programme|ncpi)|"
    r"^(?:following [^,]{3,60}, )?(?:in [a-z]+ \d{4},? )?(?:hmic\w*|we|inspectors|hmic\w* inspectors|the inspectorate) (?:have |has |had )?(?:conducted|carried out|initially inspected|first inspected|went back|returned|revisited|inspected)|"
    r"^due to these concerns|(?:will|would) continue to (?:\w+ )?(?:monitor|assess|inspect|review|check)|will be (?:assessed|inspected|reviewed|examined)",
    re.I,
)
# The inspectorate describing its own work ("Inspectors visited the force in November 2018
# to assess ...", "we committed to publishing an update") rather than a result; such a
# sentence is a finding only when it also reports what was found (RESULT).
PROCESS = re.compile(
    r"\b(?:we|hmic\w*|the inspectorate|inspectors|it|they)\s+(?:then\s+|also\s+|first\s+)?(?:has\s+|have\s+|had\s+|will\s+|would\s+)?(?:been\s+)?(?:committed\s+to\s+)?"
    r"(?:assess(?:ed|ing)?|inspect(?:ed|ing)?|publish(?:ed|ing)?|monitor(?:ed|ing)?|visit(?:ed|ing)?|returned|revisited|went back|carried out|carry out|conduct(?:ed|ing)?)\b|"
    r"^the (?:inspection|review|re-inspection|assessment)\b[^.]*?\b(?:assessed|examined|looked at|considered) (?:how|whether)",
    re.I,
)
RESULT = re.compile(r"\b(?:found|raised|identified|concluded|highlighted|criticised|praised)\b", re.I)
# "These included A, B and C", also reported ("The inspectorate said these included ..."),
# and "Among the changes: A, B and C".
ENUM_START = re.compile(r"^(?:(?:[A-Z][\w'’ ]{0,40}?\s)?(?:said|says|found)\s+(?:that\s+)?)?"
                        r"(?:(?:These|They|Those|Concerns|Other (?:improvements|concerns|areas)|Areas (?:for|of) (?:improvement|concern)|Improvements|Strengths|Weaknesses|Changes)\s+(?:include|included|are|were)\s*:?\s+|"
                        r"Among (?:the|its|other) (?:changes|improvements|concerns|strengths|problems|weaknesses)\s*:\s+)", re.I)
ENUM_MID = re.compile(r",?\s+(?:in particular|particularly|including|such as)(?:\s+(?:on|in|with))?\s+(?=\S)", re.I)
# Two items joined by "and" with no comma are a list only when they run in parallel:
# both open with a gerund ("improving ... and reducing ...") or a determiner ("the ... and the ...").
PARALLEL_ITEM = re.compile(r"^(?:(?:on|in|with)\s+)?(?:\w+ing\b|the\b|its\b|their\b|a\b|an\b)", re.I)
CONTRAST = re.compile(r",?\s+but\s+|;\s*however,?\s+|,\s*however,\s+|\.\s*However,\s+|,\s+(?:although|though|whilst|while|yet)\s+|^(?:Although|Whilst|While|Despite)\s+|\bthat,?\s+(?:although|whilst|while|despite)\s+", re.I)
# "found that A, and that B": each "that"-clause a report introduces is its own finding.
# Only after a reporting "that" ("found that", "said that"), so "and that was ..." stays whole.
REPORTED_THAT = re.compile(r"\b(?:found|said|says|warned|noted|concluded|added|showed|highlighted|recognised|reported)\s+that\s+", re.I)
AND_THAT = re.compile(r",?\s+and\s+(?:also\s+)?that\s+(?=\S)", re.I)
REPORTING_LEAD = re.compile(r"(?:(?:said|found|warned|added|noted|concluded)\s+)?that\s+|(?:said|found|warned|added|noted)\s+(?=\w)", re.I)
TRAILER = re.compile(r"(?:,|;)?\s*(?:according to [^.]*|(?:a|the|its) (?:new |latest )?report (?:by|from) [^,.]{3,80}? (?:has )?(?:found|said|says)|an inspection (?:has )?found|inspectors (?:have )?(?:found|said)|the (?:police )?(?:report|inspectorate|watchdog|inspectors|review) (?:has |have )?(?:found|said))\s*\.?$", re.I)
# A sentence assesses a force when it names the force, its people or its work with children.
SUBJECT_CUE = re.compile(r"\b(?:force|forces|constabulary|police|officers|staff|inspect\w*|HMIC\w*|report|review|it|its|their|children|child|leaders|teams?|cases|"
                         r"investigations?|supervis\w*|referrals?|offenders|partners(?:hip)?|records?|recorded|risk assessments?|control room|call handlers)\b", re.I)
PERCENT = re.compile(r"(?P<v>\d{1,3}(?:\.\d+)?)\s*(?:per ?cent|percent|%)", re.I)
_CASES = r"(?:cases|case files|investigations|referrals|incidents)"
# Counts of cases; the sample size ("Of the 92 cases examined") is never the value.
COUNTS = [
    re.compile(rf"(?P<v>\d{{1,5}})\s*(?:\(\s*\d{{1,3}}(?:\.\d+)?\s*(?:per ?cent|percent|%)\s*\)\s*)?(?:out\s+)?of\s+(?:the\s+)?(?P<n>\d{{1,5}})\s+{_CASES}", re.I),
    re.compile(rf"\bof\s+the\s+(?P<n>\d{{1,5}})\s+{_CASES}\b[^.;]{{0,60}}?,\s+(?:only\s+|just\s+)?(?P<v>\d{{1,5}})\s+(?:were|was|had|are)\b", re.I),
    re.compile(rf"(?<![\d,.])(?P<v>\d{{1,5}})\s+(?:(?:further|more|other)\s+)?{_CASES}\s+(?:were|was|had|are)\b", re.I),
]


DIGIT = re.compile(r"\d")
# What a figure must be about to count as a measured finding.
MEASURED = re.compile(r"\bcases?\b|graded|good|inadequate|requir", re.I)
# List punctuation at an item's end ('; and', ';', a trailing 'and'), and the endings it needs.
LIST_PUNCT = re.compile(r"(?:[;,.]\s*(?:and|or)?|\s+and|\s+or)\s*$")
LIST_PUNCT_ENDS = (";", ",", ".", "and", "or")
LIST_MARK_SLACK = 2   # start the search this many characters before the words the mark may precede
TRAILER_VERB_REACH = 8   # characters at the end read for TRAILER's closing verb
LIST_PIECE = re.compile(r"[^,;]+")                         # an enumeration's items, between commas
LEADING_CONJUNCTION = re.compile(r"^\s*(?:and|or)\s+")   # "and X" as the last item


@dataclass
class Unit:
    start: int
    end: int
    text: str
    polarity: str
    theme: str
    value: float | None = None
    unit: str | None = None


def clean_item(text: str, start: int) -> tuple[str, int, int]:
    """Strip list punctuation ('; and', ';', trailing 'and') keeping offsets honest."""
    s = text
    # LIST_PUNCT can only match where the text, trailing space aside, ends in one of these.
    m = _list_punct(s)
    if m:
        s = s[: m.start()]
    lead = len(s) - len(s.lstrip())
    s = s.strip()
    return s, start + lead, start + lead + len(s)


def _list_punct(s: str) -> re.Match | None:
    """LIST_PUNCT's match, searched from where it can begin: at most one mark, then only
    space and a last 'and' or 'or' before the end."""
    t = s.rstrip()
    if not t.endswith(LIST_PUNCT_ENDS):
        return None
    k = len(t) - (len("and") if t.endswith("and") else len("or") if t.endswith("or") else 0)
    # The mark, if any, is the character before the space that precedes the conjunction.
    return LIST_PUNCT.search(s, max(0, len(t[:k].rstrip()) - LIST_MARK_SLACK))


def _may_trail(text: str) -> bool:
    """Can TRAILER match? It ends 'found', 'said' or 'says' (a full stop aside) or runs from 'according to'."""
    t = text.rstrip()
    t = t[:-1].rstrip() if t.endswith(".") else t
    return t[-TRAILER_VERB_REACH:].casefold().endswith(("found", "said", "says")) or "according to " in text.casefold()


def quantity(text: str) -> tuple[float | None, str | None]:
    if not DIGIT.search(text):   # every figure has a digit
        return None, None
    m = PERCENT.search(text)
    if m:
        return float(m.group("v")), "percent"
    for pat in COUNTS:
        m = pat.search(text)
        if m:
            return float(m.group("v")), "cases"
    return None, None


def is_quantitative(text: str) -> bool:
    """A measured figure (a percentage or a count of cases) about cases or grades."""
    return bool(DIGIT.search(text) and (PERCENT.search(text) or any(p.search(text) for p in COUNTS))
                and MEASURED.search(text))


def split_enumeration(text: str, start: int) -> list[tuple[str, int, int]] | None:
    m = ENUM_START.match(text) or None
    if m is None:
        m2 = ENUM_MID.search(text)
        if not m2:
            return None
        tail = text[m2.end():].rstrip(". ")
        if " and " not in tail:
            return None
        if tail.count(",") < 1:
            a, b = tail.split(" and ", 1)
            if not (PARALLEL_ITEM.match(a) and PARALLEL_ITEM.match(b)) or len(a.split()) < 2 or len(b.split()) < 2:
                return None
        elif len(tail.split(",", 1)[0].split()) < 2 and m2.group(0).split()[-1].lower() not in ("on", "in", "with"):
            # "whether children were particularly vulnerable, both when ... and in how ...":
            # the cue qualifies one word, it does not open a list.
            return None
        body_start = m2.end()
    else:
        body_start = m.end()
    body = text[body_start:].rstrip(". ")
    pieces: list[tuple[int, int]] = []
    for part in LIST_PIECE.finditer(body):
        pieces.append((part.start(), part.end()))
    if not pieces:
        return None
    # The last piece holds "X and Y": split at its first " and ".
    a, b = pieces[-1]
    last = body[a:b]
    k = last.find(" and ")
    if k > 0 and len(pieces) >= 1:
        pieces[-1] = (a, a + k)
        pieces.append((a + k + 5, b))
    items = []
    for a, b in pieces:
        seg = body[a:b]
        seg = LEADING_CONJUNCTION.sub(lambda mm: " " * len(mm.group(0)), seg)
        lead = len(seg) - len(seg.lstrip())
        s = seg.strip()
        if len(s.split()) >= 2:
            off = start + body_start + a + lead
            items.append((s, off, off + len(s)))
    return items if len(items) >= 2 else None


def split_contrast(text: str, start: int) -> list[tuple[str, int, int]]:
    m = CONTRAST.search(text)
    if not m or m.start() == 0 and not m.group(0).strip():
        return [(text, start, start + len(text))]
    if m.start() == 0 or m.group(0).lower().startswith("that"):
        # "Despite X, Y" / "found that, whilst X, Y": the subordinate clause runs to the next comma.
        comma = text.find(",", m.end())
        if comma < 0:
            return [(text, start, start + len(text))]
        left = (text[m.end():comma], start + m.end(), start + comma)
        rest = text[comma + 1:]
        lead = len(rest) - len(rest.lstrip())
        right = (rest.strip(), start + comma + 1 + lead, start + comma + 1 + lead + len(rest.strip()))
    else:
        left = (text[: m.start()], start, start + m.start())
        right = (text[m.end():], start + m.end(), start + len(text))
    return [left, right]


# "18 were assessed as good", "25 as requiring improvement", "17 (28 percent) inadequate".
GRADED_ITEM = re.compile(
    r"(?P<n>\d{1,4})(?:\s*\(\s*\d{1,3}(?:\.\d+)?\s*(?:%|per ?cent)\s*\))?\s+(?:(?:cases|of them|case files)\s+)?"
    r"(?:(?:were|was)\s+)?(?:(?:assessed|judged|graded|rated|found|considered)\s+)?(?:(?:as|to be)\s+)?(?:being\s+)?"
    r"(?P<grade>outstanding|good|adequate|requir\w*\s+improvement|inadequate|poor)\b", re.I)


def grade_polarity(grade: str) -> Decided:
    """A printed grade's polarity (vocab.GRADE_POLARITY), naming the grade's rule:
    'requires improvement' and 'requiring improvement' are one grade."""
    key = grade.lower()
    key = "requires_improvement" if key.startswith("requir") else key
    if key not in vocab.GRADE_POLARITY:
        return Decided(polarity_rules.DEFAULTS["polarity.default.grade"][0], "polarity.default.grade", grade)
    return Decided(vocab.GRADE_POLARITY[key], f"polarity.grade.{key}", grade)


def split_graded_counts(text: str, start: int) -> list[Unit] | None:
    """A sentence that counts cases by grade gives one quantitative finding per grade:
    "Of the 60 cases we examined, 18 were assessed as good, 25 as requiring improvement
    and 17 as inadequate" → 18 good (positive), 25 requiring improvement and 17 inadequate
    (negative), each valued in `cases`. The first keeps the lead-in with the sample size.
    "adequate" meets the standard, so it counts as positive."""
    items = list(GRADED_ITEM.finditer(text))
    if len(items) < 2:
        return None
    out = []
    for k, m in enumerate(items):
        a = 0 if k == 0 else m.start()
        piece, a2, b2 = clean_item(text[a:m.end()], start + a)
        pol = grade_polarity(m.group("grade"))
        out.append(Unit(a2, b2, piece, pol, theme_of(piece), float(m.group("n")), "cases"))
    return out


def split_reported_clauses(text: str, start: int) -> list[tuple[str, int, int]]:
    """'Inspectors found that A, and that B' → the sentence up to A's end, and B."""
    lead = REPORTED_THAT.search(text)
    if not lead:
        return [(text, start, start + len(text))]
    out, a = [], 0
    for m in AND_THAT.finditer(text, lead.end()):
        out.append((text[a:m.start()], start + a, start + m.start()))
        a = m.end()
    out.append((text[a:], start + a, start + len(text)))
    return [p for p in out if len(p[0].split()) >= 3] if len(out) > 1 and all(len(p[0].split()) >= 3 for p in out) else [(text, start, start + len(text))]


# A news copy's grades run together on one line: "Working with partners is good - Leadership
# of child protection arrangements is adequate Responding to children at risk of harm
# requires improvement ...": one graded finding per area.
GRADE_IN_LINE = re.compile(
    r"(?P<area>[A-Z][^.;:]{2,90}?)\s+(?:is|are|was|were|requires?|required)\s+"
    r"(?P<grade>outstanding|good|adequate|improvement|inadequate)\b\s*[-–—,;]?\s*")


def split_grade_list(text: str, start: int) -> list[Unit] | None:
    """Two or more '<area> is|requires <grade>' in a row, nothing else: one unit each."""
    items = list(GRADE_IN_LINE.finditer(text))
    if len(items) < 2 or items[0].start() != 0 or "".join(m.group(0) for m in items).strip() != text.strip():
        return None
    out = []
    for m in items:
        grade = "requires improvement" if m.group("grade") == "improvement" else m.group("grade")
        item = m.group(0).rstrip(" -–—,;")
        out.append(Unit(start + m.start(), start + m.start() + len(item), item, grade_polarity(grade), theme_of(m.group("area"))))
    return out


def units_from_sentence(text: str, start: int, *, default_polarity: str | None = None) -> list[Unit]:
    """The findings of one sentence starting at `start` in the document, each a Unit."""
    rule, cue = getattr(default_polarity, "rule", None), getattr(default_polarity, "cue", None)
    return [Unit(u.start + start, u.end + start, u.text, u.polarity, u.theme, u.value, u.unit)
            for u in _sentence_units(text, default_polarity, rule, cue)]


@lru_cache(maxsize=8192)   # a pure function of the sentence (offsets from 0); releases repeat their wording
def _sentence_units(text: str, default_polarity: str | None, _rule: str | None, _cue: str | None) -> tuple[Unit, ...]:
    # The default's rule and cue are part of the key: equal strings may name different rules.
    return tuple(_read_sentence(text, 0, default_polarity))


def _read_sentence(text: str, start: int, default_polarity: str | None) -> list[Unit]:
    m = TRAILER.search(text) if _may_trail(text) else None
    if m and m.start() > 20:
        text = text[: m.start()]
    text = text.rstrip()
    if BOILERPLATE.search(text) or len(text.split()) < 4:
        return []
    if PROCESS.search(text) and not RESULT.search(text):
        return []
    graded = split_graded_counts(text, start) or split_grade_list(text, start)
    if graded:
        return graded
    clauses = split_reported_clauses(text, start)
    if len(clauses) > 1:
        whole = polarity_of(text, default_polarity)
        out = []
        for c, a, _b in clauses:
            out.extend(_units_of_clause(c, a, default_polarity or whole))
        return out
    return _units_of_clause(text, start, default_polarity)


# ", and some referrals were not made promptly": a second clause with its own subject.
AND_CLAUSE = re.compile(r",\s+and\s+(?=(?:the|some|many|most|too many|few|all|officers|supervisors|staff|call handlers|investigations|referrals|children|it|its|they)\b[^,;]{0,60}?\b(?:was|were|is|are|had|has|did|do|does|could|would)\b)", re.I)


def _units_of_clause(text: str, start: int, default_polarity: str | None) -> list[Unit]:
    m = AND_CLAUSE.search(text)
    if m and len(text[: m.start()].split()) >= 4 and len(text[m.end():].split()) >= 4:
        left, right = text[: m.start()], text[m.end():]
        lt, rt = theme_of(left), theme_of(right)
        if lt != rt and "overall" not in (lt, rt) and polarity_of(left) and polarity_of(right):
            return (_units_of_clause(left, start, default_polarity)
                    + _units_of_clause(right, start + m.end(), default_polarity))
    enum = split_enumeration(text, start)
    if enum:
        head = text[: enum[0][1] - start]
        pol = default_polarity or polarity_of(head) or polarity_of(text)
        out = []
        for item, a, b in enum:
            p = pol or polarity_of(item)
            if p:
                v, u = quantity(item)
                out.append(Unit(a, b, item, p, theme_of(item), v, u))
        return out
    halves = split_contrast(text, start)
    if len(halves) == 2:
        pols = [polarity_of(h[0]) for h in halves]
        if pols[0] and pols[1] and pols[0] != pols[1] and all(len(h[0].split()) >= 3 for h in halves):
            out = []
            for n, ((h, a, b), p) in enumerate(zip(halves, pols)):
                h2, a2, b2 = clean_item(h, a)
                # "... but said/found that X": the finding is X.
                lead = REPORTING_LEAD.match(h2) if n == 1 else None
                if lead and len(h2) - lead.end() > 10:
                    h2, a2 = h2[lead.end():], a2 + lead.end()
                v, u = quantity(h2)
                out.append(Unit(a2, b2, h2, p, theme_of(h2), v, u))
            return out
    pol = polarity_of(text, default_polarity)
    if pol is None:
        return []
    t2, a2, b2 = clean_item(text, start)
    v, u = quantity(t2)
    return [Unit(a2, b2, t2, pol, theme_of(t2), v, u)]
