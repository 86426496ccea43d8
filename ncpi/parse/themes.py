"""The theme taxonomy as data: ordered rules, most specific first; `overall` is the fallback.

Two readings, in this order:
1. The head of the finding. A finding whose subject is training ("training for officers
   on hearing the voice of the child", "more officers have been trained to ...") is
   about training, whatever the training covers.
2. Otherwise the first matching rule of RULES. Topics (missing children, exploitation,
   online abuse, devices, offenders, domestic abuse, custody, the child's voice) come
   before the stages of the work, so a finding about missing children that also
   mentions schools is `missing_children`, not `partnership_working`.

Words every release uses ("vulnerable children", "children at risk") signal no theme:
only what is done about the risk does ("identify children at risk", "referrals").
"""
from __future__ import annotations

import re
from functools import lru_cache

# A theme named by the finding's head: its cue (group `cue`) within the first few words, before any other rule's cue.
HEAD_RULES: list[tuple[str, str]] = [
    # "the force's work with schools in ..., where officers share information about ...":
    # the work with partners is the subject; what they share about is context.
    ("partnership_working", r"^\W*(?:[\w’'-]+\s+){0,5}?(?P<cue>work(?:s|ed|ing)?\s+(?:well\s+|closely\s+|more closely\s+|jointly\s+)?(?:with|alongside)\s+"
                            r"(?:the\s+|its\s+|their\s+|local\s+|other\s+|partner\s+)*(?:schools?|councils?|local authorit\w*|partners?\b|agencies|organisations|social (?:care|services|workers)|health\b|children['’]s services|NHS))"),
    ("training", r"^\W*(?:[\w’'-]+\s+){0,5}?(?:(?:have|has|had|were|are)\s+(?:been\s+|received\s+|undergone\s+|now\s+)*)?(?:(?:new|additional|more|further|better|specialist|vulnerability|mandatory|bespoke)\s+)*(?P<cue>train(?:ing|ed))\b"),
]

_DEVICES = r"(?:(?:digital|electronic|mobile|seized)\s+)*(?:devices?|phones?|computers?|laptops?|media)"

RULES: list[tuple[str, str]] = [
    # Examining devices is the most specific reading: "delays in examining phones in CSE cases".
    ("digital_forensics", r"digital (?:device|forensic|media|evidence)|electronic devices?|devices? (?:requiring|awaiting) examination|hi-tech crime|forensic examin|"
                          rf"(?:examin\w*|backlogs?|seized)\b(?:\s+(?:of|in|the|its|and|delays))*\s+{_DEVICES}|"
                          rf"{_DEVICES}(?:\s+and\s+{_DEVICES})?\s+(?:seized|awaiting|requiring|waiting)"),
    ("online_child_abuse", r"\bonline\b(?! child sexual exploitation)|\binternet\b|indecent images|\bIIOC\b|online abuse|social media|\bgrooming online"),
    # Exploitation (grooming, CSE) is the theme; "child sexual abuse" is the whole field's subject.
    ("child_sexual_exploitation", r"sexual(?:ly)? exploit|\bCSE\b"),
    # "missing" is about a child only when a person is missing: "the account was missing from the file" is not.
    ("missing_children", r"\bmissing\b(?!\s+(?:from\s+(?!home|care|school|their (?:home|placement)|foster|children['’]s homes?|placements?)|information|details|evidence|opportunit|records?|data))|absent from home|runaway|return interviews?"),
    ("offender_management", r"sex(?:ual)? offenders?|registered (?:sex )?offenders?|offender management|(?:those|offenders|people|individuals|adults|men|suspects) who (?:may )?pose (?:a |the )?(?:significant |high |serious |greatest )?(?:risk|danger|threat)|violent and sexual offenders|\bMAPPA\b|\bViSOR\b|dangerous offenders|risk posed by offenders|suspects? (?:could|might) pose"),
    ("domestic_abuse", r"domestic (?:abuse|violence|incidents?)"),
    ("custody", r"\bcustody\b|\bdetention\b|detained|\bcells?\b"),
    ("voice_of_the_child", r"voice of the child|(?:child|children)['’]s?\s+(?:own\s+)?(?:views|voices?|wishes|feelings)|trusted adult|demeanour|how (?:the )?(?:child|children|young people) (?:appeared|presented|seemed|behaved)|what (?:the )?(?:child|children|young people) (?:had |have |has )?(?:said|say|says|told)|(?:child|children)['’]s?\s+accounts?\b|\bviews(?: and \w+)? of (?:the )?(?:child|children|young people)|speak(?:ing)? to (?:the )?child(?:ren)?|listen(?:ing)? to (?:the )?child(?:ren)?"),
    # Allocating cases is part of the investigation stage (DATASET: "quality, allocation, skills").
    ("investigation", r"\b(?:cases|investigations|enquiries)\b[^.;]{0,40}?\b(?:were|are|was|is|being)\s+(?:\w+\s+)?allocated|\ballocat\w*\s+(?:of\s+)?(?:cases|investigations)"),
    ("initial_contact", r"control room|call[- ]?handl|\bcalls?\b|\btriage\b|first (?:point of )?contact|initial (?:contact|response)|answering calls|frontline officers? (?:attend|respond)|attending an incident|response officers"),
    ("it_systems", r"(?-i:\bIT\b)|\bsystems?\b(?! and staff)|database|computer|\bsoftware\b|\bNiche\b|\bAthena\b"),
    # Decisions to use police protection powers are recorded and overseen by supervisors.
    ("supervision_and_records", r"supervis|record(?:ing|s|ed|-keeping)?\b|documentation|case management|police protection|decision[- ]making"),
    # Sharing information with partners is partnership work, even at the point of referral
    # ("the central referral unit shares information with the local authorities").
    ("partnership_working", r"shar(?:e|es|ed|ing) (?:\w+ )?information|information[- ]sharing|(?:arrangements|agreements?|protocols?) with"),
    ("risk_assessment", r"risk[- ]assess|assess(?:es|ed|ing|ment of)?\s+(?:\w+\s+){0,2}?risks?\b|assessing whether|"
                        r"identif\w*\s+(?:\w+\s+){0,4}?(?:at risk|vulnerab|risks?\b|need)|recognis\w*\s+(?:\w+\s+){0,3}?(?:signs?|when|at risk|risks?|vulnerab|abuse|neglect)|"
                        r"signs (?:of|that)|referr?als?|\brefer(?:s|red|ring)?\b|early intervention"),
    ("investigation", r"investigat|enquiries|\bcases?\b (?:were )?allocated|specialist teams|quality of (?:the )?(?:work|cases)|third[- ]party material|(?:right|necessary|specialist) skills|skills and experience"),
    ("training", r"\btrain(?:ing|ed)?\b|\bskills?\b|awareness|knowledge|guidance for (?:staff|officers)|learning and development"),
    ("partnership_working", r"multi-agency|joint (?:working|safeguarding|agency)|\bMASH\b|safeguarding hubs?|partner agenc|partnership|\bpartners\b|local authorit|social (?:care|services|workers)|\bschools?\b|council|information[- ]sharing|shar(?:e|es|ed|ing) information|health (?:services|partners)|children['’]s services|strategy (?:meetings|discussions)|work(?:s|ed|ing)? (?:well |closely |more closely )?with"),
    ("leadership_and_governance", r"leader|governance|oversight|senior (?:officers|leaders|management)|chief officer|strateg|priorit|plans?\b|restructur|culture|resourc|directorate|\bcommand\b|\bled by\b|reorganis|\bstructure\b|invest|performance (?:management|framework)|accountab|improvement programme"),
]
COMPILED_HEADS = [(theme, re.compile(pat, re.I)) for theme, pat in HEAD_RULES]
COMPILED = [(theme, re.compile(pat, re.I)) for theme, pat in RULES]


# "X improved, following the introduction of Y": the trailing clause gives the cause or
# means; what improved (X) is the finding's subject, so X's theme is read first.
MEANS_CLAUSE = re.compile(r",\s+(?:following|after|thanks to|as a result of|through|by means of|because of)\s+", re.I)


@lru_cache(maxsize=8192)   # a pure function of the text; releases repeat their wording
def theme_of(text: str) -> str:
    m = MEANS_CLAUSE.search(text)
    if m:
        head = _theme(text[: m.start()])
        if head != "overall":
            return head
    return _theme(text)


def _theme(text: str) -> str:
    for theme, pat in COMPILED_HEADS:
        m = pat.search(text)
        if m and not any(p.search(text[: m.start('cue')]) for t, p in COMPILED if t != theme):
            return theme
    for theme, pat in COMPILED:
        if pat.search(text):
            return theme
    return "overall"
