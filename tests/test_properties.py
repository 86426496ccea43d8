"""Any input either parses or is quarantined with a reason: never a crash."""
import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from ncpi.build import parse_one
from ncpi.parse.forcenames import default_matcher

ROOT = Path(__file__).resolve().parents[1]
CORPUS = [p.read_bytes() for p in sorted((ROOT / "raw/seeds").glob("*.txt"))] + [
    p.read_bytes() for p in sorted((ROOT / "tests/fixtures/variants").glob("*.txt"))[:20]]


def mutate(data: bytes, rnd: random.Random, n: int) -> bytes:
    b = bytearray(data)
    for _ in range(n):
        op = rnd.randrange(5)
        i = rnd.randrange(len(b) + 1)
        if op == 0 and b:
            del b[i:i + rnd.randrange(1, 200)]
        elif op == 1:
            b[i:i] = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 8)))
        elif op == 2:
            b[i:i] = rnd.choice([b"\xe2\x80\x9c", b"\xe2\x80\x9d", b'"', b"\n\n", b"\r", b"  \xe2\x80\xa2 ", b"<p>", b"&amp;", b"Notes\n", b"1. "])
        elif op == 3 and b:
            j = rnd.randrange(len(b))
            b[i:i] = b[j:j + rnd.randrange(1, 300)]
        else:
            b = b[: rnd.randrange(len(b) + 1)]
    return bytes(b)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(CORPUS) - 1), st.integers(0, 2**32), st.integers(1, 25))
def test_mutated_releases_parse_or_quarantine(tmp_path_factory, which, seed, n):
    raw = tmp_path_factory.mktemp("raw")
    (raw / "doc.txt").write_bytes(mutate(CORPUS[which], random.Random(seed), n))
    doc, q = parse_one(raw, "doc.txt", default_matcher())
    assert (doc is None) != (q is None)
    if q is not None:
        assert q["rule"] != "parser_error", q["reason"]
        assert q["reason"] and q["path"] == "doc.txt"
    else:
        text = doc.source["text"]
        for f in doc.findings:
            assert text[f["span_start"]:f["span_end"]] == f["text"]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=3000))
def test_arbitrary_text_never_crashes(tmp_path_factory, s):
    raw = tmp_path_factory.mktemp("raw")
    (raw / "doc.txt").write_text(s, encoding="utf-8", errors="surrogatepass") if "\ud800" not in s else None
    if not (raw / "doc.txt").exists():
        return
    doc, q = parse_one(raw, "doc.txt", default_matcher())
    assert (doc is None) != (q is None)
    assert q is None or q["rule"] != "parser_error", q and q["reason"]
