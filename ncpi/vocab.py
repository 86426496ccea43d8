"""Every controlled vocabulary of the dataset, defined once.

The schemas (schemas/*.py), the reading rules (ncpi/rules/) and the data dictionary all
take their values from here. Each value carries a description and where the term comes
from (`source`), so a reader of the data dictionary can check it.

    >>> from ncpi.vocab import THEMES, values
    >>> values(THEMES)[:2]
    ['missing_children', 'child_sexual_exploitation']
    >>> THEMES["custody"]
    'Children in police detention: custody, cells.'

"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    value: str
    description: str
    source: str


class Vocabulary(dict):
    """An ordered mapping value -> description; `.terms` keeps each value's source too.

    A dict so that `list(v)` gives the values, `v[value]` the description and `value in v`
    checks membership."""

    def __init__(self, *terms: Term):
        super().__init__((t.value, t.description) for t in terms)
        self.terms: tuple[Term, ...] = terms

    def source(self, value: str) -> str:
        return next(t.source for t in self.terms if t.value == value)


def values(vocabulary: Vocabulary) -> list[str]:
    """The values of a vocabulary, in its order (the order enums are declared in)."""
    return list(vocabulary)


HMICFRS_NCPI = "HMIC/HMICFRS National Child Protection Inspection reports and their press releases"
DATASET_MD = "docs/DATASET.md (the data contract)"

KINDS = Vocabulary(
    Term("inspection", "An initial national child protection inspection of a force.", HMICFRS_NCPI),
    Term("post_inspection_review", "The inspectorate's return to a force to review its progress after an inspection.", HMICFRS_NCPI),
    Term("assessment_of_progress", "A later (often quarterly) assessment of a force's progress against the recommendations.", HMICFRS_NCPI),
    Term("re_inspection", "A full inspection repeated after an earlier one, as the inspectorate calls it.", HMICFRS_NCPI),
    Term("unknown", "The inspectorate's own words do not say which kind the inspection is.", DATASET_MD),
)

THEMES = Vocabulary(
    Term("missing_children", "Children missing from home or care, absent, return interviews.", "HMICFRS NCPI assessment areas"),
    Term("child_sexual_exploitation", "Child sexual exploitation (CSE), grooming for exploitation.", "HMICFRS NCPI assessment areas"),
    Term("online_child_abuse", "Abuse online: indecent images, internet, social media.", "HMICFRS NCPI assessment areas"),
    Term("digital_forensics", "Examining seized devices, digital evidence, backlogs of devices.", "HMICFRS NCPI reports"),
    Term("offender_management", "Managing those who pose a risk to children: registered sex offenders, MAPPA, ViSOR.", "HMICFRS NCPI assessment areas"),
    Term("initial_contact", "Calls, the control room, triage, first response.", "HMICFRS NCPI assessment areas (initial contact)"),
    Term("risk_assessment", "Identifying vulnerability, assessing risk, referral.", "HMICFRS 2024 topics (risk assessment and referral)"),
    Term("investigation", "Quality, allocation and skills of investigations.", "HMICFRS NCPI assessment areas (investigation)"),
    Term("supervision_and_records", "Supervision, recording, case management, decision-making records.", "HMICFRS NCPI assessment areas (decision-making)"),
    Term("training", "Training, skills, awareness and knowledge of officers and staff.", "HMICFRS NCPI reports"),
    Term("partnership_working", "Multi-agency work, information sharing, schools, councils.", "HMICFRS 2024 topics (partnership working)"),
    Term("domestic_abuse", "Domestic abuse and its effect on children.", "HMICFRS NCPI reports"),
    Term("leadership_and_governance", "Leadership, oversight, strategy, priorities, resources.", "HMICFRS NCPI assessment areas (leadership)"),
    Term("it_systems", "IT systems, databases, software.", "HMICFRS NCPI reports"),
    Term("custody", "Children in police detention: custody, cells.", "HMICFRS NCPI assessment areas (police detention)"),
    Term("voice_of_the_child", "Hearing and recording the child's views; a trusted adult.", "HMICFRS NCPI assessment areas (trusted adult)"),
    Term("overall", "A judgment about the force as a whole (no more specific theme fits).", DATASET_MD),
)

POLARITIES = Vocabulary(
    Term("positive", "A strength, an improvement, an action taken.", DATASET_MD),
    Term("negative", "A concern, a weakness, work still to do.", DATASET_MD),
)

GRADES = Vocabulary(
    Term("outstanding", "Graded outstanding (read as positive).", "HMICFRS graded judgments"),
    Term("good", "Graded good (read as positive).", "HMICFRS graded judgments"),
    Term("adequate", "Graded adequate (read as positive).", "HMICFRS graded judgments"),
    Term("requires_improvement", "Graded requires improvement (read as negative).", "HMICFRS graded judgments"),
    Term("inadequate", "Graded inadequate (read as negative).", "HMICFRS graded judgments"),
    Term("poor", "Graded poor (read as negative).", "HMIC case-audit gradings"),
)
# How a grade reads as a finding's polarity.
GRADE_POLARITY: dict[str, str] = {
    "outstanding": "positive", "good": "positive", "adequate": "positive",
    "requires_improvement": "negative", "inadequate": "negative", "poor": "negative",
}

ROLES = Vocabulary(
    Term("HM Chief Inspector of Constabulary", "The head of the inspectorate.", "HMICFRS"),
    Term("HM Inspector of Constabulary", "One of HM Inspectors; the only speakers who can lead an inspection.", "HMICFRS"),
    Term("Deputy Police and Crime Commissioner", "The PCC's deputy.", "Police Reform and Social Responsibility Act 2011"),
    Term("Police and Crime Commissioner", "The elected local policing body (also PFCC, the Mayor's Office for Policing).", "Police Reform and Social Responsibility Act 2011"),
    Term("Deputy Chief Constable", "Police rank.", "police ranks"),
    Term("Assistant Chief Constable", "Police rank.", "police ranks"),
    Term("Chief Constable", "The head of a force.", "police ranks"),
    Term("Commissioner of Police of the Metropolis", "The head of the Metropolitan Police.", "police ranks"),
    Term("Detective Chief Superintendent", "Police rank.", "police ranks"),
    Term("Detective Superintendent", "Police rank.", "police ranks"),
    Term("Chief Superintendent", "Police rank.", "police ranks"),
    Term("Superintendent", "Police rank.", "police ranks"),
    Term("Detective Chief Inspector", "Police rank.", "police ranks"),
    Term("Detective Inspector", "Police rank.", "police ranks"),
    Term("Chief Inspector", "Police rank (not one of HM Inspectors).", "police ranks"),
    Term("Member of Parliament", "An MP.", "UK Parliament"),
    Term("Spokesperson", "An organisation's unnamed or named spokesperson.", "press releases"),
)
# Roles of the inspectorate: their speakers can lead an inspection.
INSPECTORATE_ROLES = frozenset({"HM Inspector of Constabulary", "HM Chief Inspector of Constabulary"})

SOURCE_TYPES = Vocabulary(
    Term("inspectorate", "Published by HMIC or HMICFRS (first-hand).", DATASET_MD),
    Term("force", "Published by a police force.", DATASET_MD),
    Term("pcc", "Published by a Police and Crime Commissioner's office.", DATASET_MD),
    Term("government", "Published by a government department or parliament (GOV.UK).", DATASET_MD),
    Term("news", "A news outlet's article.", DATASET_MD),
    Term("mirror", "A copy of another publisher's text (aggregator, archive, AMP page).", DATASET_MD),
    Term("other", "Any other publisher (charity, trade body, blog).", DATASET_MD),
)

INSPECTORATES = Vocabulary(
    Term("HMIC", "Her Majesty's Inspectorate of Constabulary (until 19 July 2017).", "HMICFRS history"),
    Term("HMICFRS", "His/Her Majesty's Inspectorate of Constabulary and Fire & Rescue Services (from 19 July 2017).", "HMICFRS history"),
)

DATE_PRECISIONS = Vocabulary(
    Term("day", "The date names a day.", DATASET_MD),
    Term("month", "The date names a month only: the span is the whole month.", DATASET_MD),
    Term("year", "The date names a year only: the span is the whole year.", DATASET_MD),
)

UNITS = Vocabulary(
    Term("percent", "A share of cases, e.g. '26 percent of the cases'.", DATASET_MD),
    Term("cases", "A count of cases.", DATASET_MD),
)

ALL: dict[str, Vocabulary] = {
    "kinds": KINDS, "themes": THEMES, "polarities": POLARITIES, "grades": GRADES, "roles": ROLES,
    "source_types": SOURCE_TYPES, "inspectorates": INSPECTORATES, "date_precisions": DATE_PRECISIONS, "units": UNITS,
}

# HMIC became HMICFRS on this day: reports published from it are HMICFRS's.
HMICFRS_RENAMED = dt.date(2017, 7, 19)
