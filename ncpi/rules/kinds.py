"""Kind rules: which kind of inspection (ncpi/vocab.py KINDS) a document reports on, and
the history/news cues that place a dated mention before or at the reported inspection.

Kinds follow the inspectorate's own words, read in this order by ncpi/parse/document.py:
the report title (TITLE_RULES, first record that matches), a report title quoted in the
text, the lead sentences (most specific kind first, skipping kinds named as history or
as the programme), then how the document's dates are told (FROM_DATES, documented
verdicts). A "re-inspection" said only by a force or an outlet is not taken on trust.
"""
from __future__ import annotations

from ncpi.rules import Rule as R

TITLE_RULES = (
    R("kind.assessment_of_progress.named", "assessment_of_progress",
      r"assessment of progress|progress assessment|quarterly (?:update|review|assessment)|quarter \d update",
      ("Kent Police - National child protection inspection assessment of progress", "the first quarterly update",
       "Metropolitan Police Service – National child protection inspection post-inspection quarter 4 update"),
      ("the force's progress was assessed",)),
    R("kind.post_inspection_review.named", "post_inspection_review",
      r"post[- ]?inspection review|follow[- ]up (?:inspection|review)|review of progress|went back to|revisit",
      ("National child protection inspection post-inspection review", "HMIC went back to the force in May"),
      ("a review of the case files",)),
    R("kind.re_inspection.named", "re_inspection", r"\bre-?inspect(?:ion|ed)\b|third inspection",
      ("Metropolitan Police Service: National child protection re-inspection",), ("the inspection report",)),
    R("kind.inspection.named", "inspection",
      r"national child protection inspection(?! programme)|child protection inspection(?! programme)|initial inspection|first inspection|initially inspected|first inspected",
      ("Durham Constabulary - National child protection inspection", "the force was first inspected in 2016"),
      ("the national child protection inspection programme",)),
)

# Kind words as they stand next to a date ("a post-inspection review carried out in June
# 2018", "this update is based on fieldwork in January 2018").
NEAR_DATE_RULES = (
    R("kind.assessment_of_progress.near_date", "assessment_of_progress",
      r"assessment of progress|progress assessment|quarterly (?:update|review|assessment)|\b(?:this|latest|an?) update\b",
      ("this update is based on fieldwork in January 2018",), ("updated guidance",)),
    R("kind.post_inspection_review.near_date", "post_inspection_review",
      r"post[- ]?inspection review|follow[- ]up (?:inspection|review|visit)|review of progress|return visit|\b(?:this|the|its|our|a|second) review\b",
      ("the review took place in March 2019", "a return visit in June 2017"), ("reviewed cases in June",)),
    R("kind.re_inspection.near_date", "re_inspection", r"\bre-?inspect(?:ion|ed)\b|inspected again",
      ("the force was inspected again in 2018",), ("inspected in 2018",)),
)

# A reader's reading, when neither a title, the lead nor the dates name the kind: news and
# responses tell a follow-up by its relation to an earlier report ("since it last inspected
# the force in 2019", "returned to review progress", "a year after it was criticised") and an
# initial inspection by reporting one at all ("a report by the watchdog found"). `unknown` is
# left for a text that describes no inspection. Past tense only: "will revisit in six months"
# and "further follow-up inspections were announced" do not make the report a follow-up.
READER_RULES = (
    R("kind.reader.assessment_of_progress", "assessment_of_progress",
      r"assessment of (?:the )?progress|progress assessment|(?:this|its|the|first|second|third|fourth|latest) quarterly (?:update|review|assessment)",
      ("For this third quarterly update, inspectors looked at 135 cases", "our 2021 assessment of the progress made"),
      ("the Home Secretary asked for quarterly updates to be published",),
      "The Met's quarterly updates and the later assessments of progress are their own kind."),
    R("kind.reader.since_earlier", "post_inspection_review",
      r"since (?:it was |the force was |they were |we |it )?(?:last|previously|first) inspected|"
      r"since (?:its|our|the|a|an|their) (?:initial|first|critical|previous|last|earlier|damning|original|\d{4}) (?:report|inspection)|"
      r"(?:previously|last) inspected|progress since|(?:improved|improvements?|progress|changes) (?:made )?since (?:the (?:last|previous|earlier|first|initial|\d{4})|its|our|their|last|a|an|\d{4}|it|we)\b|"
      r"had (?:earlier|previously) raised concerns|(?:review|report|inspection) last year|(?:was|were) told to improve|"
      r"after (?:being|it was) (?:told|criticised|slammed)|last year,? (?:a number of |several |some |serious )?(?:weaknesses|concerns|failings|problems) (?:were|was) (?:highlighted|identified|found|raised)|a year (?:on|after)\b|"
      r"\b(?:acted|act|acting|progress)(?:\W+\w+ly)?\W+on (?:its |the |our )?(?:previous|earlier) recommendations",
      ("has got better at protecting children since it last inspected the force in 2019",
       "It comes after a review last year found the force needed to change",
       "a year after the force was slammed for failing children",
       "the constabulary has acted decisively on previous recommendations",
       "In March last year a number of weaknesses were highlighted in the force's work",
       "the force has “acted decisively” on previous recommendations"),
      ("I know the Chief Constable has driven improvements since July 2016",
       "the force said it had made changes since the report was published today"),
      "A report placed after an earlier one on the same force is a follow-up, whatever it is called."),
    R("kind.reader.returned", "post_inspection_review",
      r"(?:returned|went back|came back) to (?:the force|review|check|assess|see)|since returned|inspected again|"
      r"\bre-?inspect(?:ion|ed)\b|\b(?:inspectors?|HMIC\w*|watchdog|inspectorate) (?:has |have |had )?revisited|\brevisit (?:report|of)|"
      r"another (?:visit|inspection)|follow[- ]up (?:report|review|visit)|(?:our|its|a) (?:second|third) inspection|"
      r"(?:have|has|had) reviewed (?:the )?progress|post[- ]inspection|latest (?:inspection|review)\b(?! report)",
      ("HMICFRS has since returned to review the progress", "Inspectors revisited the force after it was told to improve",
       "the force underwent a re-inspection in February", "In the latest review, inspectors said"),
      ("the inspectorate will revisit in six months", "This is the second inspection in a month to criticise the force",
       "the latest inspection report from the inspectorate"),
      "Inspectors going back, a second look, a post-inspection word anywhere: the programme's ordinary "
      "follow-up (a post-inspection review; re-inspection only from the inspectorate's own title)."),
    R("kind.reader.inspection", "inspection",
      r"\b(?:inspect\w*|inspectorate|watchdog|HMIC\w*|reports?|reported|graded|audited)\b",
      ("a report by the police watchdog said most teams were under strength", "inspectors looked at 69 cases"),
      ("we welcome the chief constable's commitment to children",),
      "An inspection reported with no word of an earlier one is the initial inspection."),
)

# History and news cues around a date (ncpi/parse/inspections.py).
CUE_RULES = (
    R("history.bare_inspection", "bare_inspection", r"\binspect(?:ed|ion|ions)?\b",
      ("HMIC inspected the force in March 2017",), ("the inspectorate said",),
      "A bare 'inspected' names an initial inspection only when nothing else does."),
    R("history.first", "first", r"\b(?:first|initial(?:ly)?|original)\b",
      ("the force was first inspected in 2015", "our initial inspection"), ("the latest inspection",)),
    R("history.strict_earlier", "earlier",
      r"\b(?:previous(?:ly)?|earlier(?! this)|last(?! (?:week|month|year))|since|prior to|that (?:inspection|report|review)|"
      r"then known|after (?:an?|the|its|their|our)\b|a year after)",
      ("the previous inspection in 2016", "since the 2015 inspection"), ("earlier this year", "last month")),
    R("history.again", "current",
      r"\b(?:returned|return(?:ing)? to|went back|revisit\w*|again|today|latest|this (?:inspection|review|report|update|re-inspection)|then carried out|(?:second|third|further|full) inspection|to (?:assess|review|check|examine) (?:the |its )?progress)\b",
      ("inspectors returned in March 2019", "to assess its progress"), ("inspectors visited in 2016",)),
    R("history.visit_again", "again", r"\b(?:returned|went back|revisit\w*|again)\b",
      ("HMIC returned to the force",), ("HMIC visited the force",)),
    R("history.published", "published", r"\b(?:published|publish(?:es|ing)?|reported|released|issued|reports?)\b",
      ("the report was published in October 2017",), ("fieldwork took place",)),
    R("history.fieldwork", "fieldwork",
      r"\b(?:spent|examin\w+|interview\w+|with the force|inspected|inspections?|inspect|visited|visits?|returned|took place|carried out|conducted|fieldwork|based on|reviewed|reviews?|assessed|assessment|on site|update)\b",
      ("inspectors visited the force in June 2016", "fieldwork took place in May"), ("the report was published",)),
    R("history.adjectival_year", "earlier", r"^\s*(?:post[- ]inspection review|inspection|report|review|re-inspection)\b",
      (" inspection found",), ("found in the inspection",),
      "'our 2016 inspection': a year before the word names an earlier report."),
    R("history.current", "current",
      r"today['’]?s report|this report|latest inspection|this (?:follow[- ]up|review)\b|the (?:follow[- ]up|review) (?:found|took)|which took place|carried out a (?:third|second|further) inspection|report is based on|inspectors visited|fieldwork|returned to",
      ("This report is based on fieldwork in May 2018", "today's report"), ("the 2016 report found",)),
)

# Verdicts when no title or lead names the kind: how the document's dates are told.
FROM_DATES = {
    "kind.from_dates.named": "the latest kind named next to a date without a history cue",
    "kind.from_dates.returned_after_history": "'returned' after a first inspection: a post-inspection review",
    "kind.from_dates.inspected": "a visit or an inspection with no history: an initial inspection",
    "kind.from_dates.fieldwork_no_history": "fieldwork dates and no history: an initial inspection",
    "kind.unknown.no_cue": "nothing says which kind: unknown",
    "kind.mentioned.near_date": "an earlier inspection: the kind named next to its date (else an initial inspection)",
    "kind.mentioned.report_list": "an earlier report in a Notes list: the kind before its date (else an initial inspection)",
}

RULES = TITLE_RULES + NEAR_DATE_RULES + READER_RULES
