"""The rules that turn narrative sentences into findings: polarity, theme, splitting,
counts and what is not a finding. Sentences are written the way releases word them."""
import pytest

from ncpi.parse.document import parse_document
from ncpi.parse.findings import quantity, units_from_sentence
from ncpi.parse.polarity import polarity_of
from ncpi.parse.themes import theme_of


@pytest.mark.parametrize("text, want", [
    ("some investigations were still not supervised effectively", "negative"),
    ("referrals to children's social care were frequently delayed", "negative"),
    ("children held in police custody overnight were rarely moved to local authority accommodation", "negative"),
    ("too many children were still being held overnight in police cells", "negative"),
    ("the online team had a large number of cases waiting to be allocated", "negative"),
    ("the force had made progress but further work was needed", "negative"),
    ("officers were quick to respond to calls about children at risk", "positive"),
    ("the force has reduced its backlog of mobile phones awaiting examination", "positive"),
    ("the force has strengthened its governance of child protection", "positive"),
    ("the force had acted on the recommendations made after the original inspection", "positive"),
])
def test_polarity(text, want):
    assert polarity_of(text) == want


def test_passing_concerns_on_is_neither_praise_nor_criticism():
    # Under a "needs to improve:" lead-in the item keeps the lead-in's polarity.
    assert polarity_of("the way officers assess risk and refer concerns to children's social care") is None


@pytest.mark.parametrize("text, want", [
    # Examining seized phones and computers is digital forensics, not IT.
    ("the time taken to examine mobile phones and computers seized during investigations", "digital_forensics"),
    ("delays in the examination of seized computers and mobile phones", "digital_forensics"),
    # Training is the head: what the training covers does not decide.
    ("training for officers on recognising neglect and hearing the voice of the child", "training"),
    ("the training provided to investigators in its specialist units", "training"),
    ("more officers have been trained to recognise the signs of abuse and neglect", "training"),
    # Everyday words ("vulnerable", "at risk") name no theme.
    ("the force has restructured its vulnerability command and appointed a dedicated lead", "leadership_and_governance"),
    ("a multi-agency safeguarding hub, which makes sure information about children at risk is shared", "partnership_working"),
    ("improved how it shares information about vulnerable children with partner agencies", "partnership_working"),
    ("Durham Constabulary has a strong commitment to protecting vulnerable children", "overall"),
    # The control room is initial contact even when it checks police systems.
    ("the control room now checks police systems for information about children", "initial_contact"),
    ("how officers record the views and feelings of the children they speak to", "voice_of_the_child"),
    ("frontline officers did not always recognise signs of neglect when attending incidents", "risk_assessment"),
    ("too many cases were allocated to officers without the right skills", "investigation"),
    # Police protection powers are a decision recorded and overseen, not detention.
    ("officers did not always use their police protection powers appropriately", "supervision_and_records"),
    ("children were detained in police custody overnight", "custody"),
    # Topics come before stages: missing children beats sharing with schools.
    ("share information with schools about missing children", "missing_children"),
])
def test_theme(text, want):
    assert theme_of(text) == want


@pytest.mark.parametrize("text, want", [
    ("Of the 92 cases inspectors examined, 41 were inadequate", (41.0, "cases")),
    ("A further 30 cases were assessed as requiring improvement", (30.0, "cases")),
    ("Of the 92 cases we examined, only 21 were handled to a good standard", (21.0, "cases")),
    ("almost 90 percent (191) of 214 cases examined were assessed as good", (90.0, "percent")),
    ("inspectors examined 92 cases", (None, None)),
])
def test_counts_never_take_the_sample_size(text, want):
    assert quantity(text) == want


def _units(text):
    return [(u.text, u.polarity) for u in units_from_sentence(text, 0)]


def test_contrast_splits_halves_of_opposite_polarity():
    got = _units("The report found that officers were quick to respond to calls about children at risk, "
                 "but that the quality of investigations was inconsistent.")
    assert got[1] == ("the quality of investigations was inconsistent", "negative")
    assert got[0][1] == "positive"


def test_although_clause_splits_seed_note():
    got = _units("Although the force had made a number of changes, we found that overall progress since "
                 "our initial inspection was slow and the force was not yet effectively managing risk.")
    assert [p for _, p in got] == ["positive", "negative"]
    assert got[0][0] == "the force had made a number of changes"


def test_two_parallel_items_after_including_are_two_findings():
    got = _units("The report recognises that there is still work to do, including improving the quality of "
                 "referrals to children's social care and reducing delays in the examination of digital devices.")
    assert got == [("improving the quality of referrals to children's social care", "negative"),
                   ("reducing delays in the examination of digital devices", "negative")]


def test_one_noun_phrase_after_including_is_not_split():
    got = _units("The force has improved its work with partners, including schools and health services.")
    assert len(got) == 1


@pytest.mark.parametrize("text", [
    "Inspectors visited the force in November 2018 to assess the progress it had made since its initial inspection.",
    "HMICFRS then carried out an assessment of progress to examine the progress the force had made.",
    "We will continue to assess the progress made by the force.",
])
def test_the_inspectorate_describing_its_own_work_is_not_a_finding(text):
    assert _units(text) == []


def test_a_process_sentence_that_reports_a_result_is_kept():
    assert _units("It returned in June 2018 for a post-inspection review, and found the force had acted on most of its recommendations.")


RELEASE = """Kent Police has improved the way it protects children, says inspectorate

Kent Police has made good progress in protecting children since its 2016 inspection, according to a report published today by HMICFRS.

Get the report

Kent – National child protection inspection: post-inspection review

HMIC first inspected Kent Police's child protection services in 2016. That inspection found that the force did not always identify children at risk.

The post-inspection review, which took place in November 2017, found that the force control room now handles calls about children at risk more quickly.

Kent Police said it welcomed the report and had already acted on its recommendations.

Inspectors found areas of good practice:

  • the management of registered sex offenders;
  • the way it shares information with children's social care.

1. Contents
"""


def test_release_reading():
    doc = parse_document(RELEASE)
    by_text = {f["text"]: f for f in doc.findings}
    earlier = next(f for t, f in by_text.items() if "did not always identify children at risk" in t)
    review = next(f for t, f in by_text.items() if "control room now handles calls" in t)
    since = next(f for t, f in by_text.items() if "since its 2016 inspection" in t)
    # "That inspection found" belongs to the earlier inspection; the review's own finding,
    # and a comparison "since" the earlier one, belong to the review.
    assert earlier["inspection_id"] != review["inspection_id"]
    assert since["inspection_id"] == review["inspection_id"]
    # The force's own words are not the inspectorate's finding; a heading is not a finding.
    assert not any("welcomed the report" in t for t in by_text)
    assert "Contents" not in by_text
    assert by_text["the management of registered sex offenders"]["polarity"] == "positive"


def test_counts_by_grade_give_one_finding_per_grade():
    from ncpi.parse.findings import units_from_sentence
    got = [(u.value, u.unit, u.polarity) for u in units_from_sentence(
        "Of the 60 cases we examined, 18 were assessed as good, 25 as requiring improvement and 17 as inadequate.", 0)]
    assert got == [(18.0, "cases", "positive"), (25.0, "cases", "negative"), (17.0, "cases", "negative")]


def test_graded_areas_of_the_2024_cycle_are_findings():
    from ncpi.parse.document import parse_document
    text = ("Essex Police graded for child protection\n\nEssex Police is good at working with partners, according to a "
            "report published today by HMICFRS. HMICFRS inspected Essex Police between October and November 2024.\n\n"
            "HMICFRS graded the force as follows:\n\n• Leadership: good\n• Partnership working: good\n"
            "• Investigation: requires improvement\n")
    by = {f["text"]: (f["polarity"], f["theme"]) for f in parse_document(text).findings}
    assert by["Leadership: good"] == ("positive", "leadership_and_governance")
    assert by["Partnership working: good"] == ("positive", "partnership_working")
    assert by["Investigation: requires improvement"] == ("negative", "investigation")


def test_particularly_before_one_word_opens_no_list():
    # "particularly" qualifies "vulnerable": the sentence is one finding, not its two stages.
    text = ("The force was now much better at assessing whether children were particularly vulnerable, "
            "both when answering calls from the public and in how frontline officers identify vulnerable children.")
    got = _units(text)
    assert len(got) == 1 and got[0][1] == "positive"
    assert got[0][0].startswith("The force was now much better at assessing")
    # ... while "particularly" before a list still opens it.
    got = _units("Inspectors found weaknesses in the force's work, particularly in the supervision of cases, "
                 "the recording of decisions and the examination of devices.")
    assert [t for t, _ in got] == ["the supervision of cases", "the recording of decisions", "the examination of devices"]
