"""Scope rules: is a document about a National Child Protection Inspection at all, and
news cues that date a copy's report from the article's own date.

Read by ncpi/parse/context.py (documents) and ncpi/fetch/discover.py (feed and listing items). A document is NCPI when an NCPI cue is in its lead or
anywhere in its text; a not-NCPI cue in its head (title, report titles and first three
body blocks, at most HEAD_CHARS characters) makes it not NCPI, unless its own title or
report title names the programme (OWN_TITLE_RULE). Each family is one scan.
"""
from __future__ import annotations

from ncpi.rules import Lexicon, Rule as R

CHILD_PROTECTION = R(
    "scope.ncpi.child_protection", "ncpi", r"child protection|\bNCPI\b",
    ("National child protection inspection of Durham Constabulary",), ("the protection of property",),
    "Names the programme or its subject. The cue a feed or listing item needs too (ncpi/fetch/discover.py).")

NCPI_RULES = (
    CHILD_PROTECTION,
    R("scope.ncpi.safeguarding_children", "ncpi", r"safeguard(?:s|ing)? (?:vulnerable )?children",
      ("how well the force safeguards vulnerable children",), ("safeguarding adults",)),
    R("scope.ncpi.protecting_children", "ncpi",
      r"protect(?:s|ing|ion of)? (?:vulnerable |at-risk )?children|protection of (?:vulnerable )?children",
      ("protecting vulnerable children from harm",), ("protecting the public",)),
)

NOT_NCPI_RULES = (
    R("scope.not_ncpi.peel", "not_ncpi", r"\bPEEL\b|police effectiveness, efficiency and legitimacy",
      ("PEEL: police effectiveness 2016",), ("peeling paint",),
      "A PEEL inspection (police effectiveness, efficiency and legitimacy), not NCPI."),
    R("scope.not_ncpi.joint_inspection", "not_ncpi", r"joint targeted area inspection|\bJTAI\b|joint inspection",
      ("A joint targeted area inspection of the multi-agency response",), ("joint working with partners",),
      "A joint inspection with the other inspectorates, not NCPI."),
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
      r"\binspected (?:\w+ ){0,2}(?:four|five|six|seven|eight|nine|ten|\d{1,2}) (?:police )?forces\b|"
      r"\bwas one of (?:four|five|six|seven|eight|nine|ten|\d{1,2}) forces (?:inspected|visited|examined)",
      ("An inspection of the police response to missing children", "we inspected six police forces",
       "The force was one of eight forces inspected for the national report"),
      ("we inspected the force",),
      "National thematic reports: 'An inspection of the police response to ...', 'we inspected six forces'."),
    R("scope.not_ncpi.accelerated_cause", "not_ncpi",
      r"accelerated causes? of concern|causes? of concern\s*[–—-]\s*revisit|publication type:\s*cause of concern",
      ("the inspectorate has identified two accelerated causes of concern",
       "Handling of the exploitation of children: Causes of concern – revisit"),
      ("the inspectors raised serious concerns about the force",),
      "An accelerated cause of concern, and its revisit, come from other inspections (PEEL, commissioned "
      "work): a child protection programme report never uses the process."),
    R("scope.not_ncpi.peel_areas", "not_ncpi",
      r"anti-social behaviour|enhanced monitoring|core areas of policing|"
      r"(?:inadequate|requires? improvement|good|outstanding)\W{0,3} (?:at|for|in) protecting vulnerable people|"
      r"protecting vulnerable people\W{0,3} (?:was|is|as|were)\W{0,3} (?:inadequate|requires? improvement)",
      ("the force was moved into the 'enhanced monitoring' stage",
       "graded requires improvement for protecting vulnerable people",
       "confusion over who deals with anti-social behaviour"),
      ("leaders are committed to protecting vulnerable people, children among them",),
      "A PEEL story that never says PEEL: it grades the force on protecting vulnerable people, talks "
      "of anti-social behaviour or of the monitoring stages PEEL puts forces in."),
    R("scope.not_ncpi.commissioned", "not_ncpi",
      r"(?:\b(?:was|were|is|been) |(?:^|[.!?]\s+))commissioned by the Mayor|"
      r"Mayor['’]s Office for Policing and Crime[^.]{0,40} commissioned us|the work you commissioned|\bPCC DN\b|decision notice",
      ("The inspection was commissioned by the Mayor of London.", "PCC DN - Inspection of the approach used by the force"),
      ("the report comes out alongside an update on a separate inspection commissioned by the Mayor",),
      "An inspection a mayor or commissioner asked for is its own inspection, even when about children; "
      "a release that only mentions one alongside its NCPI report stays NCPI."),
    R("scope.not_ncpi.exploitation_inspection", "not_ncpi",
      r"(?:handling of|handled|handles|approach to|response to|tackles)(?: the)? (?:child )?(?:sexual and criminal|criminal and sexual) exploitation",
      ("The Metropolitan Police Service's handling of the sexual and criminal exploitation of children",
       "the force and its safeguarding partners' approach to child criminal and sexual exploitation"),
      ("children vulnerable to criminal and sexual exploitation were not always identified",),
      "The commissioned inspections of a force's handling of child exploitation (the Met 2024, Greater "
      "Manchester 2024) and their revisits are not the child protection programme."),
    R("scope.not_ncpi.pre_programme", "not_ncpi",
      r"pilot (?:multi-agency )?inspection|multi-agency pilot|\(pilot visit|publication types?:\s*specialist inspection",
      ("A multi-agency pilot inspection in January 2013 exposed weaknesses", "Child Protection (pilot visit to the force)"),
      ("the force took part in a pilot of body-worn cameras",),
      "The 2013 pilot multi-agency inspections and their revisits came before the programme (2014)."),
    R("scope.not_ncpi.programme_page", "not_ncpi",
      r"assessment criteria|methodology for post-inspection|this page sets out|evaluation of the national child protection|"
      r"is having its child protection work inspected|\bwe inspect the child protection work of every|"
      r"Internet-related child sexual exploitation inspections|methodology was last updated",
      ("National Child Protection Inspection Programme - Assessment criteria", "This page sets out:"),
      ("HMICFRS is inspecting the child protection work of every police force in England and Wales.",),
      "The programme's own pages (criteria, methodology, evaluation, the programme page) report on no force."),
    R("scope.not_ncpi.listing", "not_ncpi",
      r"reports?\b[^.:]{0,40}\b(?:is|are) listed below|outcome of (?:key )?external inspections",
      ("Every HMIC report that relates to our area is listed below:", "7. Outcome of key external inspections"),
      ("the recommendations are listed below",),
      "A page listing many inspectorate reports (a commissioner's or a council's) is about none of them."),
)

OWN_TITLE_RULE = R(
    "scope.ncpi.own_title", "ncpi",
    r"^(?!.*(?:thematic|assessment criteria|methodology|evaluation))"
    r".*?(?:national child protection inspection(?!s\b|\s*programme)|\bNCPI\b|post[- ]inspection review)",
    ("Kent Police - National child protection inspection post-inspection review",),
    ("PEEL: police effectiveness", "National Child Protection Inspections: 2019 thematic report",
     "National Child Protection Inspection Programme - Assessment criteria"),
    "A PEEL or thematic report may mention an earlier NCPI inspection; only its own title naming one "
    "force's NCPI report keeps it NCPI (the programme's thematic, criteria and methodology titles do not).")

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

# Feed and listing items (ncpi/fetch/discover.py): an item has a title, its link's words and
# a short summary. It is NCPI when CHILD_PROTECTION is in one of them, and none of the not-NCPI
# cues above is in its title or link; these records add what only a listing shows. A summary
# often mentions a council's annual report or "a good job": only ITEM_ANYWHERE is read in it.
ITEM_ANYWHERE_RULES = (
    R("scope.item.multi_agency", "not_ncpi", r"multi-agency inspection",
      ("Multi-agency inspection of services for children in Leeds",), ("multi-agency working with the council",),
      "A joint (multi-agency) inspection, not NCPI."),
)
ITEM_TITLE_RULES = (
    R("scope.item.national", "not_ncpi", r"\bthematic\b|national overview|\bsummary of (?:findings|reports)\b",
      ("Child protection: a national overview", "Summary of findings from the child protection inspections"),
      ("Norfolk national child protection inspection",),
      "A thematic or national report, not a force's NCPI release."),
    R("scope.item.job_advert", "not_ncpi", r"\bvacanc(?:y|ies)\b|\bjobs?\b|\brecruit",
      ("Inspection officer (child protection) – jobs", "GMP recruits 100 new detectives"),
      ("Cleveland Police – National child protection inspection",),
      "A job advert."),
    R("scope.item.corporate", "not_ncpi", r"\bconsultation\b|\binspection programme and framework\b|\bannual report\b",
      ("Consultation on the child protection inspection programme", "HMICFRS annual report 2018"),
      ("Kent Police – National child protection inspection",),
      "A programme or corporate document."),
    R("scope.item.fire_and_rescue", "not_ncpi", r"\bfire and rescue service\b|\bFRS\b",
      ("Fire and rescue service inspections 2019: second tranche",), ("a fire at the police station",),
      "About fire and rescue, not police."),
)

NCPI_CUES = Lexicon(NCPI_RULES)
NOT_NCPI_CUES = Lexicon(NOT_NCPI_RULES)
ITEM_ANYWHERE = Lexicon(NOT_NCPI_RULES[:2] + ITEM_ANYWHERE_RULES)     # PEEL and joint inspections, named anywhere
ITEM_TITLE = Lexicon(ITEM_TITLE_RULES)
HEAD_CHARS = 1200   # the head a not-NCPI cue is read in: a one-paragraph copy's Notes are not its head

RULES = NCPI_RULES + NOT_NCPI_RULES + (OWN_TITLE_RULE,) + ITEM_ANYWHERE_RULES + ITEM_TITLE_RULES
