"""How dates in a sentence become inspections: each case is a sentence read by hand."""
import datetime as dt

import pytest

from ncpi.parse import inspections as insp
from ncpi.parse.document import parse_document

D = dt.date


def read(sentence, subject_kind, report_date=None):
    out = []
    for m in insp.date_mentions(sentence, 0, 2019, lambda i: "f"):
        when, kind = insp.classify(m, subject_kind, report_date)
        out.append((m.date.start, m.role, when, kind))
    return out


@pytest.mark.parametrize("sentence, subject, want", [
    # a follow-up's release tells the initial inspection as history
    ("HMIC inspected Sussex Police's child protection services in March 2017.", "post_inspection_review",
     [(D(2017, 3, 1), "fieldwork", "earlier", "inspection")]),
    # ... and the review itself as news
    ("Today's report sets out the findings of a post-inspection review, which took place in July 2018.",
     "post_inspection_review", [(D(2018, 7, 1), "fieldwork", "current", "post_inspection_review")]),
    # an initial inspection's own release: "first" is the subject
    ("HMIC carried out its first child protection inspection of the force in June 2015.", "inspection",
     [(D(2015, 6, 1), "fieldwork", "current", "inspection")]),
    # the kind follows the date
    ("Following this inspection, in March 2019 HMICFRS conducted a post-inspection review.", "assessment_of_progress",
     [(D(2019, 3, 1), "fieldwork", "earlier", "post_inspection_review")]),
    # two dates: the second clause shares the first's reading, with its own role
    ("HMICFRS first inspected the force in June 2017, and published its report in October 2017.", "post_inspection_review",
     [(D(2017, 6, 1), "fieldwork", "earlier", "inspection"), (D(2017, 10, 1), "published", "earlier", "inspection")]),
    # news then history in one sentence
    ("Inspectors visited the force in November 2018 to assess the progress it had made since its initial inspection in 2017.",
     "post_inspection_review",
     [(D(2018, 11, 1), "fieldwork", "current", "post_inspection_review"), (D(2017, 1, 1), "fieldwork", "earlier", "inspection")]),
    # "since 2017" after a kind: the kind is the clause's, the year is history
    ("Our post-inspection review found that the force has made good progress since 2017.", "post_inspection_review",
     [(D(2017, 1, 1), "fieldwork", "earlier", "inspection")]),
    # a lower kind named in a higher kind's release is earlier
    ("A post-inspection review carried out in June 2018 found that progress was too slow.", "re_inspection",
     [(D(2018, 6, 1), "fieldwork", "earlier", "post_inspection_review")]),
    # a day range with "between ... and"
    ("HMICFRS carried out a full re-inspection of the force between 14 and 25 May 2018.", "re_inspection",
     [(D(2018, 5, 14), "fieldwork", "current", "re_inspection")]),
])
def test_sentence(sentence, subject, want):
    assert read(sentence, subject) == want


def test_long_past_first_inspection_is_history():
    got = read("The force's child protection work was first inspected in 2014.", "unknown", D(2019, 5, 14))
    assert got == [(D(2014, 1, 1), "fieldwork", "earlier", "inspection")]


def test_a_date_with_no_inspection_words_is_not_an_inspection():
    assert read("Between April 2017 and March 2018 the force received 3,000 referrals.", "inspection") == []


RELEASE = """{force} makes progress on child protection

Published on 14 March 2019

{force} has improved the way it protects children, according to a post-inspection review published today by HMICFRS.

HMIC first inspected {force}'s child protection services in June 2017, and published its report in October 2017.

HMICFRS returned to the force from 8–19 October 2018 to review the progress it had made.
"""


def test_release_gives_the_chain_with_dates_and_precision():
    doc = parse_document(RELEASE.format(force="Durham Constabulary"))
    got = {i["inspection_id"]: i for i in doc.inspections}
    assert set(got) == {"durham-post_inspection_review-2018", "durham-inspection-2017"}
    sub, first = got["durham-post_inspection_review-2018"], got["durham-inspection-2017"]
    assert (sub["fieldwork_start"], sub["fieldwork_end"], sub["published_date"]) == (D(2018, 10, 8), D(2018, 10, 19), D(2019, 3, 14))
    assert sub["date_precision"] == "day" and sub["previous_inspection_id"] == "durham-inspection-2017"
    assert (first["fieldwork_start"], first["published_date"], first["date_precision"]) == (D(2017, 6, 1), D(2017, 10, 1), "month")
    assert not first["is_subject"]


def test_force_calling_a_review_a_reinspection_is_not_trusted():
    text = ("Wiltshire Police welcomes re-inspection report\n\nWiltshire Police has welcomed the findings of a "
            "re-inspection of its child protection work by HMICFRS, which was published today.\n\n"
            "A Wiltshire Police spokesperson said the force had worked hard to improve.\n")
    kinds = {i["kind"] for i in parse_document(text).inspections if i["is_subject"]}
    # Not a re_inspection on the force's word; but a reader knows it is a follow-up (issue 13):
    # the programme's ordinary follow-up, a post-inspection review (rule kind.reader.returned).
    assert kinds == {"post_inspection_review"}


def test_thematic_report_is_not_ncpi():
    text = ("Police must do more to tackle online child abuse\n\nAn inspection of the police response to online child "
            "sexual abuse, published today by HMICFRS, found that forces are overwhelmed. We inspected six forces, "
            "including Kent Police and Cheshire Constabulary, and found that children are being let down.\n")
    doc = parse_document(text)
    assert "not_ncpi" in doc.source["quality_flags"] and doc.inspections == []


def test_a_month_without_year_is_the_last_such_month_before_the_document():
    text = ("Essex Police making progress on child protection, watchdog says\n\nThursday 9 March 2017\n\n"
            "Essex Police has improved the way it protects children, according to a report published today by HMIC.\n\n"
            "The force was first inspected in 2015. Inspectors returned in November to check its progress.\n")
    got = {i["inspection_id"]: i for i in parse_document(text).inspections}
    assert set(got) == {"essex-post_inspection_review-2016", "essex-inspection-2015"}
    sub = got["essex-post_inspection_review-2016"]
    assert (sub["fieldwork_start"], sub["fieldwork_end"]) == (D(2016, 11, 1), D(2016, 11, 30))
    assert sub["previous_inspection_id"] == "essex-inspection-2015"


def test_inspected_and_again_the_latest_is_the_reported_one():
    text = ("Lancashire Constabulary child protection review\n\nLancashire Constabulary has made good progress in "
            "protecting children, HMIC said today in a post-inspection review.\n\n"
            "The force was inspected in March 2015 and again in March 2016.\n")
    got = {i["inspection_id"]: i["is_subject"] for i in parse_document(text).inspections}
    assert got == {"lancashire-post_inspection_review-2016": True, "lancashire-inspection-2015": False}


def test_a_date_in_a_sentence_about_something_else_is_not_an_inspection():
    text = ("Kent Police child protection inspection\n\nKent Police must improve how it protects children, according "
            "to a child protection inspection report published today by HMICFRS. Inspectors visited the force in June 2018.\n\n"
            "The force said today that since April 2017 it has trained 500 officers.\n")
    assert [i["inspection_id"] for i in parse_document(text).inspections] == ["kent-inspection-2018"]


@pytest.mark.parametrize("said, day", [("published on Tuesday", D(2018, 9, 11)), ("published yesterday", D(2018, 9, 13))])
def test_news_copy_dates_the_report_from_its_own_date(said, day):
    text = (f"Cheshire Police praised for protecting vulnerable children\n\nBy Sam Jones\n\nFriday, 14 September 2018\n\n"
            f"Cheshire Constabulary has made good progress in protecting vulnerable children, according to a report {said} "
            "by HMICFRS.\n\nThe post-inspection review, carried out in May, found that the force had acted on the "
            "recommendations of its 2017 inspection.\n")
    sub = [i for i in parse_document(text).inspections if i["is_subject"]][0]
    assert (sub["inspection_id"], sub["published_date"], sub["fieldwork_start"]) == (
        "cheshire-post_inspection_review-2018", day, D(2018, 5, 1))


def test_peel_report_mentioning_an_ncpi_inspection_is_not_ncpi():
    text = ("PEEL: Police effectiveness 2016 – Kent Police\n\nHMIC has today published its PEEL assessment of Kent "
            "Police. The report notes that the force responded well to HMIC's national child protection inspection in 2015.\n")
    doc = parse_document(text)
    assert "not_ncpi" in doc.source["quality_flags"] and doc.inspections == [] and doc.findings == []


def test_a_title_with_a_colon_names_its_kind():
    text = ("Metropolitan Police Service – National child protection inspection: assessment of progress\n\n"
            "In November 2016, HMIC published its report on the national child protection inspection of the "
            "Metropolitan Police Service. We carried out fieldwork in July and August 2017.\n")
    got = {i["inspection_id"]: i for i in parse_document(text).inspections}
    assert set(got) == {"metropolitan-assessment_of_progress-2017", "metropolitan-inspection-2016"}
    assert got["metropolitan-inspection-2016"]["published_date"] == D(2016, 11, 1)
    assert got["metropolitan-assessment_of_progress-2017"]["published_date"] is None


@pytest.mark.parametrize("headline", [
    "Crime data integrity inspection 2018: Wiltshire Police",
    "Report on an unannounced inspection visit to police custody suites in Devon and Cornwall",
    "Joint inspection of police custody in Greater Manchester",
])
def test_the_inspectorates_other_programmes_are_not_ncpi(headline):
    text = (f"{headline}\n\nThe report, published today by HM Inspectorate of Constabulary and Fire & Rescue "
            "Services, found that officers treated children in custody with care, and that the force protects "
            "vulnerable children well, but its recording needs to improve.\n")
    doc = parse_document(text)
    assert "not_ncpi" in doc.source["quality_flags"] and doc.inspections == []
