"""One pandera model per table of the dataset; see each module for its columns.

TABLES is the publication order: reference and parent tables before their children.
"""
from schemas._base import arrow_schema, field_specs, table_meta
from schemas.contact_notes import ContactNotes
from schemas.duplicates import Duplicates
from schemas.findings import Findings
from schemas.forces import Forces
from schemas.inspection_sources import InspectionSources
from schemas.inspections import Inspections
from schemas.quarantine import Quarantine
from schemas.reports import Reports
from schemas.sources import Sources
from schemas.statements import Statements

TABLES = {
    "sources": Sources,
    "forces": Forces,
    "reports": Reports,
    "inspections": Inspections,
    "inspection_sources": InspectionSources,
    "findings": Findings,
    "statements": Statements,
    "contact_notes": ContactNotes,
    "duplicates": Duplicates,
    "quarantine": Quarantine,
}

__all__ = ["TABLES", "arrow_schema", "field_specs", "table_meta"]
