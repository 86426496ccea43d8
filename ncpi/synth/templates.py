"""Phrases the synthetic releases are made of: data, not code.

Placeholders: {force} (official name), {short} (short name), {abbr} (HMIC/HMICFRS),
{inspectorate} (the long name), {fw} (fieldwork month and year), {prev} (the earlier
inspection's month and year), {hmi} (the HM Inspector's name). Wording follows the real
releases in raw/seeds/ and tests/fixtures/variants/.
"""

KINDS = ["inspection", "post_inspection_review", "assessment_of_progress", "re_inspection"]

# Fieldwork years each kind was carried out in (the NCPI programme ran 2014-2022).
YEARS = {
    "inspection": (2014, 2019),
    "post_inspection_review": (2015, 2019),
    "assessment_of_progress": (2019, 2021),
    "re_inspection": (2019, 2022),
}

LONG_NAME = {
    "HMIC": "Her Majesty’s Inspectorate of Constabulary",
    "HMICFRS": "Her Majesty’s Inspectorate of Constabulary and Fire & Rescue Services",
}

HMIS = ["Zoë Billingham", "Phil Gormley", "Mike Cunningham", "Wendy Williams", "Matt Parr", "Drusilla Sharpling"]

REPORT_TITLE = {
    "inspection": "{short} – National child protection inspection",
    "post_inspection_review": "{force} – National child protection post inspection review",
    "assessment_of_progress": "{short} – National child protection inspection assessment of progress",
    "re_inspection": "{short} – National child protection re-inspection",
}

HEADLINES = {
    "inspection": [
        "{force} must improve how it protects children at risk",
        "{force}: child protection inspection finds mixed picture",
        "{force} is committed to protecting children, but too many are let down",
    ],
    "post_inspection_review": [
        "{force} has taken important steps to improve its child protection work",
        "{force}: clear improvements in child protection",
        "{force} has made progress in protecting children, but work remains",
    ],
    "assessment_of_progress": [
        "{force} has improved its child protection services, but work remains",
        "{force}: progress on child protection, with more to do",
    ],
    "re_inspection": [
        "{force} re-inspection finds child protection still falls short",
        "{force}: re-inspection shows some progress in protecting children",
    ],
}

STANDFIRSTS = [
    "{force} has made progress in protecting vulnerable children but still has improvements to make, according to a report published today by {inspectorate} ({abbr}).",
    "{force} is committed to protecting children, but needs to improve how it assesses and manages risk, according to a report released today by {inspectorate} ({abbr}).",
    "{force} has a clear commitment to child protection, although inconsistencies remain, according to a report by {inspectorate} ({abbr}) out today.",
]

# The paragraph that says which inspection this is and when its fieldwork took place.
CONTEXT = {
    "inspection": [
        "As part of a rolling programme of child protection inspections of all police forces in England and Wales, {abbr} carried out a national child protection inspection of {force}. The inspection, which took place in {fw}, examined how well the force protects children at risk.",
        "{abbr} inspected {force}’s child protection services as part of its national child protection inspection programme. The fieldwork, which took place in {fw}, looked at the force’s response to children in need of help and protection.",
    ],
    "post_inspection_review": [
        "{abbr} initially inspected {force}’s child protection services in {prev}. Today’s report details the findings of a post-inspection review, which took place in {fw}, to see what progress the force has made against the recommendations.",
        "We first inspected {force} in {prev}. {abbr} inspectors went back to the force for a post-inspection review, which took place in {fw}.",
    ],
    "assessment_of_progress": [
        "{abbr} initially inspected {force}’s child protection services in {prev}. {abbr} then carried out an assessment of progress, which took place in {fw}, to examine the progress the force had made. Today’s report is based on these findings.",
    ],
    "re_inspection": [
        "{abbr} first inspected {force}’s child protection arrangements in {prev}. Because of continuing concerns, {abbr} carried out a re-inspection of the force’s child protection services, which took place in {fw}.",
    ],
}

STRENGTHS = [
    "the force has introduced a robust governance process for the use of police protection powers",
    "officers attending incidents now routinely identify children at risk and make referrals to children’s social care",
    "the response to children who go missing from home has improved",
    "registered sex offenders are now managed more effectively",
    "the force has increased the number of trained investigators in its child abuse investigation unit",
    "information about vulnerable children is shared promptly with partner agencies",
    "the force has reduced delays in the examination of digital devices",
    "senior leaders have made child protection a clear priority",
    "the work of specialist teams in tackling child sexual exploitation is effective",
]

WEAKNESSES = [
    "investigations were often delayed and poorly supervised",
    "officers did not always record the views of children",
    "some investigations were allocated to officers who lacked the right skills and experience",
    "there were delays of several months in examining digital devices",
    "children were sometimes kept in police custody overnight when they should have been moved to local authority accommodation",
    "the quality of risk assessments was inconsistent",
    "the force’s IT systems continue to hinder the visibility of information",
    "too many cases of online child sexual exploitation were not investigated promptly",
]

STRENGTH_LEADS = ["Inspectors found good practice in a number of areas, including:",
                  "Improvements include:", "The report found that:"]
WEAKNESS_LEADS = ["However, {abbr} also found areas that need to improve:",
                  "But inspectors also found that:", "Areas of concern include:"]

CLOSING_PARAS = [
    "{abbr} will continue to monitor {force}’s child protection work.",
    "Overall, inspectors found that {force} has a strong commitment to child protection with a clear set of priorities.",
    "The force still needs to improve the quality of its risk assessments and the supervision of its investigations.",
]

QUOTE_PARAS = [
    "{force} has worked hard to improve, and I am pleased with the commitment its officers and staff have shown to protecting children.",
    "However, we found that officers do not always recognise when a child is at risk, and some investigations were not carried out by officers with the right skills.",
    "I have made recommendations to the force and we will return to assess its progress in due course.",
    "Children who go missing from home now receive a better response, but there is still more to do, particularly in assessing risk.",
]

NOTES = [
    "{abbr} is inspecting the child protection work of every police force in England and Wales. The reports provide information for the police, the police and crime commissioner and the public on how well children are protected and their needs are met.",
    "Under the National Child Protection Inspection (NCPI) programme, {abbr} will assess how effectively each force in England and Wales safeguards children and young people at risk, and make recommendations to forces for improving child protection practice.",
    "{abbr} is an independent inspectorate, inspecting policing in the public interest.",
]
PRESS_OFFICE = "For further information, {abbr}’s press office can be contacted from 9:00am – 5:00pm Monday – Friday on 020 3513 0600."
OUT_OF_HOURS = "{abbr}’s out-of-hours press office line for urgent media enquiries is 07836 217729."

# Republished copies: an outlet's furniture around the release.
OUTLETS = [
    {"name": "Police Professional", "nav": ["News", "Features", "Events", "Subscribe"]},
    {"name": "Children & Young People Now", "nav": ["News", "Analysis", "Events", "Subscribe"]},
]
COOKIE_BANNER = ("We use cookies to give you the best experience on our website. By clicking \"Accept all\", "
                 "you agree to the storing of cookies on your device.\nAccept all\nManage preferences")
RELATED = ["Related news", "Force launches new recruitment campaign", "Chief constable announces retirement"]
COPYRIGHT = "© {year} {outlet}. All rights reserved."

# How the file is laid out on disk: the variants the parser is meant to handle.
LAYOUTS = ["plain", "plain", "plain", "html", "republished", "hard_wrapped", "crlf", "star_bullets",
           "numbered_bullets", "straight_quotes"]
