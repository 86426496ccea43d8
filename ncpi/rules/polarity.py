"""Polarity rules: is a finding a strength (positive) or a concern (negative)?

Read in this order by ncpi/parse/polarity.py: neutral phrases are blanked; a concern cue
decides negative unless it stands inside a positive override ("reduced its backlog");
then an override or praise cue decides positive; with no cue at all, a persisting state
is negative and a practice "now" in place is positive. Within a family the leftmost cue
decides; at one position, the earlier record.
"""
from __future__ import annotations

from ncpi.rules import Lexicon, Rule

R = Rule

NEUTRAL_RULES = (
    R("polarity.neutral.pass_on", "neutral",
      r"\b(?:refer|pass|share|report)(?:s|red|ed|ring|ing)? (?:on )?(?:their |any |these |those |its )?concerns",
      ("Officers refer concerns to children's social care promptly",),
      ("There were concerns about the quality of referrals",),
      "Passing concerns on is the work, not a concern about it."),
    R("polarity.neutral.so_that_not", "neutral",
      r"(?:so|ensur\w*) that (?:\w+ ){0,6}?(?:do|does|are|is|were|was) not",
      ("a new system ensures that children are not left in custody overnight",),
      ("children were not seen promptly",),
      "Preventing a harm ('so that ... not') is not a shortfall."),
)

OVERRIDE_RULES = (
    R("polarity.positive.deficit_fell", "positive",
      r"(?:overdue|delays?|backlogs?|absences?)\b[^.;]{0,60}?\b(?:has|have|had) (?:\w+ )?(?:fallen|fell|decreased|dropped|reduced)|"
      r"(?:decrease|fall|drop|reduction)\W{0,3} in (?:the number of )?(?:overdue|delays?|backlogs?|absences?)",
      ("The number of overdue visits to registered sex offenders has fallen significantly",
       "The report found a \"significant decrease\" in overdue visits to registered sex offenders"),
      ("the number of overdue visits has risen",),
      "A fall in a bad thing (overdue visits, delays, a backlog) is a change for the better."),
    R("polarity.positive.reduced_problem", "positive",
      r"\b(?:reduc(?:ed|ing|tion in)|cut(?:ting)?|tackled|addressed|cleared|eliminated|fewer)\b(?: \w+){0,4}? (?:delays?|backlogs?|concerns?|time taken)",
      ("The force has reduced its backlog of devices awaiting examination", "cleared the delays"),
      ("there is a backlog of devices",),
      "A concern word reporting the concern's removal."),
    R("polarity.positive.no_problem", "positive", r"(?:no|fewer) (?:delays?|concerns?|backlogs?)",
      ("There are now no delays in allocating cases",), ("delays in allocating cases remain",)),
    R("polarity.positive.improved", "positive", r"\bimproved\b(?! (?:but|however))|has improved|have improved",
      ("The quality of investigations has improved",), ("improvement is needed", "improved but still slow")),
    R("polarity.positive.progress_made", "positive",
      r"(?:clear|significant|good|encouraging|some) (?:signs of )?(?:improvements?|progress)|"
      r"made (?:good |clear |some |encouraging |significant |real )?(?:progress|improvements?|steps)|important steps",
      ("Inspectors found clear signs of progress", "the force has made good progress"),
      ("progress has been slow",)),
    R("polarity.positive.acted_decisively", "positive", r"acted decisively",
      ("The chief constable acted decisively on our findings",), ("the force acted slowly",)),
    R("polarity.positive.should_help", "positive", r"should (?:help|enable|allow|ensure)",
      ("The new unit should help officers identify risk",), ("officers should identify risk",),
      "'should help' predicts a benefit; bare 'should' is a recommendation (negative)."),
)

NEGATIVE_RULES = (
    R("polarity.negative.concern", "negative", r"\bconcern(?:s|ed|ing)?\b|inadequa",
      ("Inspectors were concerned about the supervision of cases", "some responses were inadequate"),
      ("The force is committed to protecting children",)),
    R("polarity.negative.delay", "negative",
      r"\bdelay(?:s|ed|ing)?\b|backlog|\btook (?:the police |officers |the force |it )?(?:\d+|\w+) (?:days|weeks|months) to\b",
      ("there were delays in examining devices", "a backlog of cases", "It took the police 96 days to obtain a warrant"),
      ("cases were allocated promptly", "it took officers a few minutes to arrive")),
    R("polarity.negative.lack", "negative", r"\black(?:s|ed|ing)?\b|\bpoor(?:ly)?\b|\bslow(?:ly)?\b",
      ("officers lacked an understanding of CSE", "record-keeping was poor", "slow to respond"),
      ("black", "the slowdown"),),
    R("polarity.negative.still_to_do", "negative",
      r"\bneeds? to\b|\bneeded to\b|\bshould\b|\bmust\b|\byet to\b",
      ("The force needs to improve its recording", "supervisors should review cases", "has yet to put in place"),
      ("The force has improved its recording",)),
    R("polarity.negative.weakness", "negative",
      r"\bweak(?:ness|nesses)?\b|\bhinder|substandard|disparit|inconsisten|requir(?:es|ed|ing) improvement|criticis|"
      r"\bfail(?:s|ed|ing|ings|ure|ures)?\b|prone to|insufficient|\b(?:wrongly|incorrectly|mistakenly)\b",
      ("practice was inconsistent across the force", "the force failed to identify risk", "work requiring improvement",
       "the report finds serious failings in how the force still handles cases",
       "a control room supervisor wrongly graded them as medium risk"),
      ("practice was consistent across the force",)),
    R("polarity.negative.negation", "negative",
      r"\bnot\b(?! only)|n[\'’]t\b|\bno effort|\brarely\b|\bseldom\b|\bnever\b|\bwithout the (?:right|necessary)",
      ("children were not always seen", "officers didn't record the child's views", "views were rarely recorded"),
      ("not only did officers attend promptly", "notable work")),
    R("polarity.negative.shortfall", "negative",
      r"\btoo (?:many|few|often|long|slow|little|much)\b|\boverdue\b|out of date|\bwaiting\b|let down|"
      r"\blimited\b|\bvar(?:ied|ies|iable)\b|\bgaps?\b|shortfall|worr",
      ("too many cases were closed early", "the quality of work varied", "children were let down"),
      ("many cases were handled well",)),
    R("polarity.negative.more_to_do", "negative",
      r"room to improve|(?:work|more) to do|undermin|struggl|\bproblems?\b|unclear|"
      r"could do more|could be done|more could be done|more needs|areas? (?:of|for) (?:concern|improvement)|"
      r"(?:further|more) (?:work|improvements?|action)|(?:is|was|are|were) (?:still )?needed",
      ("there is still more work to do", "further improvements are needed", "the force struggled to cope"),
      ("the work is done",)),
    R("polarity.negative.capacity", "negative",
      r"non-specialist|inexperienced|unable|missed|risk of harm was not|no evidence|"
      r"ineffective|\bbelow\b|low (?:level|number)|only \d|\bslower\b|(?<!no )\blonger\b(?![- ]term)|patchy|low(?:er)? priority|"
      r"overwhelm|(?:high|heavy|excessive|unmanageable) (?:workloads?|caseloads?)|deteriorat|\bworse\b|\bunsure\b|\bunaware\b|confus",
      ("cases were investigated by inexperienced officers", "only 26 percent of cases were good", "officers had heavy workloads"),
      ("a long-term plan", "no longer a problem")),
    R("polarity.negative.deficit", "negative",
      r"short of (?:staff|officers|investigators)|under[- ]strength|under-?resourced|under-?staffed|under-?developed|"
      r"\b(?:does|did|do|doing) little to\b|(?:has|have|had|needs?|needed|must) to do better",
      ("most of the teams that investigate child protection cases are short of staff",
       "most child protection teams were under strength", "the force does little to find, pursue or disrupt online offenders",
       "officers in the south of the county had to do better"),
      ("the teams are now fully staffed", "little to add"),
      "A staffing deficit or an under-developed practice, told without a concern word, is a shortfall."),
    R("polarity.negative.told_to", "negative",
      r"\b(?:was|were|been|is|are) (?:also )?(?:told|urged|instructed|ordered) to (?!improve\b)(?!put (?:its|their) failings right)",
      ("The force was also told to share information with partners sooner in online abuse investigations",),
      ("The force was told to improve", "officers told the child's mother"),
      "A directive naming a practice is a shortfall in that practice; a bare order to improve is not a finding."),
    R("polarity.negative.no_progress", "negative",
      r"\b(?:no|little) (?:real |significant |clear |discernible )?(?:improvement|progress|change)\b",
      ("there had been little progress since the inspection",), ("some progress was evident",)),
    R("polarity.negative.obstacle", "negative",
      r"\b(?:made|make|makes|making|found|find|finds)\s+it\s+(?:very\s+|more\s+|too\s+|so\s+)?(?:difficult|hard(?:er)?)\b|"
      r"\b(?:is|was|were|are|be|been)\s+(?:very\s+|often\s+|too\s+|more\s+)?(?:difficult|hard(?:er)?)\s+(?:to|for)\b",
      ("the IT system made it difficult for officers to see previous concerns", "it was hard to find records"),
      ("officers worked hard",)),
)

POSITIVE_RULES = (
    R("polarity.positive.strength", "positive",
      r"improv|progress|\bgood\b|\bstrong(?:ly)?\b|strength|effective",
      ("the force has a strong commitment", "good practice in the MASH"), ("officers were slow",)),
    R("polarity.positive.praise", "positive",
      r"commit|commend|encourag|impress|\binvest(?:ed|ing|ment|s)?\b|robust|success|\bbetter\b|"
      r"\bclear\b|well[- ]informed|\bwell\b|positive|innovative|excellent|outstanding",
      ("officers were well-informed about CSE", "a robust approach to supervision",
       "the report commended the force for prioritising safeguarding"), ("officers attended",)),
    R("polarity.positive.action_taken", "positive",
      r"introduced|developed|initiative|refreshed|additional|enhanced|ensur|recogni[sz]|appetite for change|dedicat|determin|"
      r"proactive|thorough|consistent(?:ly)? (?:good|approach)|allocated extra|highlighted good|good examples|praised|welcomed|appropriate",
      ("the force has introduced a new triage process", "officers recognised the signs of exploitation"),
      ("officers attended the address",)),
    R("polarity.positive.timely", "positive",
      r"\bquick(?:ly|er)?\b|\bprompt(?:ly)?\b|\btimely\b|more closely|\bcloser\b|expanded|increased|fully staffed|"
      r"\broutinely\b|acted on|taken [^.]{0,40}seriously|made (?:a number of |some |several |many )?changes|"
      r"\bimplemented\b|\bconsistent(?:ly)?\b|\bpriority\b|(?:taking|taken|take|took) (?:\w+ )?(?:action|steps)\b",
      ("referrals are made promptly", "the force has taken the findings seriously"), ("officers visited the school",)),
    R("polarity.positive.structure", "positive",
      r"restructured|reorganised|appointed|established|\bcreated\b|\bset up\b|\blaunched\b",
      ("the force has set up a dedicated missing persons team",), ("the team met weekly",)),
)

PERSISTS_RULE = R(
    "polarity.negative.persists", "negative", r"\b(?:still|remains?|remained)\b",
    ("children are still held overnight in police cells",), ("children are held in cells",),
    "With no other cue: a state that persists is a problem that has not gone away.")
NOW_RULE = R(
    "polarity.positive.now", "positive", r"\bnow\b(?! (?:needs?|has to|must))",
    ("operators now check for previous incidents at the address",), ("the force now needs to act",),
    "With no other cue: a practice now in place is a change made since.")

# A paragraph or sentence ending in a colon that leads into a list gives the list its
# polarity ("Other improvements include:", "Areas for improvement:"). First that applies.
LEAD_IN_RULES = (
    R("polarity.lead_in.positive", "positive", r"improvements?|strengths?|good practice|progress|positive|made improvements",
      ("Other improvements include:", "Inspectors found good practice in the following areas:"),
      ("Areas for improvement include:",),
      unless=r"areas? for improvement|needs? to|concerns?|weakness|requires? improvement"),
    R("polarity.lead_in.negative", "negative",
      r"concerns?|weakness|areas? for improvement|needs? to|should|still|requires? improvement|recommendations",
      ("HMIC's concerns included:", "The force still needs to:"), ("Strengths include:",)),
)

# Values given when no cue decides (documented, not matched): the row names them too.
DEFAULTS = {
    "polarity.default.list_item": ("positive", "A bullet with no cue of its own and no lead-in reads as a strength."),
    "polarity.default.quoted_figure": ("negative", "A measured figure inside a quotation with no cue reads as a concern."),
    "polarity.default.grade": ("negative", "A grade outside the vocabulary (e.g. 'requiring improvement') reads as a concern."),
}

NEUTRAL = Lexicon(NEUTRAL_RULES)
POSITIVE_OVERRIDES = Lexicon(OVERRIDE_RULES)
NEGATIVE_CUES = Lexicon(NEGATIVE_RULES)
POSITIVE_CUES = Lexicon(POSITIVE_RULES)

RULES = NEUTRAL_RULES + OVERRIDE_RULES + NEGATIVE_RULES + POSITIVE_RULES + (PERSISTS_RULE, NOW_RULE) + LEAD_IN_RULES
