"""`ncpi bench --n N`: generate N synthetic releases, measure the build, print a table.

Measured (each cold phase on its own warehouse, so nothing is shared by accident):
  parse-only   parse_batch in this process, no pool, no cache: documents per second
  plain        the same steps without Prefect (pool + cache + validate + Parquet +
               release + views), in a child process: the baseline for overhead
  flow         `ncpi run`'s flow in a child process: Prefect start-up (a no-op flow's
               first run, which starts the local API), the cold run, the no-op rerun,
               and a rerun after adding one release
Peak RSS is the largest sum over the child's process tree (pool workers and Prefect's
server included), sampled every 50 ms. Results go to a JSON file so runs can be compared.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from ncpi_cli.main import CliError

# The targets on a 2-core machine; (key, comparison, bound).
TARGETS = {
    "parse_docs_per_s_per_core": (">=", 2000),
    "flow_run_s": ("<=", 15.0),
    "orchestration_overhead_pct": ("<=", 15.0),
    "noop_rerun_s": ("<=", 3.0),
    "peak_rss_mib": ("<=", 1024),
}


def register(sub):
    p = sub.add_parser("bench", help="benchmark the build on N synthetic releases; prints a table and writes JSON")
    p.add_argument("--n", type=int, required=True, help="number of synthetic releases")
    p.add_argument("--seed", type=int, default=0, help="seed of the synthetic releases: same seed, same bytes (default 0)")
    p.add_argument("--workers", type=int, default=None, help="parse processes (default: every core)")
    p.add_argument("--parse-sample", type=int, default=1000, metavar="K",
                   help="parse-only throughput is measured on the first K releases (default 1000)")
    p.add_argument("--json", type=Path, default=Path("bench.json"), help="where to write the results (default bench.json)")
    p.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it (default: a temporary folder)")
    p.add_argument("--child", choices=["plain", "flow"], help=argparse.SUPPRESS)
    p.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    p.set_defaults(handler=run)


def run(args) -> int:
    if args.child:
        return _child(args)
    if args.n < 1:
        raise CliError(f"--n must be at least 1, not {args.n}", 2)
    if args.json.parent and not args.json.parent.is_dir():
        raise CliError(f"cannot write {args.json}: folder {args.json.parent} does not exist", 2)
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        return _bench(args, args.keep)
    with tempfile.TemporaryDirectory(prefix="ncpi-bench-") as tmp:
        return _bench(args, Path(tmp))


def _bench(args, work: Path) -> int:
    from ncpi.build import default_workers, forces_reference, parse_batch
    from ncpi.synth import generate, read_manifest

    workers = args.workers or default_workers()
    m: dict = {}
    raw = work / "raw"
    import shutil
    for old in work.glob("warehouse-*"):      # every phase starts cold, also with --keep
        shutil.rmtree(old)
    if (raw / "synth").is_dir() and len(read_manifest(raw)) != args.n:
        shutil.rmtree(raw)                    # a kept folder from another --n, or one more release added
    if not (raw / "synth").is_dir():
        t = time.perf_counter()
        generate(args.n, args.seed, raw)
        m["synth_s"] = time.perf_counter() - t
    rels = [e.path for e in read_manifest(raw)][: args.n]

    sample = rels[: max(1, min(args.parse_sample, len(rels)))]
    parse_batch(str(raw), sample[:5], str(forces_reference(raw)))   # imports and compiled patterns
    t, cpu = time.perf_counter(), time.process_time()
    parse_batch(str(raw), sample, str(forces_reference(raw)))
    m["parse_docs"] = len(sample)
    m["parse_docs_per_s_per_core"] = len(sample) / (time.perf_counter() - t)
    # CPU time too: on a shared machine wall time also counts other people's work.
    m["parse_docs_per_cpu_s"] = len(sample) / (time.process_time() - cpu)

    plain = _run_child(args, work, "plain", workers)
    flow = _run_child(args, work, "flow", workers)
    m.update({f"plain_{k}": v for k, v in plain.items() if k != "peak_rss_mib"})
    m.update({k: v for k, v in flow.items() if k != "peak_rss_mib"})
    m["plain_peak_rss_mib"] = plain["peak_rss_mib"]
    m["peak_rss_mib"] = flow["peak_rss_mib"]
    m["flow_docs_per_s"] = args.n / m["flow_run_s"]
    m["orchestration_overhead_pct"] = 100.0 * (m["flow_run_s"] - m["plain_run_s"]) / m["flow_run_s"]

    results = {
        "n": args.n, "seed": args.seed, "workers": workers,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    # other work on the machine skews every wall-clock figure: record it
                    "load_1min_after": round(os.getloadavg()[0], 2)},
        "metrics": {k: round(v, 3) if isinstance(v, float) else v for k, v in m.items()},
        "targets": {k: {"op": op, "bound": b, "met": _met(m.get(k), op, b)} for k, (op, b) in TARGETS.items()},
    }
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(_table(results))
    print(f"results: {args.json}")
    return 0


def _met(value, op, bound) -> bool | None:
    if value is None:
        return None
    return value >= bound if op == ">=" else value <= bound


def _table(r: dict) -> str:
    m, t = r["metrics"], r["targets"]
    rows = [
        ("releases", f"{r['n']:,}", "", None),
        ("parse only, 1 process", f"{m['parse_docs_per_s_per_core']:,.0f} docs/s ({m['parse_docs_per_cpu_s']:,.0f}/CPU-s)", ">= 2,000 docs/s per core", t["parse_docs_per_s_per_core"]["met"]),
        ("plain build+release+views (no Prefect)", f"{m['plain_run_s']:.2f} s", "", None),
        ("Prefect start-up (fixed)", f"{m['startup_s']:.2f} s", "excluded from the run", None),
        ("flow end to end, cold", f"{m['flow_run_s']:.2f} s ({m['flow_docs_per_s']:,.0f} docs/s)", "<= 15 s for 10,000", t["flow_run_s"]["met"] if r["n"] >= 10000 else None),
        ("orchestration overhead", f"{m['orchestration_overhead_pct']:.1f} %", "<= 15 %", t["orchestration_overhead_pct"]["met"]),
        ("no-op rerun", f"{m['noop_rerun_s']:.2f} s", "<= 3 s", t["noop_rerun_s"]["met"]),
        ("rerun after adding 1 release", f"{m['add_one_rerun_s']:.2f} s (re-parsed {m['add_one_reparsed']})", "re-parses 1", m["add_one_reparsed"] == 1),
        ("peak RSS (process tree)", f"{m['peak_rss_mib']:,.0f} MiB", "<= 1,024 MiB", t["peak_rss_mib"]["met"]),
    ]
    w0, w1, w2 = (max(len(row[i]) for row in rows) for i in range(3))
    mark = {True: "ok", False: "MISSED", None: ""}
    lines = [f"{'measure':{w0}}  {'value':>{w1}}  {'target':{w2}}  met", "-" * (w0 + w1 + w2 + 9)]
    lines += [f"{a:{w0}}  {b:>{w1}}  {c:{w2}}  {mark[d]}" for a, b, c, d in rows]
    return "\n".join(lines)


# --- child processes ---------------------------------------------------------------------------
def _run_child(args, work: Path, phase: str, workers: int) -> dict:
    out = work / f"{phase}.json"
    cmd = [sys.executable, "-m", "ncpi_cli.main", "bench", "--n", str(args.n), "--seed", str(args.seed),
           "--child", phase, "--work", str(work), "--json", str(out), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = _sample_rss(proc)
    output = proc.stdout.read()
    if proc.wait() != 0 or not out.exists():
        tail = output.strip().splitlines()[-1:] or ["no output"]
        raise CliError(f"the {phase} phase failed (exit {proc.returncode}): {tail[0]}; rerun with --keep DIR to inspect", 1)
    result = json.loads(out.read_text(encoding="utf-8"))
    result["peak_rss_mib"] = peak() / 2**20
    return result


def _sample_rss(proc):
    import psutil
    peak = [0]
    root = psutil.Process(proc.pid)

    def loop():
        while proc.poll() is None:
            try:
                total = sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
            except psutil.Error:
                total = 0
            peak[0] = max(peak[0], total)
            time.sleep(0.05)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return lambda: (thread.join(), peak[0])[1]


def _child(args) -> int:
    raw, wh = args.work / "raw", args.work / f"warehouse-{args.child}"
    os.environ["NCPI_WORKERS"] = str(args.workers)
    m = {}
    if args.child == "plain":
        from ncpi import warehouse
        from ncpi.build import build, tables_match_latest_release
        from ncpi.release import cut_release
        t = time.perf_counter()
        build(raw, wh / "tables", cache_dir=wh / ".cache")
        if not tables_match_latest_release(wh):      # as flows/run.py does
            cut_release(wh / "tables", wh / "releases")
        warehouse.refresh_views(wh)
        m["run_s"] = time.perf_counter() - t
    else:
        from flows.prefect_env import configure_prefect
        configure_prefect()
        t = time.perf_counter()
        from flows.build import startup_flow
        from flows.run import run_flow
        m["import_s"] = time.perf_counter() - t
        t = time.perf_counter()
        startup_flow()
        m["startup_s"] = time.perf_counter() - t
        t = time.perf_counter()
        run_flow(str(raw), str(wh))
        m["flow_run_s"] = time.perf_counter() - t
        t = time.perf_counter()
        out = run_flow(str(raw), str(wh))
        m["noop_rerun_s"] = time.perf_counter() - t
        m["noop_up_to_date"] = out["report"].up_to_date
        from ncpi.synth import generate
        generate(1, args.seed, raw, start=args.n)
        t = time.perf_counter()
        out = run_flow(str(raw), str(wh))
        m["add_one_rerun_s"] = time.perf_counter() - t
        m["add_one_reparsed"] = out["report"].reparsed
    args.json.write_text(json.dumps(m), encoding="utf-8")
    return 0
