"""Force rules: the forms in which real pages name the force a document is about, beyond
the reference names (ncpi/parse/forcenames.py composes these with the forces' names).

A bare short name ("Cumbria", "Devon and Cornwall") is weak: it is also a place, a county
council, a region. These records make it strong where the words around it say it is the
force: a report page's title line, "police in <place>". A lede in capitals names the force
too ("GREATER Manchester Police", "LANCASHIRE Police"): words of the forces' names written
in capitals are read as if written normally.
"""
from __future__ import annotations

from ncpi.rules import Rule as R

TITLED = R(
    "force.titled", "force",
    r"\s*[–—-]\s*National child protection",
    ("Cambridgeshire – National child protection inspection", "Wiltshire - National child protection inspection"),
    ("Cambridgeshire County Council – children's services",),
    "A report page's title '<short name> – National child protection …' names the force even "
    "when its foreword only says 'the force'.")

POLICE_IN = R(
    "force.police_in", "force",
    r"\b(?:police|officers|the police force) in ",
    ("POLICE in Devon and Cornwall have been criticised", "officers in Cumbria were praised"),
    ("children in Cumbria",),
    "'Police in <place>' names the force of that place.")

CAPITALS = R(
    "force.capitals", "force",
    r"\b[A-Z]{2,}\b",
    ("GREATER Manchester Police shows a strong commitment", "LANCASHIRE Police has improved"),
    ("Greater Manchester Police shows a strong commitment",),
    "A news lede's first words in capitals ('DURHAM Police's approach') are read as written "
    "normally when they are words of a force's name (acronyms such as GMP stay as they are).",
    flags=0)

RULES = (TITLED, POLICE_IN, CAPITALS)
