"""`ncpi synth --n N --seed S --out DIR`: deterministic synthetic releases for scale tests."""
from __future__ import annotations

from pathlib import Path

from ncpi_cli.main import CliError


def register(sub):
    p = sub.add_parser("synth", help="write N deterministic synthetic releases into DIR/synth/ (for benchmarks and robustness tests)")
    p.add_argument("--n", type=int, required=True, help="number of releases")
    p.add_argument("--seed", type=int, default=0, help="same seed, same bytes (default 0)")
    p.add_argument("--out", type=Path, required=True, help="raw folder to write into (created if missing)")
    p.add_argument("--start", type=int, default=0,
                   help="number of the first release: with --start K, releases K..K+N-1 are appended to a folder that already holds 0..K-1 (default 0)")
    p.set_defaults(handler=run)


def run(args) -> int:
    if args.n < 0:
        raise CliError(f"--n must be 0 or more, not {args.n}", 2)
    if args.out.exists() and not args.out.is_dir():
        raise CliError(f"{args.out} is a file; pass a folder for --out", 2)
    from ncpi.synth import MANIFEST, generate
    if (args.out / MANIFEST).exists() and args.start == 0:
        raise CliError(f"{args.out} already holds synthetic releases ({MANIFEST}); pass an empty or new folder", 2)
    generate(args.n, args.seed, args.out, start=args.start)
    print(f"wrote {args.n} synthetic releases (seed {args.seed}) into {args.out / 'synth'}; expectations in {args.out / MANIFEST}")
    return 0
