import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "raw" / "seeds"
VARIANTS = ROOT / "tests" / "fixtures" / "variants"

# Every test session gets its own quiet, offline Prefect home.
_home = tempfile.mkdtemp(prefix="ncpi-prefect-")
os.environ.setdefault("PREFECT_HOME", _home)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@pytest.fixture(scope="session")
def prefect_harness():
    """One Prefect test harness per session: it costs ~15 s to start."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.fixture
def http_server():
    """A real HTTP server on 127.0.0.1 with a free port, stopped after the test."""
    from pytest_httpserver import HTTPServer

    srv = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    srv.start()
    try:
        yield srv
    finally:
        srv.clear()
        srv.stop()


@pytest.fixture(scope="session")
def seed_docs():
    from ncpi.build import parse_one
    from ncpi.parse.forcenames import default_matcher

    return {p.name[:3]: parse_one(SEEDS.parent, f"seeds/{p.name}", default_matcher())[0] for p in sorted(SEEDS.glob("*.txt"))}
