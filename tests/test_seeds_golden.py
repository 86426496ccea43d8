"""Golden expectations for the five seed releases, written by reading each release
against ../shared/DATASET.md (never copied from the parser's output)."""
import datetime as dt

D = dt.date


def ids(doc):
    return {i["inspection_id"]: i for i in doc.inspections}


def find(doc, contains):
    hits = [f for f in doc.findings if contains in f["text"]]
    assert hits, f"no finding contains {contains!r}"
    return hits[0]


def test_000_northumbria_inspections(seed_docs):
    doc = seed_docs["000"]
    got = ids(doc)
    assert set(got) == {"northumbria-post_inspection_review-2019", "northumbria-inspection-2018"}
    r = got["northumbria-post_inspection_review-2019"]
    assert (r["kind"], r["is_subject"], r["lead_inspector"], r["inspectorate"]) == ("post_inspection_review", True, "Phil Gormley", "HMICFRS")
    # Fieldwork "in January 2019"; the release itself (its sidecar: published 11 April 2019) dates the
    # report to the day, and date_precision is the finest of the row's dates.
    assert (r["fieldwork_start"], r["fieldwork_end"]) == (D(2019, 1, 1), D(2019, 1, 31))
    assert (r["published_date"], r["date_precision"]) == (D(2019, 4, 11), "day")
    assert r["previous_inspection_id"] == "northumbria-inspection-2018"
    assert r["report_title"] == "Northumbria Police – National child protection post inspection review"
    e = got["northumbria-inspection-2018"]
    assert (e["is_subject"], e["fieldwork_start"], e["fieldwork_end"]) == (False, D(2018, 1, 1), D(2018, 1, 31))


def test_000_northumbria_findings(seed_docs):
    doc = seed_docs["000"]
    review = "northumbria-post_inspection_review-2019"
    positives = {
        "proposals for a consistent approach": "partnership_working",
        "additional training for staff": None,
        "share information with schools": "missing_children",
        "impact of domestic abuse": "domestic_abuse",
        "refreshed governance and oversight": "leadership_and_governance",
    }
    for text, theme in positives.items():
        f = find(doc, text)
        assert (f["inspection_id"], f["polarity"], f["force_id"]) == (review, "positive", "northumbria")
        if theme:
            assert f["theme"] == theme
    assert find(doc, "refreshed governance")["text"] == "refreshed governance and oversight procedures"
    negatives = {
        "current IT system": "it_systems",
        "inadequacies in the risk assessment": "risk_assessment",
        "examination of digital devices": "digital_forensics",
        "disparity between investigations": None,
    }
    for text, theme in negatives.items():
        f = find(doc, text)
        assert (f["inspection_id"], f["polarity"]) == (review, "negative")
        if theme:
            assert f["theme"] == theme
    # The 2018 inspection's own finding belongs to the 2018 inspection.
    assert find(doc, "performance was substandard")["inspection_id"] == "northumbria-inspection-2018"
    # Spans point at the text.
    text = doc.source["text"]
    for f in doc.findings:
        assert text[f["span_start"]:f["span_end"]] == f["text"]


def test_000_statement_and_contacts(seed_docs):
    doc = seed_docs["000"]
    assert len(doc.statements) == 1
    s = doc.statements[0]
    assert (s["speaker_name"], s["speaker_role"]) == ("Phil Gormley", "HM Inspector of Constabulary")
    assert s["text"].startswith("We previously inspected Northumbria Police")
    assert s["text"].endswith("further improvements implemented in due course.")
    assert s["text"].count("\n\n") == 3
    assert "“" not in s["text"] and "”" not in s["text"]
    c = [(c["kind"], c["phone_e164"], c["days"], c["opens"], c["closes"], c["purpose"]) for c in doc.contacts]
    assert c == [
        ("office_hours", "+442035130600", "Mon-Fri", dt.time(9), dt.time(17), None),
        ("out_of_hours", "+447836217729", None, None, None, "urgent media enquiries"),
    ]


def test_001_northamptonshire(seed_docs):
    doc = seed_docs["001"]
    got = ids(doc)
    assert set(got) == {"northamptonshire-assessment_of_progress-2020", "northamptonshire-post_inspection_review-2019",
                        "northamptonshire-inspection-2018"}
    s = got["northamptonshire-assessment_of_progress-2020"]
    # Fieldwork "in November and December 2020"; the release (sidecar: 24 March 2021) dates the report to the day.
    assert (s["fieldwork_start"], s["fieldwork_end"]) == (D(2020, 11, 1), D(2020, 12, 31))
    assert (s["published_date"], s["date_precision"]) == (D(2021, 3, 24), "day")
    assert s["lead_inspector"] == "Zoë Billingham"
    assert s["previous_inspection_id"] == "northamptonshire-post_inspection_review-2019"
    assert got["northamptonshire-post_inspection_review-2019"]["previous_inspection_id"] == "northamptonshire-inspection-2018"
    assert got["northamptonshire-post_inspection_review-2019"]["fieldwork_start"] == D(2019, 3, 1)
    # The office-hours line prints the out-of-hours mobile number: a flag, not a fix.
    office = [c for c in doc.contacts if c["kind"] == "office_hours"][0]
    assert office["phone_e164"] == "+447836217729"
    assert "office_hours_uses_out_of_hours_number" in office["quality_flags"]
    assert "office_hours_uses_out_of_hours_number" in doc.source["quality_flags"]
    # Notes describing the 2018 inspection's results are its findings.
    assert find(doc, "backlog of electronic devices")["inspection_id"] == "northamptonshire-inspection-2018"
    assert find(doc, "sex offenders who breach")["polarity"] == "negative"
    assert [s["speaker_name"] for s in doc.statements] == ["Zoë Billingham"]
    # "much better at assessing whether children were particularly vulnerable, both when answering
    # calls from the public and in how frontline officers identify vulnerable children": one
    # strength, about assessing risk at both stages; "particularly" qualifies "vulnerable" and
    # opens no list, so neither stage is a finding cut off from what was assessed.
    f = find(doc, "assessing whether children were particularly vulnerable")
    assert f["text"].endswith("in how frontline officers identify vulnerable children")
    assert (f["polarity"], f["theme"], f["inspection_id"]) == ("positive", "risk_assessment",
                                                               "northamptonshire-assessment_of_progress-2020")
    assert not [x for x in doc.findings if x["text"].startswith(("in how frontline", "both when answering"))]


def test_002_humberside(seed_docs):
    doc = seed_docs["002"]
    got = ids(doc)
    assert set(got) == {"humberside-post_inspection_review", "humberside-inspection-2016"}
    assert got["humberside-post_inspection_review"]["previous_inspection_id"] == "humberside-inspection-2016"
    assert got["humberside-post_inspection_review"]["lead_inspector"] == "Matt Parr"
    f = find(doc, "Only 26 percent of the cases")
    assert (f["value"], f["unit"], f["polarity"]) == (26.0, "percent", "negative")
    for text in ("management of sex offenders", "assessment of risk and early referral", "control room risk assessment and triage"):
        assert find(doc, text)["polarity"] == "positive"
    assert find(doc, "control room risk assessment and triage")["theme"] == "initial_contact"
    assert find(doc, "management of sex offenders")["theme"] == "offender_management"


def test_003_norfolk_notes_list(seed_docs):
    doc = seed_docs["003"]
    got = ids(doc)
    assert set(got) == {
        "norfolk-post_inspection_review", "norfolk-inspection-2014", "south-wales-inspection-2015",
        "west-mercia-inspection-2015", "nottinghamshire-inspection-2015", "west-yorkshire-inspection-2015",
        "greater-manchester-inspection-2014", "west-midlands-inspection-2014", "south-yorkshire-inspection-2014",
        "south-yorkshire-post_inspection_review-2015",
    }
    assert [i for i, r in got.items() if r["is_subject"]] == ["norfolk-post_inspection_review"]
    assert got["norfolk-post_inspection_review"]["previous_inspection_id"] == "norfolk-inspection-2014"
    assert got["norfolk-post_inspection_review"]["inspectorate"] == "HMIC"
    assert got["south-yorkshire-post_inspection_review-2015"]["previous_inspection_id"] == "south-yorkshire-inspection-2014"
    assert (got["west-mercia-inspection-2015"]["published_date"], got["west-mercia-inspection-2015"]["date_precision"]) == (D(2015, 2, 1), "month")
    assert got["norfolk-inspection-2014"]["published_date"] == D(2014, 8, 1)
    assert {f["force_id"] for f in doc.findings} == {"norfolk"}
    assert find(doc, "could do more to assess the risk")["polarity"] == "negative"
    assert find(doc, "successfully reduced delays")["polarity"] == "positive"
    assert find(doc, "examination of digital media")["theme"] == "digital_forensics"
    assert [c["phone_e164"] for c in doc.contacts] == ["+442035130600", "+447836217729"]
    assert doc.contacts[1]["phone_raw"] == "07836 217 729"


def test_004_two_forces_republished(seed_docs):
    doc = seed_docs["004"]
    assert doc.source["publisher"] == "Police Professional"
    assert doc.source["published_date"] == D(2017, 9, 21)
    # "Thursday (September 1)": 1 September 2017 was a Friday.
    assert "weekday_date_mismatch" in doc.source["quality_flags"]
    forces = {i["force_id"] for i in doc.inspections}
    assert forces == {"cumbria", "cleveland"}
    assert "greater-manchester" not in {f["force_id"] for f in doc.findings}
    assert "Vacancies" not in doc.source["text"] and "Copyright" not in doc.source["text"]
    by = {s["speaker_name"]: s for s in doc.statements}
    assert set(by) == {"Mike Cunningham", "Peter McCall"}
    assert (by["Mike Cunningham"]["speaker_role"], by["Mike Cunningham"]["force_id"]) == ("HM Inspector of Constabulary", "cleveland")
    assert by["Mike Cunningham"]["text"].startswith("I was particularly impressed")
    assert "he said" not in by["Mike Cunningham"]["text"]
    assert (by["Peter McCall"]["speaker_role"], by["Peter McCall"]["force_id"]) == ("Police and Crime Commissioner", "cumbria")
    lead = {i["force_id"]: i["lead_inspector"] for i in doc.inspections}
    assert lead["cleveland"] == "Mike Cunningham"
    assert lead["cumbria"] is None  # a PCC never leads an inspection
    assert find(doc, "still needs to be more involved in partnership assessments")["polarity"] == "negative"
    assert find(doc, "acted decisively")["polarity"] == "positive"
    # Short quoted fragments are not statements.
    assert not any("innovative work" == s["text"] for s in doc.statements)
