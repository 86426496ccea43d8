"""What every table schema shares: arrow types carried in pandera field metadata.

A pandera model is the single source of truth for a table. Each field's metadata names
its Arrow type (pandas cannot express list<string>, date32 or time32 faithfully), and the
model's Config.metadata names the table's primary key, foreign keys and description. The
Arrow schema, the data dictionary and the release manifest are all generated from that.
"""
from __future__ import annotations

import pyarrow as pa

ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "int32": pa.int32(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "date32": pa.date32(),
    # Milliseconds, not seconds: Parquet has no time-in-seconds type, so a time32[s]
    # column would read back as time32[ms] and the file would disagree with its schema.
    "time32[ms]": pa.time32("ms"),
    "list<string>": pa.list_(pa.string()),
}

# Frictionless Table Schema field types for each arrow type. A list is declared `any`:
# frictionless-py 5 reads a Parquet list as a numpy array, which its `array` and `list`
# types reject, so `frictionless validate` would report every list cell as a type error.
# The manifest keeps the exact Arrow type of every field in `ncpiArrowType`.
FRICTIONLESS_TYPES: dict[str, str] = {
    "string": "string",
    "int32": "integer",
    "float64": "number",
    "bool": "boolean",
    "date32": "date",
    "time32[ms]": "time",
    "list<string>": "any",
}

HEX16 = r"^[0-9a-f]{16}$"
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def field_specs(model) -> list[dict]:
    """Columns of a model in declared order: name, arrow type, nullable, description."""
    schema = model.to_schema()
    out = []
    for name, col in schema.columns.items():
        meta = col.metadata or {}
        out.append(
            {
                "name": name,
                "arrow": meta["arrow"],
                "nullable": bool(col.nullable),
                "description": col.description or "",
                "enum": meta.get("enum"),
            }
        )
    return out


def arrow_schema(model) -> pa.Schema:
    fields = [
        pa.field(
            f["name"],
            ARROW_TYPES[f["arrow"]],
            nullable=f["nullable"],
            metadata={"description": f["description"]},
        )
        for f in field_specs(model)
    ]
    meta = table_meta(model)
    return pa.schema(fields, metadata={"table": meta["name"], "description": meta["description"]})


def table_meta(model) -> dict:
    # pandera keeps Config.metadata on the model's config, not on the built schema.
    meta = dict(getattr(model.__config__, "metadata", None) or {})
    meta.setdefault("foreign_keys", [])
    return meta
