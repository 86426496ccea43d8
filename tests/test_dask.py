"""The parse tasks on a Dask cluster through prefect-dask's DaskTaskRunner, in a real
flow run: a LocalCluster on 127.0.0.1 (threads in one worker process, so the test is
light) gives the same bytes as the plain build."""
import hashlib
import shutil
from pathlib import Path

import pytest

pytest.importorskip("prefect_dask")

ROOT = Path(__file__).resolve().parents[1]


def hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(Path(folder).glob("*.parquet"))}


def test_build_flow_on_a_dask_local_cluster_matches_the_plain_build(prefect_harness, tmp_path):
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect_dask import DaskTaskRunner

    from flows.build import build_flow
    from ncpi.build import build
    from ncpi.synth import generate

    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "raw" / "seeds", raw / "seeds")
    generate(12, 3, raw)
    runner = DaskTaskRunner(cluster_kwargs={"n_workers": 1, "processes": False, "threads_per_worker": 2, "protocol": "tcp",
                                            "host": "127.0.0.1", "dashboard_address": None})
    state = build_flow.with_options(task_runner=runner)(str(raw), str(tmp_path / "dask"), batch_size=4,
                                                        workers=1, return_state=True)
    report = state.result()
    assert report.documents == 17 and report.reparsed == 17
    assert hashes(tmp_path / "dask") == hashes(build(raw, tmp_path / "plain", workers=1).out_dir)

    async def task_runs():
        async with get_client() as client:
            return await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[state.state_details.flow_run_id])))
    runs = asyncio.run(task_runs())
    parse_runs = [r for r in runs if r.name.startswith("parse-batch")]
    assert len(parse_runs) == 5 and all(r.state.is_completed() for r in parse_runs)


def test_dask_runner_helper_targets_localhost_or_the_given_address():
    from flows.build import dask_runner
    local = dask_runner()
    assert local.cluster_kwargs["host"] == "127.0.0.1"
    remote = dask_runner("tcp://10.0.0.5:8786")
    assert remote.address == "tcp://10.0.0.5:8786"
