"""statements — one row per attributed direct quotation."""
import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from schemas._base import HEX16


class Statements(pa.DataFrameModel):
    statement_id: Series[str] = pa.Field(unique=True, str_matches=HEX16, metadata={"arrow": "string"},
        description="Stable hash of source_id and span; primary key.")
    source_id: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="The document quoting; foreign key to sources.")
    inspection_id: Series[str] = pa.Field(nullable=True, metadata={"arrow": "string"},
        description="The inspection the quote comments on; foreign key to inspections.")
    force_id: Series[str] = pa.Field(nullable=True, metadata={"arrow": "string"},
        description="The force the quote is about; foreign key to forces.")
    speaker_name: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="Who is quoted, e.g. Phil Gormley ('he said' is resolved to the person).")
    speaker_role: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="The speaker's role, e.g. HM Inspector of Constabulary, Police and Crime Commissioner.")
    role_rule: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="Id of the rule that decided speaker_role (a record of the role table, role.as_printed, or a verdict from context).")
    text: Series[str] = pa.Field(str_length={"min_value": 1}, metadata={"arrow": "string"},
        description="The words quoted: paragraphs joined by a blank line, no enclosing quote marks, attributions removed.")
    span_start: Series[np.int32] = pa.Field(ge=0, metadata={"arrow": "int32"},
        description="Offset in sources.text of the first quoted word.")
    span_end: Series[np.int32] = pa.Field(ge=0, metadata={"arrow": "int32"},
        description="Offset in sources.text just after the last quoted word.")

    class Config:
        strict = True
        metadata = {
            "name": "statements",
            "description": "One row per attributed direct quotation (short quoted fragments in narrative are not statements).",
            "primary_key": ["statement_id"],
            "foreign_keys": [
                {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}},
                {"fields": ["inspection_id"], "reference": {"resource": "inspections", "fields": ["inspection_id"]}},
                {"fields": ["force_id"], "reference": {"resource": "forces", "fields": ["force_id"]}},
            ],
        }
