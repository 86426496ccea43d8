"""Writing a query's rows as CSV, JSON or Markdown, and running it within its limits.

- CSV (RFC 4180): a NULL is an empty field, an empty string is `""`, so the two stay
  apart; dates and times in ISO 8601; lists and structs as JSON text.
- JSON: one array of objects, NULL as null, dates and times as ISO 8601 strings.
- Markdown: a pipe table; NULL shows as *NULL*, an empty string as an empty cell.
Terminal control characters in values are shown escaped in Markdown and table cells
(`display_text`) so a value cannot drive the terminal; CSV and JSON keep values exact.
"""
from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import uuid
from dataclasses import dataclass, field
from typing import Callable, TextIO

import duckdb

from ncpi.sql.sandbox import Limits, deadline, translate

FETCH_BATCH = 2048
FORMATS = ("table", "csv", "json", "markdown")

# C0 controls but tab and newline, DEL and C1 controls, shown as \xNN; the bidi
# overrides as \uNNNN (they reorder what the terminal shows).
_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0, 9), *range(11, 32), *range(127, 160)]}
_CONTROL.update({c: f"\\u{c:04x}" for c in [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]})


@dataclass
class Outcome:
    columns: list[str]
    shown: int = 0
    total: int = 0
    kept: list[tuple] = field(default_factory=list)

    @property
    def cut(self) -> bool:
        return self.shown < self.total

    def summary(self) -> str:
        return f"showing {self.shown} of {self.total} rows (raise --max-rows to see more)"


def run(con: duckdb.DuckDBPyConnection, sql: str, limits: Limits, *, max_rows: int | None,
        on_columns: Callable[[list[str]], None] | None = None,
        on_rows: Callable[[list[tuple]], None] | None = None) -> Outcome:
    """Run sql (already checked to be one SELECT) within limits.

    The first max_rows rows (all when None) go to on_rows in batches, or are kept in
    Outcome.kept when on_rows is None; the rest are only counted.
    """
    with deadline(con, limits.timeout) as fired:
        try:
            cur = con.execute(sql)
            out = Outcome(columns=[d[0] for d in cur.description])
            if on_columns:
                on_columns(out.columns)
            while True:
                batch = cur.fetchmany(FETCH_BATCH)
                if not batch:
                    break
                out.total += len(batch)
                room = len(batch) if max_rows is None else max(0, min(len(batch), max_rows - out.shown))
                if room:
                    out.shown += room
                    if on_rows:
                        on_rows(batch[:room])
                    else:
                        out.kept.extend(batch[:room])
        except duckdb.Error as exc:
            raise translate(exc, limits, fired) from None
    return out


def display_text(value: object) -> str:
    """A value as text for a person to read (table and Markdown cells)."""
    return plain_text(value).translate(_CONTROL)


def plain_text(value: object) -> str:
    """A non-NULL value as exact text (CSV fields)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ("nan" if math.isnan(value) else ("inf" if value > 0 else "-inf"))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, default=_json_default, ensure_ascii=False)
    return str(value)


def _json_default(value: object):
    if isinstance(value, (dt.datetime,)):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (set, frozenset)):
        return list(value)
    return str(value)


def _json_value(value: object):
    if isinstance(value, float) and not math.isfinite(value):
        return None     # JSON has no NaN or Infinity
    return value


def csv_field(value: object) -> str:
    if value is None:
        return ""
    text = plain_text(value)
    if text == "" or any(c in text for c in ',"\r\n') or text != text.strip(" "):
        return '"' + text.replace('"', '""') + '"'
    return text


class CsvWriter:
    def __init__(self, out: TextIO):
        self.out = out

    def columns(self, names: list[str]) -> None:
        self.out.write(",".join(csv_field(n) for n in names) + "\r\n")

    def rows(self, batch: list[tuple]) -> None:
        self.out.write("".join(",".join(csv_field(v) for v in row) + "\r\n" for row in batch))

    def close(self) -> None:
        pass


class JsonWriter:
    def __init__(self, out: TextIO):
        self.out = out
        self.names: list[str] = []
        self.first = True

    def columns(self, names: list[str]) -> None:
        self.names = names
        self.out.write("[")

    def rows(self, batch: list[tuple]) -> None:
        for row in batch:
            obj = {n: _json_value(v) for n, v in zip(self.names, row)}
            self.out.write(("\n" if self.first else ",\n")
                           + json.dumps(obj, default=_json_default, ensure_ascii=False, allow_nan=False))
            self.first = False

    def close(self) -> None:
        self.out.write("\n]\n" if not self.first else "]\n")


def markdown_cell(value: object) -> str:
    if value is None:
        return "*NULL*"
    text = display_text(value)
    return (text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
            .replace("\r\n", "<br>").replace("\n", "<br>").replace("*", "\\*"))


class MarkdownWriter:
    def __init__(self, out: TextIO):
        self.out = out

    def columns(self, names: list[str]) -> None:
        self.out.write("| " + " | ".join(markdown_cell(n) for n in names) + " |\n")
        self.out.write("|" + "|".join("---" for _ in names) + "|\n")

    def rows(self, batch: list[tuple]) -> None:
        for row in batch:
            self.out.write("| " + " | ".join(markdown_cell(v) for v in row) + " |\n")

    def close(self) -> None:
        pass


WRITERS = {"csv": CsvWriter, "json": JsonWriter, "markdown": MarkdownWriter}
