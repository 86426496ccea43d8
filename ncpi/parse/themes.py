"""The theme taxonomy as data: ordered rules, most specific first; `overall` is the fallback.

The order follows the contract: a finding about missing children that also mentions
schools is `missing_children`, not `partnership_working`.
"""
from __future__ import annotations

import re

RULES: list[tuple[str, str]] = [
    ("online_child_abuse", r"\bonline\b(?! child sexual exploitation)|\binternet\b|indecent images|\bIIOC\b|online abuse|social media|\bgrooming online"),
    ("child_sexual_exploitation", r"sexual(?:ly)? exploit|\bCSE\b|child sexual abuse|sexual abuse"),
    ("missing_children", r"\bmissing\b|go(?:es|ne)? missing|absent from home|runaway"),
    ("digital_forensics", r"digital (?:device|forensic|media|evidence)|electronic devices?|devices? (?:requiring|awaiting) examination|examination of (?:digital|electronic|computers?|phones?)|hi-tech crime|forensic examin"),
    ("offender_management", r"sex(?:ual)? offenders?|registered (?:sex )?offenders?|offender management|managing (?:those|offenders|people) who pose|violent and sexual offenders|\bMAPPA\b|\bViSOR\b|dangerous offenders|risk posed by offenders|suspects? (?:could|might) pose"),
    ("domestic_abuse", r"domestic (?:abuse|violence|incidents?)"),
    ("custody", r"\bcustody\b|\bdetention\b|detained|police protection powers|\bcells?\b"),
    ("voice_of_the_child", r"voice of the child|child['’]s (?:views|voice|wishes)|children['’]s (?:views|voices|wishes)|trusted adult|views of (?:the )?child(?:ren)?|speak(?:ing)? to (?:the )?child(?:ren)?|listen(?:ing)? to (?:the )?child(?:ren)?"),
    ("it_systems", r"(?-i:\bIT\b)|\bsystems?\b(?! and staff)|database|computer|\bsoftware\b|\bNiche\b|\bAthena\b"),
    ("initial_contact", r"control room|call[- ]handl|\bcalls?\b|\btriage\b|first (?:point of )?contact|initial (?:contact|response)|answering calls|frontline officers? (?:attend|respond)|attending an incident|response officers"),
    ("supervision_and_records", r"supervis|record(?:ing|s|ed|-keeping)?\b|documentation|recorded|case management"),
    ("risk_assessment", r"risk assess|assess(?:ing|ment of)? (?:the )?risk|assessing whether|identif(?:y|ying|ied|ication of) vulnerab|vulnerab(?:le|ility)|referr?al|\bMASH\b|\brisks?\b|early intervention|safeguarding (?:arrangements|measures|decisions?)"),
    ("investigation", r"investigat|enquiries|\bcases?\b (?:were )?allocated|specialist teams|quality of (?:the )?(?:work|cases)|third[- ]party material"),
    ("training", r"\btrain(?:ing|ed)?\b|\bskills?\b|awareness|knowledge|guidance for (?:staff|officers)|learning and development"),
    ("partnership_working", r"\bpartners\b|partnership|partner agenc|multi-agency|local authorit|social (?:care|services|workers)|\bschools?\b|council|information[- ]sharing|share information|sharing information|health services|children['’]s services|strategy (?:meetings|discussions)"),
    ("leadership_and_governance", r"leader|governance|oversight|senior (?:officers|leaders|management)|chief officer|strateg|priorit|plans?\b|restructur|commitment|culture|resourc|invest|performance management|accountab"),
]
COMPILED = [(theme, re.compile(pat, re.I)) for theme, pat in RULES]


def theme_of(text: str) -> str:
    for theme, pat in COMPILED:
        if pat.search(text):
            return theme
    return "overall"
