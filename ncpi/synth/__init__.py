"""Synthetic NCPI releases: `generate(n, seed, out_dir)` (see generate.py); phrases in templates.py."""
from ncpi.synth.generate import MANIFEST, Expected, generate, read_manifest

__all__ = ["MANIFEST", "Expected", "generate", "read_manifest"]
