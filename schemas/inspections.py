"""inspections — one row per inspection of a force, reported on or mentioned."""
import pandera.pandas as pa
from pandera.typing import Series

from ncpi import vocab
from ncpi.vocab import values

KINDS = values(vocab.KINDS)
PRECISIONS = values(vocab.DATE_PRECISIONS)
INSPECTORATES = values(vocab.INSPECTORATES)


class Inspections(pa.DataFrameModel):
    inspection_id: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z0-9-]+-[a-z_]+(?:-\d{4})?$", metadata={"arrow": "string"},
        description="force_id-kind-year (year of fieldwork, else of publication; omitted when unknown); primary key.")
    force_id: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="The inspected force; foreign key to forces.")
    kind: Series[str] = pa.Field(isin=KINDS, metadata={"arrow": "string", "enum": KINDS},
        description="inspection (initial), post_inspection_review, assessment_of_progress, re_inspection, or unknown when the inspectorate's own words do not say.")
    kind_rule: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="Id of the rule that decided kind: a title/lead rule (kind.<kind>.named), a verdict from the dates (kind.from_dates.*), kind.mentioned.* for an earlier inspection, or kind.catalogue.filled when the text named no kind and the catalogue gave it; see docs/extraction-rules.md.")
    report_title: Series[str] = pa.Field(nullable=True, metadata={"arrow": "string"},
        description="Title of the report as printed under 'Get the report', if any.")
    fieldwork_start: Series[object] = pa.Field(nullable=True, metadata={"arrow": "date32"},
        description="First day of the stated fieldwork period ('in January 2019' gives 2019-01-01).")
    fieldwork_end: Series[object] = pa.Field(nullable=True, metadata={"arrow": "date32"},
        description="Last day of the stated fieldwork period ('in January 2019' gives 2019-01-31).")
    published_date: Series[object] = pa.Field(nullable=True, metadata={"arrow": "date32"},
        description="When the report was published, if stated (first day of the month or year when only those are known).")
    date_precision: Series[str] = pa.Field(nullable=True, isin=PRECISIONS, metadata={"arrow": "string", "enum": PRECISIONS},
        description="Precision of the fieldwork dates when present, otherwise of published_date.")
    inspectorate: Series[str] = pa.Field(nullable=True, isin=INSPECTORATES, metadata={"arrow": "string", "enum": INSPECTORATES},
        description="HMIC or HMICFRS: the inspectorate's name when the report was published.")
    lead_inspector: Series[str] = pa.Field(nullable=True, metadata={"arrow": "string"},
        description="The HM Inspector quoted about this inspection, name only; never a non-inspector.")
    previous_inspection_id: Series[str] = pa.Field(nullable=True, metadata={"arrow": "string"},
        description="The inspection this one follows up; foreign key to inspections.")
    report_id: Series[str] = pa.Field(nullable=True, metadata={"arrow": "string"},
        description="The inspectorate's report this inspection is, from reconciliation with the catalogue (ncpi/catalogue.py); foreign key to reports; null when no catalogue report matches.")
    quality_flags: Series[object] = pa.Field(metadata={"arrow": "list<string>"},
        description="Data problems noticed, e.g. kind_from_catalogue (the text gave no kind), kind_conflicts_with_catalogue, no_catalogue_report.")
    is_subject: Series[bool] = pa.Field(metadata={"arrow": "bool"},
        description="Convenience: true if some source reports on this inspection (role subject in "
                    "inspection_sources), false if it is only mentioned. inspection_sources says which source.")

    class Config:
        strict = True
        metadata = {
            "name": "inspections",
            "description": "One row per inspection of a force: those reported on and earlier ones the releases mention.",
            "primary_key": ["inspection_id"],
            "foreign_keys": [
                {"fields": ["force_id"], "reference": {"resource": "forces", "fields": ["force_id"]}},
                {"fields": ["previous_inspection_id"], "reference": {"resource": "inspections", "fields": ["inspection_id"]}},
                {"fields": ["report_id"], "reference": {"resource": "reports", "fields": ["report_id"]}},
            ],
        }
