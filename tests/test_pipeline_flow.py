"""The scheduled pipeline as a real Prefect flow run (local test harness): the fetch task
retries transient failures, the build still runs, and the run ends Failed so it shows."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from werkzeug.wrappers import Response

ROOT = Path(__file__).resolve().parents[1]
WEB = Path(__file__).parent / "fixtures" / "web"


@pytest.fixture
def web(http_server):
    return http_server


def make_raw(tmp_path: Path, urls: list[str]) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "raw" / "reference", raw / "reference")
    body = "[fetch]\nper_host_delay = 0\nretries = 0\nbackoff_factor = 0\nread_timeout = 2\n"
    for url in urls:
        body += f'\n[[release]]\nurl = "{url}"\n'
    (raw / "sources.toml").write_text(body, encoding="utf-8")
    return raw


def test_transient_fetch_failure_is_retried_then_the_build_still_runs(prefect_harness, web, tmp_path):
    from flows.pipeline import FetchIncomplete, ncpi_pipeline

    web.expect_request("/norfolk").respond_with_data((WEB / "hmic_norfolk.html").read_bytes(), content_type="text/html")
    calls = {"n": 0}

    def down(request):
        calls["n"] += 1
        return Response("maintenance", status=503)

    web.expect_request("/down").respond_with_handler(down)
    raw = make_raw(tmp_path, [web.url_for("/norfolk"), web.url_for("/down")])
    wh = tmp_path / "warehouse"

    state = ncpi_pipeline(raw_dir=str(raw), warehouse_dir=str(wh), fetch_retries=2,
                          fetch_retry_delay_seconds=0, return_state=True)

    assert state.is_failed()
    with pytest.raises(FetchIncomplete, match="the build ran, but fetching failed"):
        state.result()
    assert calls["n"] == 3, "the fetch task should have run three times (two retries)"
    # What could be fetched was stored and built.
    assert len(list((raw / "fetched").rglob("*.html"))) == 1
    assert (wh / "tables" / "sources.parquet").exists()


def test_nothing_new_skips_the_build_when_asked(prefect_harness, web, tmp_path):
    from flows.pipeline import FetchFailed, ncpi_pipeline

    web.expect_request("/gone").respond_with_data("no", status=404)
    raw = make_raw(tmp_path, [web.url_for("/gone")])
    wh = tmp_path / "warehouse"
    state = ncpi_pipeline(raw_dir=str(raw), warehouse_dir=str(wh), only_if_changed=True, return_state=True)
    # Nothing new: no build. A source that 404s is a permanent failure: the run ends Failed
    # (issue 15: a scheduled run with a broken source must not show green).
    assert state.is_failed()
    with pytest.raises(FetchFailed, match=r"1 source\(s\) could not be fetched: .*/gone: HTTP 404"):
        state.result()
    assert not wh.exists()


def test_fetch_then_run_cuts_a_release_containing_the_fetched_releases(prefect_harness, web, tmp_path, capsys):
    """The issue's acceptance: `ncpi fetch` adds the releases, a second fetch downloads
    nothing, and `ncpi run` then cuts a release that contains them."""
    import pyarrow.parquet as pq

    from ncpi_cli.main import main
    from ncpi.release.cut import latest_release
    from tests.test_fetch import conditional

    base = web.url_for("").rstrip("/")
    feed = (WEB / "hmicfrs_feed.xml").read_text(encoding="utf-8").replace("{{BASE}}", base)
    web.expect_request("/hmicfrs/feed/").respond_with_handler(conditional(feed.encode(), "application/rss+xml"))
    pages = {
        "/hmicfrs/news/news-feed/northumbria-police-has-taken-important-steps-to-improve-its-child-protection-capabilities-but-inconsistencies-remain/": "hmicfrs_northumbria.html",
        "/hmicfrs/news/news-feed/humberside-police-committed-to-improving-child-protection-but-progress-slow-in-some-areas/": "hmicfrs_humberside.html",
    }
    for path, name in pages.items():
        web.expect_request(path).respond_with_handler(conditional((WEB / name).read_bytes(), "text/html"))
    raw = make_raw(tmp_path, [])
    with open(raw / "sources.toml", "a", encoding="utf-8") as fh:
        fh.write(f'\n[[feed]]\nurl = "{base}/hmicfrs/feed/"\n')
    wh = tmp_path / "warehouse"

    assert main(["fetch", "--raw", str(raw)]) == 0
    assert capsys.readouterr().out.startswith("ncpi fetch: 2 new, 0 unchanged, 0 failed")
    web.clear_log()
    assert main(["fetch", "--raw", str(raw)]) == 0
    assert capsys.readouterr().out.startswith("ncpi fetch: 0 new, 2 unchanged, 0 failed")
    assert [resp.status_code for _, resp in web.log] == [304, 304, 304]     # nothing downloaded

    assert main(["run", "--raw", str(raw), "--warehouse", str(wh)]) == 0
    out = capsys.readouterr().out
    assert "release:" in out and "nothing changed" not in out
    release = latest_release(wh / "releases")
    assert release is not None
    sources = pq.read_table(next(release.rglob("sources.parquet"))).to_pylist()
    assert sorted(s["url"] for s in sources) == sorted(base + p for p in pages)
    northumbria = next(s for s in sources if "northumbria" in s["url"])
    assert northumbria["published_date"].isoformat() == "2019-05-14"
    assert northumbria["publisher"] == "HMICFRS"
