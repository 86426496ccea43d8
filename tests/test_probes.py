"""Probe documents and sentences in the genre, written for phrasings real releases and news
copies use (2014–2025), not taken from any fixture: they check the reading rules hold on
wording the parser was not tuned on."""
from __future__ import annotations

import pytest

from ncpi.parse.document import parse_document
from ncpi.parse.findings import units_from_sentence
from ncpi.parse.polarity import polarity_of
from ncpi.parse.themes import theme_of
from ncpi.text.furniture import strip_furniture


@pytest.mark.parametrize("text, want", [
    # "improved", "better", "now": change for the better.
    ("the force has improved the way it responds to children who go missing", "positive"),
    ("officers are now better at recognising the signs of child sexual exploitation", "positive"),
    ("the control room now routinely checks whether children live at the address", "positive"),
    ("children are better protected than they were two years ago", "positive"),
    ("there has been some improvement in the way officers record the voice of the child", "positive"),
    ("the force had fully implemented four of the six recommendations", "positive"),
    ("officers consistently took the views of children into account", "positive"),
    # "still", "not yet", "some", "inconsistent", "variable": work left to do.
    ("officers still do not always recognise the risks to children", "negative"),
    ("the force has not yet put in place a plan to reduce the number of children held in custody", "negative"),
    ("some officers lacked an understanding of child sexual exploitation", "negative"),
    ("the quality of investigations was inconsistent", "negative"),
    ("the quality of supervision was variable", "negative"),
    ("risk assessments were of a variable standard", "negative"),
    ("improvements were still needed in the way it records the views of children", "negative"),
    ("progress has been slower than expected", "negative"),
    ("there was no improvement in the timeliness of investigations", "negative"),
    ("the force's approach to child sexual exploitation was patchy", "negative"),
    ("the force's performance had deteriorated since 2015", "negative"),
    ("officers were unsure how to use police protection powers", "negative"),
    ("the force's computer systems made it difficult for officers to see what was known about a child", "negative"),
    ("it was hard for officers to find information about previous incidents", "negative"),
    ("children are still held overnight in police cells", "negative"),
    ("officers are still committed to protecting children", "positive"),
    ("officers had high workloads", "negative"),
    ("some calls were given a lower priority than they needed", "negative"),
    ("child protection is a priority for the force's leaders", "positive"),
    ("the force is taking action to address these issues", "positive"),
    # A practice "now" in place is a change made; "now needs to" and waiting longer are not.
    ("operators now check for previous incidents at the address", "positive"),
    ("the force now needs to make sure its officers understand the risks", "negative"),
    ("children now wait longer for a return interview", "negative"),
    # A relative clause recalling past criticism is background; the main clause judges.
    ("Cambridgeshire Constabulary, which was criticised last year for the way it handled cases, "
     "has reorganised its child abuse investigation teams", "positive"),
])
def test_polarity_probes(text, want):
    assert polarity_of(text) == want


@pytest.mark.parametrize("text, want", [
    # Examining devices is the most specific reading, whatever kind of case the devices come from.
    ("delays in examining phones in child sexual exploitation cases", "digital_forensics"),
    ("the force had a backlog of more than 300 devices waiting to be examined", "digital_forensics"),
    # "missing" names a theme only when a child is missing, not a page from a file.
    ("the child's account was often missing from the investigation file", "voice_of_the_child"),
    ("there were delays in return interviews for children who had been missing", "missing_children"),
    ("information about missing children was not always shared with the local authority", "missing_children"),
    # Recording what the child said, or how the child appeared, is hearing the child; recording decisions is records.
    ("officers did not always record what children told them", "voice_of_the_child"),
    ("officers did not always record how children appeared or their demeanour", "voice_of_the_child"),
    ("case files did not always contain an up-to-date record of the decisions made", "supervision_and_records"),
    # Referral is a stage of assessment; sharing information with partners is partnership work.
    ("referrals to children's social care were not always made promptly", "risk_assessment"),
    ("the central referral unit shares information well with the six local authorities", "partnership_working"),
    ("arrangements with the county council for sharing information at the point of referral", "partnership_working"),
    ("the force's work with schools, where officers share information about children affected by domestic abuse",
     "partnership_working"),
    # Child sexual abuse is the whole field's subject; an investigation's timeliness is investigation.
    ("too many investigations of child sexual abuse were delayed because officers had high workloads", "investigation"),
    ("investigations were allocated to officers who lacked specialist training, and supervisors did not set lines of enquiry",
     "investigation"),
    ("investigations were not always supervised effectively", "supervision_and_records"),
    # Structure and command are leadership.
    ("created a single safeguarding directorate, led by a chief superintendent", "leadership_and_governance"),
    # "X improved, following the introduction of Y": X is the subject.
    ("it has reduced delays in reviewing third party material, following the introduction of an "
     "information sharing protocol with the county council", "investigation"),
    ("the force's response to people who pose a risk to children was good", "offender_management"),
    ("call handlers did not always identify whether a child was at risk", "initial_contact"),
    ("officers attending domestic abuse incidents did not always find out whether children lived at the address",
     "domestic_abuse"),
])
def test_theme_probes(text, want):
    assert theme_of(text) == want


def test_each_reported_that_clause_is_its_own_finding():
    s = ("But it found that officers attending domestic abuse incidents did not always check whether children "
         "lived at the address, and that some children were held in police cells overnight.")
    units = units_from_sentence(s, 100)
    assert [(u.theme, u.polarity) for u in units] == [("domestic_abuse", "negative"), ("custody", "negative")]
    assert units[1].text == "some children were held in police cells overnight"
    assert s[units[1].start - 100:units[1].end - 100] == units[1].text


def test_and_that_without_a_report_stays_one_finding():
    units = units_from_sentence("Officers were slow to respond to calls about children, and that was a concern.", 0)
    assert len(units) == 1


NEWS_COPY = """Home / News / Crime

Force must do more for children at risk after child protection inspection

Picture: Archant

Norfolk Constabulary must improve the way it protects vulnerable children, according to a national child protection inspection report published today by HMICFRS.

Inspectors found that the force had improved its response to children who go missing from home, and that officers were now better at recognising the signs of child sexual exploitation.

Subscribe to the Eastern Daily Press for just £1 a month

But the report found that there were still delays in examining phones and laptops seized in child sexual exploitation cases, and that officers did not always record what children had told them.

Support our journalism: become a supporter today

Back to news

More On
Norfolk Constabulary
Child protection
"""


def test_news_copy_reads_like_a_careful_reader():
    doc = parse_document(NEWS_COPY, path="probe.txt")
    text = doc.source["text"]
    for furniture in ("Home / News", "Picture: Archant", "Subscribe to", "Support our journalism",
                      "Back to news", "More On", "Child protection\n"):
        assert furniture not in text
    got = {(f["polarity"], f["theme"]) for f in doc.findings}
    assert {("positive", "missing_children"), ("positive", "child_sexual_exploitation"),
            ("negative", "digital_forensics"), ("negative", "voice_of_the_child")} <= got


def test_promos_and_topic_boxes_are_furniture_but_prose_is_not():
    lines = ["Force told to improve", "", "Inspectors found that the force had improved its response to children "
             "who go missing from home.", "", "Donate now", "", "Related topics", "Child protection", "Policing"]
    kept = [s for s in strip_furniture(lines, find_masthead=False).lines if s.strip()]
    assert kept[-1].startswith("Inspectors found")
    assert "and / or" in strip_furniture(["Officers and / or staff were found to lack training in this area of work."],
                                         find_masthead=False).lines[0]


FIRST_HAND = """Leicestershire Police: child protection services require improvement

Leicestershire Police needs to improve the way it protects children at risk, according to a report published today by Her Majesty's Inspectorate of Constabulary (HMIC).

Get the report

Leicestershire – National child protection inspection

HMIC inspected the force's child protection work in June 2015 as part of its rolling programme of National Child Protection Inspections.

Inspectors found that officers and staff were committed to protecting children, and that the force had a good understanding of the risks posed by child sexual exploitation.

Areas of good practice included:

the force's work with the three local authorities in its multi-agency safeguarding hub;
the way officers in the control room identify children who may be at risk when calls are received; and
the prompt examination of mobile phones and computers seized in online abuse investigations.

However, inspectors were concerned that:

officers attending domestic abuse incidents did not always speak to the children present;
some children were detained in police custody overnight when they should have been moved to local authority accommodation;
the force's records did not always show what action had been taken to find children who had gone missing; and
investigations were still not always supervised effectively.

HM Inspector of Constabulary Mike Cunningham said:

"Leicestershire Police is committed to keeping children safe, but there is more to do."

Leicestershire's Police and Crime Commissioner said he welcomed the report and would monitor the force's progress.
"""


def test_lower_case_paragraphs_after_a_colon_are_the_lead_ins_list():
    # Plain-text copies lose bullet marks: each item is a paragraph beginning in lower case.
    doc = parse_document(FIRST_HAND, path="probe.txt")
    got = {f["text"]: (f["polarity"], f["theme"]) for f in doc.findings}
    assert got["the force's work with the three local authorities in its multi-agency safeguarding hub"] == \
        ("positive", "partnership_working")
    assert got["the way officers in the control room identify children who may be at risk when calls are received"] == \
        ("positive", "initial_contact")
    assert got["investigations were still not always supervised effectively"] == ("negative", "supervision_and_records")
    assert not any("welcomed the report" in t for t in got)


PCC_RESPONSE = """Commissioner responds to child protection inspection report

Police and Crime Commissioner Jane Doe has responded to the publication of a national child protection inspection of Kent Police by HM Inspectorate of Constabulary and Fire & Rescue Services.

The inspection found that Kent Police works well with partners to protect children, and that the force's leaders have a clear understanding of the risks children face.

Leadership: good

Initial response: requires improvement

The Commissioner said she was pleased that inspectors had recognised the force's work with schools, but that she would hold the Chief Constable to account for the improvements still needed.

Back to news
"""


def test_graded_area_lines_are_findings_without_bullets_and_the_commissioner_is_not_the_inspectorate():
    doc = parse_document(PCC_RESPONSE, path="probe.txt")
    got = {f["text"]: (f["polarity"], f["theme"]) for f in doc.findings}
    assert got["Leadership: good"] == ("positive", "leadership_and_governance")
    assert got["Initial response: requires improvement"] == ("negative", "initial_contact")
    assert not any("Commissioner said" in t for t in got)
    assert "Back to news" not in doc.source["text"]


def test_a_second_clause_with_its_own_subject_and_theme_is_its_own_finding():
    s = ("However, delays in examining mobile phones seized in child abuse cases remain, "
         "and some cases were still not supervised well enough.")
    got = [(u.theme, u.polarity) for u in units_from_sentence(s, 0)]
    assert got == [("digital_forensics", "negative"), ("supervision_and_records", "negative")]
    # One subject doing two things in one theme stays whole.
    assert len(units_from_sentence("Officers were quick to attend incidents, and they were good at finding out "
                                   "whether children lived at the address.", 0)) == 1
