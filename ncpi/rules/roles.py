"""Speaker role rules: a speaker phrase as printed, mapped to a canonical role
(ncpi/vocab.py ROLES). The first record that matches names the role (read by
ncpi/parse/speakers.py); a record deciding "" keeps the role as printed (Met ranks).
When no record matches, the role is the printed one (role.as_printed), or one of HM
Inspectors when an inspectorate's release calls the speaker an inspector.
"""
from __future__ import annotations

import re

from ncpi.rules import Rule as R
from ncpi.rules import RuleSet

HMI = "HM Inspector of Constabulary"
HMCI = "HM Chief Inspector of Constabulary"

ROLE_RULES = (
    R("role.hm_chief_inspector", HMCI,
      r"\bH\.?M\.?\s*Chief Inspector of Constab\w*|\b(?:Her|His) Majesty['’]?s Chief Inspector of Constab\w*|\bChief Inspector of Constab\w*|\bHMCI(?:C|FRS)?\b",
      ("Her Majesty's Chief Inspector of Constabulary Sir Tom Winsor", "HMCI Andy Cooke"), ("HM Inspector Wendy Williams",)),
    R("role.hm_inspector", HMI,
      r"\bHMI\b|\bH\.?M\.?\s*Inspector\b|\b(?:Her|His) Majesty['’]?s Inspector\b|\bInspector of Constab\w*",
      ("HM Inspector of Constabulary Wendy Williams", "HMI Zoë Billingham"), ("Detective Inspector Jane Smith",)),
    R("role.deputy_pcc", "Deputy Police and Crime Commissioner",
      r"\bdeputy police(?:,)? (?:fire )?(?:and )?crime commissioner\b|\bDPCC\b",
      ("Deputy Police and Crime Commissioner Emily Spurrell",), ("Police and Crime Commissioner David Lloyd",)),
    R("role.pcc", "Police and Crime Commissioner",
      r"\bpolice(?:,)? (?:fire )?(?:and )?crime commissioner\b|\bPCC\b|\bPFCC\b|\bmayor['’]?s office for policing",
      ("Peter McCall, Cumbria police and crime commissioner", "PFCC Roger Hirst"), ("the crime survey",)),
    R("role.deputy_chief_constable", "Deputy Chief Constable", r"\bdeputy chief constable\b|\bDCC\b",
      ("Deputy Chief Constable Rachel Swann",), ("Chief Constable Simon Cole",)),
    R("role.assistant_chief_constable", "Assistant Chief Constable", r"\bassistant chief constable\b|\bACC\b",
      ("Assistant Chief Constable Nikki Holland",), ("Chief Constable Nikki Holland",)),
    R("role.chief_constable", "Chief Constable", r"\bchief constable\b",
      ("Chief Constable Mike Barton",), ("the constable",)),
    R("role.met_deputy_or_assistant_commissioner", "", r"\b(?:deputy|assistant) commissioner\b",
      ("Assistant Commissioner Martin Hewitt",), ("Commissioner Cressida Dick",),
      "Met ranks are kept as printed."),
    R("role.met_commissioner", "Commissioner of Police of the Metropolis",
      r"\bcommissioner of (?:police of )?the metropolis\b|\bMet(?:ropolitan Police)? Commissioner\b",
      ("Met Commissioner Sir Bernard Hogan-Howe",), ("Police and Crime Commissioner",)),
    R("role.detective_chief_superintendent", "Detective Chief Superintendent",
      r"\bdetective chief superintendent\b|\bDet(?:\.|ective)? Ch(?:\.|ief)? Supt\b|\bDCS\b",
      ("Det Ch Supt Sue Williams",), ("Detective Superintendent Sue Williams",)),
    R("role.detective_superintendent", "Detective Superintendent", r"\bdetective superintendent\b|\bDet(?:\.|ective)? Supt\b|\bDSU\b",
      ("Detective Superintendent Jo Chilton",), ("Superintendent Jo Chilton",)),
    R("role.chief_superintendent", "Chief Superintendent", r"\bchief superintendent\b|\bCh(?:\.|ief)? Supt\b",
      ("Chief Superintendent Ian Wylie",), ("Superintendent Ian Wylie",)),
    R("role.superintendent", "Superintendent", r"\bsuperintendent\b|\bSupt\b",
      ("Supt Paul Hogan",), ("Inspector Paul Hogan",)),
    R("role.detective_chief_inspector", "Detective Chief Inspector", r"\bdetective chief inspector\b|\bDCI\b",
      ("DCI Kate Firth",), ("Detective Inspector Kate Firth",)),
    R("role.detective_inspector", "Detective Inspector", r"\bdetective inspector\b",
      ("Detective Inspector Mark Bates",), ("Inspector Mark Bates",)),
    R("role.chief_inspector", "Chief Inspector", r"\bchief inspector\b|\bCh(?:\.|ief)? Insp\b",
      ("Chief Inspector Alison Brown",), ("Inspector Alison Brown",),
      "A police chief inspector is a rank, not one of HM Inspectors."),
    R("role.mp", "Member of Parliament", r"\bmember of parliament\b|\bMP\b(?!S)",
      ("Jess Phillips MP",), ("MPS officers",)),
    R("role.spokesperson", "Spokesperson", r"\bspokes(?:wo)?man\b|\bspokesperson\b",
      ("a force spokeswoman",), ("the force said",)),
)

# An HM Inspector named anywhere in the document in one of the inspectorate's stylings, with
# or without a quotation following: the name is the group `name`. `lead_inspector` is the HM
# Inspector named about the inspection (reported speech, a caption, "told <outlet>:").
_WORD = r"[A-Z][a-zà-öø-ÿ'’-]*(?:[A-Z][a-zà-öø-ÿ'’-]+)?"    # Zoë, McCall; a glued caption's "BillinghamHM" stops at Billingham
_NAME = r"(?P<name>(?!(?:The|Her|His|For|Police|Fire|Constabulary|Service|Services|Region|Force)\b)" + _WORD + r"(?: " + _WORD + r"){1,2})"
_HMI_STYLE = r"(?i:(?:H\.?M\.?|Her Majesty['’]?s|His Majesty['’]?s) Inspector of Constabulary(?: and Fire (?:&|and) Rescue Services)?)"
NAMED_HMI_RULES = (
    R("role.named_hmi.styled_before", HMI,
      _HMI_STYLE + r"(?: (?i:for) (?:the )?[A-Z][\w ]{2,40}?)?,? " + _NAME,
      ("HM Inspector of Constabulary, Mike Cunningham, said he was concerned",
       "says HM inspector of constabulary Zoë BillinghamHM inspector of constabulary",
       "HM Inspector of Constabulary for the Eastern Region, Zoë Billingham, said:",
       "HM Inspector of Constabulary for the Metropolitan Police Service Matt Parr said:"),
      ("Her Majesty's Inspectorate of Constabulary (HMIC) examined the force",),
      "The styling before the name, commas or not, a region between them.", flags=0),
    R("role.named_hmi.styled_after", HMI,
      _NAME + r",? (?:the )?(?:" + _HMI_STYLE + r"|(?i:lead inspector for HMIC\w*))",
      ("Matt Parr, HM Inspector of Constabulary, told Viking:", "Matt Parr, lead inspector for HMIC, said",
       "Zoe Billingham, Her Majesty's Inspector of Constabulary said:"),
      ("Chief Constable Ben-Julian Harrington said",),
      "The styling after the name, as a news copy prints it.", flags=0),
)

# An organisation's spokesperson, named by the organisation ("a spokeswoman for Kent Police",
# "A Lancashire Constabulary spokesman"): the speaker is the organisation's (phrase end, `$`).
ORG_SPOKESPERSON = R(
    "role.spokesperson.organisation", "Spokesperson",
    r"\b(?:an?|the)\s+(?P<who>spokes(?:wo)?man|spokesperson)\s+(?:for|from|at)\s+(?:the\s+)?(?P<org>[A-Z][\w&'’ -]{1,60}?)$"
    r"|(?P<org2>[A-Z][\w&'’ -]{1,60}?)\s+(?P<who2>spokes(?:wo)?man|spokesperson)$",
    ("a spokeswoman for Kent Police", "A Lancashire Constabulary spokesman"),
    ("a spokeswoman for Kent Police, who asked not to be named,", "Chief Constable Jane Smith"),
    "The speaker is the organisation's spokesperson; the force is the organisation's.")

# Roles read from the context of an inspectorate's release (the rows name the verdict
# role.hm_inspector.inspectorate_document): an "inspector" there is one of HM Inspectors,
# and so is whoever "led the inspection".
INSPECTOR_WORD = R(
    "role.inspector_word", HMI, r"\binspector\b",
    ("the lead inspector", "Inspector Wendy Williams"), ("Her Majesty's Inspectorate of Constabulary",),
    "Only in an inspectorate's own release, and only when no role record matched.")
LED_INSPECTION = R(
    "role.led_inspection", HMI,
    r"\bled (?:the|this|our) (?:inspection|review|re-inspection|assessment)\b|\blead inspector\b",
    (", who led the inspection,", "Zoë Billingham, lead inspector"), (", who leads the force's child protection work,",),
    "Read in the clause about the speaker (', who led the inspection,'), in an inspectorate's release.")

# A role outside the table is kept as printed only when it holds a word that says what
# someone does (the rows name role.as_printed).
ROLE_NOUN = R(
    "role.printed_role_noun", "",
    r"\b(?:chief|executive|director|head|chair\w*|leader|manager|officer|secretary|minister|commissioner|"
    r"councillor|member|founder|co-founder|president|lead|adviser|advisor|coordinator|co-ordinator|professor|"
    r"campaigner|mayor|deputy|assistant|superintendent|inspector|constable|sergeant|commander|trustee|governor|"
    r"principal|headteacher|teacher|editor|partner|consultant|solicitor|barrister|lecturer|researcher|analyst|"
    r"worker|nurse|doctor|representative|convenor|champion|ombudsman|ambassador|patron|cabinet|portfolio|"
    r"spokes\w+|peer|boss|expert|specialist|detective)\b|\b(?-i:MS|AM|MEP|MSP|CEO)\b",
    ("Head of Policy, NSPCC", "Director of Policy at Action for Children", "Chief Executive of Barnardo's"),
    ("Of Hertfordshire", "Speaking after the report was published"),
    "A printed role must say what the person does: a place or an opening clause is no role.")

# Roles given without a record matching (documented verdicts).
VERDICTS = {
    "role.hm_inspector.inspectorate_document": "an inspectorate's release calling the speaker an inspector (role.inspector_word), or one who led the inspection (role.led_inspection)",
    "role.as_printed": "a role outside the table, as printed ('Head of Policy, NSPCC'; role.printed_role_noun)",
}

# --- attribution: which words around a quotation say who speaks --------------------------
SAID = r"(?:said|says|added|adds|adding|commented|explained|stated|warned|told [\w ]{1,40}?|telling [\w ]{1,40}?|continued|went on)"
ATTRIBUTION_RULES = (
    R("attribution.before_said", "speaker before",
      rf"(?P<phrase>[A-Z‘“][^.!?“”\n]{{2,240}}?)\s+{SAID}\s*(?:that\s*)?[:,]?\s*$",
      ("HM Inspector of Constabulary Phil Gormley said:", "Chief Constable Simon Cole added that"),
      ("The report found that:", "HM Inspector of Constabulary Phil Gormley said the force had improved."),
      "The words before an opening mark that end with a verb of saying name the speaker.", flags=0),
    R("attribution.before_colon", "speaker before",
      r"(?P<phrase>[A-Z][^.!?“”\n]{2,200}?)\s*:\s*$",
      ("Wendy Williams, HM Inspector of Constabulary:",), ("the force must improve.",),
      "Or end with a colon (a caption's 'Wendy Williams, HM Inspector of Constabulary:').", flags=0),
    R("attribution.after_pronoun", "speaker after",
      rf"^[ \t]*\n?[ \t]*,?[ \t]*(?P<pro>he|she|they)\s+{SAID}\b[^.“\n]{{0,80}}?(?:[.,:]|$)",
      (", he said.", " she added, "), (", the report said.",),
      "A pronoun after the closing mark: the person named before."),
    R("attribution.after_said_name", "speaker after",
      rf"^[ \t]*\n?[ \t]*,?[ \t]*{SAID}\s+(?P<phrase>[^.“”\n]{{3,200}}?)(?:\.(?=\s|$)|$|(?=“))",
      (", said Wendy Williams, HM Inspector of Constabulary.",), (". The force said it would respond.",),
      "The verb then the speaker, to the end of the sentence, within the quote's paragraph.", flags=re.M),
    R("attribution.after_name_said", "speaker after",
      rf"^[ \t]*\n?[ \t]*,?[ \t]*(?P<phrase>(?:(?:an?|the)\s+\w|[A-Z])[^.“”\n]{{2,200}}?)\s+{SAID}\b[^.“\n]{{0,60}}?(?:[.,:]|$)",
      (" Chief Constable Simon Cole said.", ", a force spokesman said."), (", he said.",),
      "The speaker then the verb.", flags=0),
    R("attribution.between_runs", "same turn",
      rf"^[”\"’'\s,.]*(?:(?:(?:he|she|they)\s+{SAID}|{SAID}\s+[^.“”\n]{{1,120}}?|(?:(?:an?|the)\s+)?[A-Z][^.“”\n]{{1,120}}?\s+{SAID})"
      rf"(?:\s+[^.“”\n]{{0,60}}?)?[.,:]\s*)?$",
      ("”, he said. ", "”\n\n", "”, said Matt Parr. "), ("” and the report praised its ",),
      "Between two quoted runs, only closing marks and at most one attribution: one speaker's turn goes on."),
)

RULES = ROLE_RULES + (ORG_SPOKESPERSON, INSPECTOR_WORD, LED_INSPECTION, ROLE_NOUN) + NAMED_HMI_RULES

# The role rules decided in one scan of a phrase, first record in order wins (ncpi/rules RuleSet).
ROLE_SET = RuleSet(ROLE_RULES)
