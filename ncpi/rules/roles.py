"""Speaker role rules: a speaker phrase as printed, mapped to a canonical role
(ncpi/vocab.py ROLES). The first record that matches names the role (read by
ncpi/parse/speakers.py); a record deciding "" keeps the role as printed (Met ranks).
When no record matches, the role is the printed one (role.as_printed), or one of HM
Inspectors when an inspectorate's release calls the speaker an inspector.
"""
from __future__ import annotations

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

# Roles given without a record matching (documented verdicts).
VERDICTS = {
    "role.spokesperson.organisation": "'a spokesperson for X Police': the organisation's spokesperson",
    "role.hm_inspector.inspectorate_document": "an inspectorate's release calling the speaker an inspector, or one who led the inspection",
    "role.as_printed": "a role outside the table, as printed ('Head of Policy, NSPCC')",
}

RULES = ROLE_RULES + NAMED_HMI_RULES

# The role rules decided in one scan of a phrase, first record in order wins (ncpi/rules RuleSet).
ROLE_SET = RuleSet(ROLE_RULES)
