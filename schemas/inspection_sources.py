"""inspection_sources — which source speaks of which inspection, and in what role."""
import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from schemas._base import HEX16

ROLES = ["subject", "mentioned"]


class InspectionSources(pa.DataFrameModel):
    inspection_id: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="The inspection; foreign key to inspections.")
    source_id: Series[str] = pa.Field(str_matches=HEX16, metadata={"arrow": "string"},
        description="The source that speaks of it; foreign key to sources.")
    role: Series[str] = pa.Field(isin=ROLES, metadata={"arrow": "string", "enum": ROLES},
        description="subject: the source reports on this inspection; mentioned: it only refers to it "
                    "(an earlier inspection, a report listed in the Notes).")
    span_start: Series[np.int32] = pa.Field(ge=0, metadata={"arrow": "int32"},
        description="Where the source first mentions the inspection (character offset in sources.text); "
                    "0 with span_end 0 when the reader could not place the mention.")
    span_end: Series[np.int32] = pa.Field(ge=0, metadata={"arrow": "int32"},
        description="End of that first mention (exclusive).")

    class Config:
        strict = True
        unique = ["inspection_id", "source_id"]   # one role per (inspection, source)
        metadata = {
            "name": "inspection_sources",
            "description": "One row per (inspection, source): which source reports on which inspection, "
                           "and which only mentions it.",
            "primary_key": ["inspection_id", "source_id"],
            "foreign_keys": [
                {"fields": ["inspection_id"], "reference": {"resource": "inspections", "fields": ["inspection_id"]}},
                {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}},
            ],
        }
