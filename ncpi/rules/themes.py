"""Theme rules: which theme of the taxonomy (ncpi/vocab.py THEMES) a finding is about.

Read by ncpi/parse/themes.py. HEAD_RULES first: a theme named by the finding's head (its
`cue` group within the first words, before any other rule's cue). Then the topics
(TOPIC_RULES: devices, online abuse, exploitation, missing children, offenders, domestic
abuse, custody, the child's voice): of those matching, the one named first decides. Then
the other BODY_RULES IN ORDER: the first whose pattern matches decides. Topics come before
the stages of the work, so a finding about missing children that also mentions schools is
missing_children. No rule: `overall`.
"""
from __future__ import annotations

from ncpi.rules import Lexicon, RuleSet
from ncpi.rules import Rule as R

_DEVICES = r"(?:(?:digital|electronic|mobile|seized)\s+)*(?:devices?|phones?|computers?|laptops?|media)"

HEAD_RULES = (
    R("theme.partnership_working.head_work_with", "partnership_working",
      r"^\W*(?:[\w’'-]+\s+){0,5}?(?P<cue>work(?:s|ed|ing)?\s+(?:well\s+|closely\s+|more closely\s+|jointly\s+)?(?:with|alongside)\s+"
      r"(?:the\s+|its\s+|their\s+|local\s+|other\s+|partner\s+)*(?:schools?|councils?|local authorit\w*|partners?\b|agencies|organisations|social (?:care|services|workers)|health\b|children['’]s services|NHS))",
      ("The force's work with schools in Bolton, where officers share information about children missing from school",),
      ("Officers share information with schools about children who go missing",),
      "The work with partners is the subject; what they share about is context."),
    R("theme.training.head_training", "training",
      r"^\W*(?:[\w’'-]+\s+){0,5}?(?:(?:have|has|had|were|are)\s+(?:been\s+|received\s+|undergone\s+|now\s+)*)?(?:(?:new|additional|more|further|better|specialist|vulnerability|mandatory|bespoke)\s+)*(?P<cue>train(?:ing|ed))\b",
      ("More officers have been trained to recognise child sexual exploitation", "Training for officers on hearing the voice of the child"),
      ("Call handlers did not always recognise risk, and they need further training",),
      "A finding whose subject is training is about training, whatever the training covers."),
)

BODY_RULES = (
    R("theme.digital_forensics.devices", "digital_forensics",
      r"digital (?:device|forensic|media|evidence)|electronic devices?|devices? (?:requiring|awaiting) examination|hi-tech crime|forensic examin|"
      rf"(?:examin\w*|backlogs?|seized)\b(?:\s+(?:of|in|the|its|and|delays))*\s+{_DEVICES}|"
      rf"{_DEVICES}(?:\s+and\s+{_DEVICES})?\s+(?:seized|awaiting|requiring|waiting)",
      ("delays in examining phones in CSE cases", "a backlog of digital devices awaiting examination"),
      ("the force examined its processes",),
      "Examining devices is the most specific reading."),
    R("theme.online_child_abuse.online", "online_child_abuse",
      r"\bonline\b(?! child sexual exploitation)|\binternet\b|indecent images|\bIIOC\b|online abuse|social media|\bgrooming online",
      ("investigations of indecent images of children were delayed", "children at risk of abuse online"),
      ("online child sexual exploitation referrals",)),
    R("theme.child_sexual_exploitation.cse", "child_sexual_exploitation", r"sexual(?:ly)? exploit|\bCSE\b",
      ("the force's response to child sexual exploitation has improved", "CSE coordinators"),
      ("child sexual abuse investigations",),
      "Exploitation is the theme; 'child sexual abuse' is the whole field's subject."),
    R("theme.missing_children.missing", "missing_children",
      r"\bmissing\b(?!\s+(?:from\s+(?!home|care|school|their (?:home|placement)|foster|children['’]s homes?|placements?)|information|details|evidence|opportunit|records?|data))|absent from home|runaway|return interviews?",
      ("children who go missing from home were not always interviewed", "return interviews were not held"),
      ("the child's account was missing from the file", "missing information on case files"),
      "'missing' is about a child only when a person is missing."),
    R("theme.offender_management.offenders", "offender_management",
      r"sex(?:ual)? offenders?|registered (?:sex )?offenders?|offender management|(?:those|offenders|people|individuals|adults|men|suspects) who (?:may )?pose (?:a |the )?(?:significant |high |serious |greatest )?(?:risk|danger|threat)|violent and sexual offenders|sexual and violent offenders|\bMAPPA\b|\bViSOR\b|dangerous offenders|risk posed by offenders|suspects? (?:could|might) pose",
      ("the management of registered sex offenders was good", "people who pose a risk to children",
       "more officers dedicated to managing sexual and violent offenders"),
      ("offences against children",)),
    R("theme.domestic_abuse.domestic", "domestic_abuse", r"domestic (?:abuse|violence|incidents?)",
      ("children present at domestic abuse incidents were not always seen",), ("abuse within the family home",)),
    R("theme.custody.detention", "custody", r"\bcustody\b|\bdetention\b|detained|\bcells?\b",
      ("children were held in police cells overnight", "children detained under PACE"),
      ("cellular phones", "custodial sentences")),
    R("theme.voice_of_the_child.views", "voice_of_the_child",
      r"voice of the child|(?:child|children)['’]s?\s+(?:own\s+)?(?:views|voices?|wishes|feelings)|trusted adult|demeanour|how (?:the )?(?:child|children|young people) (?:appeared|presented|seemed|behaved)|what (?:the )?(?:child|children|young people) (?:had |have |has )?(?:said|say|says|told)|(?:child|children)['’]s?\s+accounts?\b|\bviews(?: and \w+)? of (?:the )?(?:child|children|young people)|speak(?:ing)? to (?:the )?child(?:ren)?|listen(?:ing)? to (?:the )?child(?:ren)?",
      ("officers did not record the child's views", "a trusted adult"), ("the views of partner agencies",)),
    R("theme.investigation.allocation", "investigation",
      r"\b(?:cases|investigations|enquiries)\b[^.;]{0,40}?\b(?:were|are|was|is|being)\s+(?:\w+\s+)?allocated|\ballocat\w*\s+(?:of\s+)?(?:cases|investigations)",
      ("cases were not allocated to specialist officers", "the allocation of investigations"),
      ("resources were allocated to the unit",),
      "Allocating cases is part of the investigation stage."),
    R("theme.initial_contact.calls", "initial_contact",
      r"control room|call[- ]?handl|\bcalls?\b|\btriage\b|first (?:point of )?contact|initial (?:contact|response)|answering calls|frontline officers? (?:attend|respond)|attending an incident|response officers",
      ("call handlers did not always identify risk", "the control room"), ("the force called for changes",)),
    R("theme.it_systems.systems", "it_systems",
      r"(?-i:\bIT\b)|\bsystems?\b(?! and staff)|database|computer|\bsoftware\b|\bNiche\b|\bAthena\b",
      ("the force's IT system made it difficult to see previous concerns", "the Niche records system"),
      ("it was clear", "systems and staff")),
    R("theme.supervision_and_records.supervision", "supervision_and_records",
      r"supervis|record(?:ing|s|ed|-keeping)?\b|documentation|case management|police protection|decision[- ]making",
      ("supervisors did not review cases", "the use of police protection powers"), ("the team leader",),
      "Decisions to use police protection powers are recorded and overseen by supervisors."),
    R("theme.partnership_working.sharing", "partnership_working",
      r"shar(?:e|es|ed|ing) (?:\w+ )?information|information[- ]sharing|(?:arrangements|agreements?|protocols?) with",
      ("the central referral unit shares information with the local authorities",), ("the force's shared values",),
      "Sharing information with partners is partnership work, even at the point of referral."),
    R("theme.risk_assessment.risk", "risk_assessment",
      r"risk[- ]assess|assess(?:es|ed|ing|ment of)?\s+(?:\w+\s+){0,2}?risks?\b|assessing whether|"
      r"identif\w*\s+(?:\w+\s+){0,4}?(?:at risk|vulnerab|risks?\b|need)|recognis\w*\s+(?:\w+\s+){0,3}?(?:signs?|when|at risk|risks?|vulnerab|abuse|neglect)|"
      r"signs (?:of|that)|referr?als?|\brefer(?:s|red|ring)?\b|early intervention",
      ("officers did not always identify children at risk", "referrals to social care were delayed"),
      ("vulnerable children",),
      "Words every release uses ('vulnerable children') signal no theme: what is done about the risk does."),
    R("theme.investigation.quality", "investigation",
      r"investigat|enquiries|\bcases?\b (?:were )?allocated|specialist teams|quality of (?:the )?(?:work|cases)|third[- ]party material|(?:right|necessary|specialist) skills|skills and experience",
      ("investigations were thorough", "specialist teams"), ("the inspection found",)),
    R("theme.training.training", "training",
      r"\btrain(?:ing|ed)?\b|\bskills?\b|awareness|knowledge|guidance for (?:staff|officers)|learning and development",
      ("officers' awareness of CSE was good", "staff lacked the knowledge"), ("officers were aware",)),
    R("theme.partnership_working.partners", "partnership_working",
      r"multi-agency|joint (?:working|safeguarding|agency)|\bMASH\b|safeguarding hubs?|partner agenc|partnership|\bpartners\b|local authorit|social (?:care|services|workers)|\bschools?\b|council|information[- ]sharing|shar(?:e|es|ed|ing) information|health (?:services|partners)|children['’]s services|strategy (?:meetings|discussions)|work(?:s|ed|ing)? (?:well |closely |more closely )?with",
      ("the multi-agency safeguarding hub works well", "strategy discussions with social workers"),
      ("the force's own officers",)),
    R("theme.leadership_and_governance.leadership", "leadership_and_governance",
      r"leader|governance|oversight|senior (?:officers|leaders|management)|chief officer|chief constable|\\blead (?:on|for)\\b|named (?:senior )?officer|strateg|priorit|plans?\b|restructur|culture|resourc|directorate|\bcommand\b|\bled by\b|reorganis|\bstructure\b|invest|performance (?:management|framework)|accountab|improvement programme",
      ("senior leaders have made child protection a priority", "the force's governance arrangements",
       "the Chief Constable is committed to improving services for children", "a named officer appointed to lead on child protection"),
      ("officers attended the scene",)),
)

# A trailing clause that only sets the scene ("risk assessments when children are caught up
# in domestic abuse", "record children's views, which affects incidents where children are
# exposed to domestic abuse"): the theme is read in the words before it first. Not "where":
# "children living in homes where there was domestic abuse" is about domestic abuse.
CONTEXT_CLAUSE = R(
    "theme.context_clause", "neutral",
    r",?\s+(?:which|when|such as|citing)\s+",
    ("taking a more consistent approach to risk assessments when children are caught up in domestic abuse",
     "good at working with safeguarding partners, citing its work with families whose children go missing"),
    ("the force responds well to children who go missing",
     "officers did not always recognise the risks to children living in homes where there was domestic abuse"),
    "Decides no theme: the words after it are context, so the head of the finding is read first.")

# The topics (the records before the stages of the work): when several match, the one the
# finding names first decides (ncpi/parse/themes.py), not the record order.
TOPIC_RULES = BODY_RULES[:8]

# Each family matched in one scan (ncpi/rules/__init__.py): the topics by leftmost cue, the
# other body rules by record order, and for each head rule the body rules of other themes.
# Each is tried only where its cues' words occur (the guard in ncpi/rules/needs.py).
TOPICS = Lexicon(TOPIC_RULES)
BODY = RuleSet(BODY_RULES)
OTHER_THEMES = {h.id: Lexicon(tuple(r for r in BODY_RULES if r.decides != h.decides)) for h in HEAD_RULES}

FALLBACK = "theme.overall.fallback"   # no rule matched: a judgment about the force as a whole

RULES = HEAD_RULES + BODY_RULES + (CONTEXT_CLAUSE,)
