"""Bytes to str: BOMs, UTF-8, Windows-1252, and refusing what is not text at all."""
from __future__ import annotations

import codecs
import re

# Magic numbers of formats that sometimes land in raw/ by mistake.
BINARY_MAGIC = {
    b"\x89PNG": "PNG image",
    b"\x1f\x8b": "gzip archive",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive (or DOCX/XLSX)",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\xd0\xcf\x11\xe0": "legacy Office document",
}


class NotText(ValueError):
    """The bytes are not a text document; `rule` names the check for the quarantine."""

    def __init__(self, rule: str, reason: str):
        super().__init__(reason)
        self.rule = rule
        self.reason = reason


# A DTD internal subset (<!DOCTYPE html [ <!ENTITY ...> ]>) is never document text: HTML
# parsers read its tail as text (the title became "]>") and entities could smuggle text in.
DOCTYPE_SUBSET = re.compile(r"\A(\ufeff?\s*)<!DOCTYPE[^\[>]{0,200}\[.*?\]\s*>", re.I | re.S)
# Bidirectional controls reorder what a reader sees (a title shown reversed, "Trojan
# source" text); English press releases have no use for them.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# A doctype sits at the very top: its internal subset is looked for in the first 64 KB.
DOCTYPE_WITHIN = 65536
# Windows-1252 text is told from binary by its first 4 KB holding at most a few control
# characters, and by few characters that do not decode (at most 8, or one in 50).
CONTROL_SAMPLE = 4096
MAX_CONTROLS = 8
MAX_UNDECODED = 8
UNDECODED_SHARE = 50


def decode(data: bytes) -> tuple[str, list[str]]:
    """Decode raw bytes, returning (text, flags). Raises NotText for binary input.
    DTD internal subsets and bidi controls are removed, each with a flag."""
    text, flags = _decode(data)
    head = DOCTYPE_SUBSET.match(text[:DOCTYPE_WITHIN])
    if head:
        text = head.group(1) + "<!DOCTYPE html>" + text[head.end():]
        flags = flags + ["doctype_subset_removed"]
    if BIDI_CONTROLS.search(text):
        text = BIDI_CONTROLS.sub("", text)
        flags = flags + ["bidi_controls_removed"]
    return text, flags


def _decode(data: bytes) -> tuple[str, list[str]]:
    for magic, what in BINARY_MAGIC.items():
        if data.startswith(magic):
            raise NotText("not_text", f"the file is a {what}, not a text or HTML release")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), ["decoded_utf16"]
        except UnicodeDecodeError as exc:
            raise NotText("not_text", f"the file starts with a UTF-16 byte-order mark but does not decode: {exc.reason}")
    # Anywhere, not only in the first 4 KB: a release with binary appended is not a release,
    # and a NUL would end the text early in any C-string consumer of the dataset.
    nul = data.find(b"\x00")
    if nul >= 0:
        raise NotText("not_text", f"the file contains NUL bytes (the first at byte {nul:,}), so it is binary, "
                                  f"not a text or HTML release")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    # Windows-1252 is what most non-UTF-8 press text in England and Wales turns out to be.
    text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:CONTROL_SAMPLE] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > MAX_CONTROLS or text.count("\ufffd") > max(MAX_UNDECODED, len(text) // UNDECODED_SHARE):
        raise NotText("not_text", "the bytes are neither UTF-8 nor Windows-1252 text")
    return text, ["decoded_cp1252"]
