"""Scope rules: is a document about a National Child Protection Inspection at all, and
news cues that date a copy's report from the article's own date.

Read by ncpi/parse/document.py. A document is NCPI when an NCPI cue is in its lead or
anywhere in its text; a not-NCPI cue in its head (title, report titles and first three
body blocks, at most HEAD_CHARS characters) makes it not NCPI, unless its own title or
report title names the programme (OWN_TITLE_RULE). Each family is one scan.
"""
from __future__ import annotations

from ncpi.rules import Lexicon, Rule as R

NCPI_RULES = (
    R("scope.ncpi.child_protection", "ncpi", r"child protection|\bNCPI\b",
      ("National child protection inspection of Durham Constabulary",), ("the protection of property",)),
    R("scope.ncpi.safeguarding_children", "ncpi", r"safeguard(?:s|ing)? (?:vulnerable )?children",
      ("how well the force safeguards vulnerable children",), ("safeguarding adults",)),
    R("scope.ncpi.protecting_children", "ncpi",
      r"protect(?:s|ing|ion of)? (?:vulnerable |at-risk )?children|protection of (?:vulnerable )?children",
      ("protecting vulnerable children from harm",), ("protecting the public",)),
)

NOT_NCPI_RULES = (
    R("scope.not_ncpi.peel", "not_ncpi", r"\bPEEL\b|police effectiveness, efficiency and legitimacy",
      ("PEEL: police effectiveness 2016",), ("peeling paint",)),
    R("scope.not_ncpi.joint_inspection", "not_ncpi", r"joint targeted area inspection|\bJTAI\b|joint inspection",
      ("A joint targeted area inspection of the multi-agency response",), ("joint working with partners",)),
    R("scope.not_ncpi.thematic", "not_ncpi",
      r"thematic (?:inspection|report|review)|national (?:thematic )?report|in harm['’]s way|"
      r"state of policing|(?:fire and rescue|fire & rescue) (?:service )?inspection",
      ("In harm's way: the role of the police in keeping children safe", "State of Policing 2018"),
      ("the national child protection inspection",)),
    R("scope.not_ncpi.other_programme", "not_ncpi",
      r"crime data integrity|\bCDI\b inspection|(?:police )?custody (?:suites? )?inspection|inspection of (?:police )?custody|inspection visits? to (?:police )?custody|"
      r"HM Inspectorate of Prisons|HMI Prisons|Both sides of the coin|value for money profile",
      ("Report on an unannounced inspection visit to police custody suites", "Crime data integrity inspection 2016"),
      ("children held in custody overnight",),
      "The inspectorate's other programmes, named as such."),
    R("scope.not_ncpi.national_thematic", "not_ncpi",
      r"\binspection of (?:the )?(?:police|how (?:the )?police|how (?:police )?forces) (?:response|respond|deal|tackle)\w*|"
      r"\binspected (?:\w+ ){0,2}(?:four|five|six|seven|eight|nine|ten|\d{1,2}) (?:police )?forces\b",
      ("An inspection of the police response to missing children", "we inspected six police forces"),
      ("we inspected the force",),
      "National thematic reports: 'An inspection of the police response to ...', 'we inspected six forces'."),
)

OWN_TITLE_RULE = R(
    "scope.ncpi.own_title", "ncpi", r"national child protection inspection|\bNCPI\b|post[- ]inspection review",
    ("Kent Police - National child protection inspection post-inspection review",), ("PEEL: police effectiveness",),
    "A PEEL or thematic report may mention an earlier NCPI inspection; only its own title naming the programme keeps it NCPI.")

NEWS_RULES = (
    R("news.originally", "dateline", r"\b(?:originally|first) (?:issued|published|released)\b",
      ("This release was originally published on 3 March 2016",), ("published today",),
      "A dateline saying when the release first came out dates it; other datelines are skipped."),
    R("news.today", "published_today",
      r"(?:published|released|out|publishe?d|issued) today|today['’]?s report|report (?:released|published) today|(?:has|have) today (?:published|released)|today (?:published|released)|(?:published|released) (?:its|the|their|a) (?:report|reports|findings) today|publication today|today['’]s publication",
      ("HMIC has today published its report", "in today's report"), ("the report was published in May",),
      "The inspectorate's own release is dated the day its report is published."),
    R("news.relative_day", "published_relative",
      r"\b(?:published|released|issued)\s+(?:on\s+)?(?:(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b(?!\s*,?\s*\(?\s*\d)(?!\s*\()|yesterday\b)",
      ("the report, published on Tuesday, found", "published yesterday"), ("published on Tuesday 3 May",),
      "News copy: 'published on Tuesday', 'published yesterday', counted back from the article's date."),
    R("news.last_month", "published_last_month", r"\b(?:published|released) (?:last|earlier this) month\b",
      ("a report published last month",), ("published last year",)),
)

NCPI_CUES = Lexicon(NCPI_RULES)
NOT_NCPI_CUES = Lexicon(NOT_NCPI_RULES)
HEAD_CHARS = 800   # the head a not-NCPI cue is read in: a one-paragraph copy's Notes are not its head

RULES = NCPI_RULES + NOT_NCPI_RULES + (OWN_TITLE_RULE,)
