"""NCPI open dataset: parse HMIC/HMICFRS child protection inspection releases into tables.

Everything in this package is plain Python you can call in a REPL; Prefect lives in flows/.
"""
__version__ = "0.1.0"
# Bump when parsing changes what rows a document yields: it keys the parse cache.
PARSER_VERSION = "1"
