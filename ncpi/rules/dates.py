"""Date rules: the forms in which releases print dates, each deciding the precision of the
date it reads (ncpi/parse/dates.py).

FORM_RULES are tried in record order over a document: a form's match is kept unless it
overlaps a date an earlier record already read ("8–19 October 2018" is one day range, not
a day, a month and a year). month_year and year come last, so they never hide a longer
form. MONTH_ONLY_RULE reads a month named without a year ("inspectors returned in
November"), dated by the document's own date. Which of a sentence's dates is the
fieldwork and which the publication is decided by the history cues (ncpi/rules/kinds.py
CUE_RULES: history.fieldwork, history.published).
"""
from __future__ import annotations

from ncpi.rules import Rule as R

MONTH_RE = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
            r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
YEAR_RE = r"(?:19[89]\d|20[0-4]\d)"
DASH = r"\s*(?:-|–|—|to|until)\s*"
ORDINAL = r"(?:st|nd|rd|th)?"

FORM_RULES = (
    R("date.day_range", "day",
      rf"\b(?:between\s+)?(?P<d1>\d{{1,2}}){ORDINAL}(?:{DASH}|\s+and\s+)(?P<d2>\d{{1,2}}){ORDINAL}\s+(?P<m>{MONTH_RE})\s+(?P<y>{YEAR_RE})\b",
      ("inspectors visited the force between 14 and 25 May 2018", "fieldwork took place 8–19 October 2018"),
      ("the force had 14 officers and 25 staff in May",),
      "Two days of one month: the fieldwork's first and last day."),
    R("date.day_month_range", "day",
      rf"\b(?P<d1>\d{{1,2}}){ORDINAL}\s+(?P<m1>{MONTH_RE}){DASH}(?P<d2>\d{{1,2}}){ORDINAL}\s+(?P<m2>{MONTH_RE})\s+(?P<y>{YEAR_RE})\b",
      ("the inspection ran from 28 November to 2 December 2020",), ("from November to December 2020",),
      "Two days in different months of one year."),
    R("date.month_range", "month",
      rf"\b(?:between\s+)?(?P<m1>{MONTH_RE})(?:\s+(?P<y1>{YEAR_RE}))?\s*(?:and|-|–|to)\s*(?P<m2>{MONTH_RE})\s+(?P<y>{YEAR_RE})\b",
      ("cases dealt with between November and December 2020", "from December 2019 to January 2020"),
      ("the report was published in December 2020",),
      "Two months: the first month's first day to the last month's last day (a range running "
      "into the new year starts the year before)."),
    R("date.dmy", "day",
      rf"\b(?:(?P<wd>{WEEKDAY_RE}),?\s+)?(?P<d>\d{{1,2}}){ORDINAL}\s+(?P<m>{MONTH_RE}),?\s+(?P<y>{YEAR_RE})\b",
      ("Published on Thursday 21 September 2017", "the report was released on 3rd March 2016"),
      ("the report was published in September 2017",),
      "A day in British order; a weekday that does not fit the day is flagged weekday_date_mismatch."),
    R("date.mdy", "day",
      rf"\b(?:(?P<wd>{WEEKDAY_RE}),?\s+)?(?P<m>{MONTH_RE})\s+(?P<d>\d{{1,2}}){ORDINAL},?\s+(?P<y>{YEAR_RE})\b",
      ("Posted Thursday, September 21, 2017", "April 11, 2019 in Children"), ("in April 2019",),
      "A day in American order, as news sites print it."),
    R("date.iso", "day", rf"\b(?P<y>{YEAR_RE})-(?P<mo>\d{{2}})-(?P<d>\d{{2}})\b",
      ("published 2019-03-14",), ("reference 2019-3-14",), "A day in ISO form.", flags=0),
    R("date.dmy_slash", "day", rf"\b(?P<d>\d{{1,2}})/(?P<mo>\d{{1,2}})/(?P<y>{YEAR_RE})\b",
      ("Date: 14/03/2019",), ("the score was 14/30",), "A day with slashes, in British order.", flags=0),
    R("date.weekday_paren", "day",
      rf"\b(?P<wd>{WEEKDAY_RE})\s*\(\s*(?:(?P<m>{MONTH_RE})\s+(?P<d>\d{{1,2}})|(?P<d2>\d{{1,2}})\s+(?P<m2>{MONTH_RE}))\s*\)",
      ("the report was published on Thursday (September 21)",), ("on Thursday the force said",),
      "A day with no year, dated by the document's own year and flagged date_without_year."),
    R("date.month_year", "month",
      rf"\b(?:(?:early|mid|late|the end of|the start of|the beginning of)[\s-]+)?(?P<m>{MONTH_RE})\s+(?P<y>{YEAR_RE})\b",
      ("inspectors returned in mid-July 2015", "HMIC published its report in November 2016"),
      ("in July the force said",), "A month of a year."),
    R("date.year", "year", rf"\b(?P<y>{YEAR_RE})\b",
      ("the force was first inspected in 2015",), ("the force handled 20150 calls",), "A year alone.", flags=0),
)

MONTH_ONLY_RULE = R(
    "date.month_only", "month",
    rf"\b(?:in|during|throughout|since|until|by)\s+(?:(?:early|mid|late)[\s-]+)?(?P<m>{MONTH_RE})(?![\w-])(?!\s*,?\s*\d)"
    r"(?!\s+(?:of\s+)?(?:that|the same|the following|the next|the previous|this|last|next) year)",
    ("Inspectors returned to the force in November.", "fieldwork took place during early March"),
    ("Inspectors returned in November 2016.", "in March of that year", "in may"),
    "A month named without a year: the last such month before the document's date, flagged "
    "date_without_year. 'May' is also a verb: only as a month at a clause's end.", flags=0)

RULES = FORM_RULES + (MONTH_ONLY_RULE,)
