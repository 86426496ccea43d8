"""Press-office contact rules: which Notes items print a press office's number, and which
of those numbers is the out-of-hours line (read by ncpi/parse/contacts.py; rows in the
contacts table). A block outside the Notes is read for contacts only when it names the
press office (contact.press_office_block).
"""
from __future__ import annotations

from ncpi.rules import Rule

PRESS_OFFICE_BLOCK = Rule(
    "contact.press_office_block", "contacts",
    r"press office|media enquiries",
    ("For further information, HMICFRS’s press office can be contacted on 020 3513 0600.",
     "For media enquiries please call 0300 071 6734"),
    ("HMICFRS is an independent inspectorate, inspecting policing in the public interest.",),
    "A block outside the Notes that names the press office holds contacts too (plain words: "
    "found with one search of the lower-cased text).")

CONTACT_CUE = Rule(
    "contact.cue", "contact",
    r"press office|media enquiries|press line|media relations|press team|communications team|contacted on|call\b",
    ("HMICFRS’s out-of-hours press office line for urgent media enquiries is 07836 217729.",
     "The force’s communications team can be contacted on 01234 567890.",
     "Please call 020 3513 0600."),
    ("The inspection took place in April 2020 and the report was published on 12 June 2020.",
     "HMIC called for urgent improvements"),
    "A Notes item's number is a contact only when the item names a press office or says how to call it.")

OUT_OF_HOURS = Rule(
    "contact.out_of_hours", "out_of_hours",
    r"out[- ]of[- ]hours|outside (?:office|normal|working) hours|evenings? and weekends?|24[- ]hour",
    ("HMICFRS’s out-of-hours press office line for urgent media enquiries is 07836 217729.",
     "Outside office hours, call 07836 217729.", "For a 24-hour press line call 07000 000000."),
    ("HMICFRS’s press office can be contacted from 9:00am – 5:00pm Monday – Friday on 020 3513 0600.",),
    "A number for out-of-hours calls (kind out_of_hours); any other is an office-hours line.")

RULES = (PRESS_OFFICE_BLOCK, CONTACT_CUE, OUT_OF_HOURS)
