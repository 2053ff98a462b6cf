"""Peak memory and time of `chemprops verify` on a large table: the report streams to its file, so the
footprint stays flat however many records (issue: 1,000,000 records under 1 GB, summed over the processes).

    python benchmarks/verify_memory.py [N] [SOURCE]

SOURCE (default: tests/data/wikipedia_chemicals.csv.gz, or $CHEMPROPS_BENCH_SOURCE) is repeated in order to N
records (default 1,000,000) into benchmarks/data/verify_N.csv.gz (not in git); then `chemprops verify FILE -o
report.parquet -q` runs as a fresh process whose process tree is sampled every 50 ms (RSS summed, and PSS,
which splits the pages forked workers share). The result is appended to benchmarks/results/results.jsonl.
Set CHEMPROPS_PYTHONPATH to measure another checkout of chemprops (before/after comparisons).
"""

from __future__ import annotations

import gzip
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_batch import DATA, PYTHON, RESULTS, ROOT, measure  # noqa: E402

SOURCE = Path(os.environ.get("CHEMPROPS_BENCH_SOURCE", ROOT / "tests" / "data" / "wikipedia_chemicals.csv.gz"))


def make_input(n: int, source: Path) -> Path:
    """N records: the source's rows repeated in order (its header once); written once, then reused."""
    DATA.mkdir(exist_ok=True)
    target = DATA / f"verify_{n}_{source.name.split('.')[0]}.csv.gz"
    if target.exists():
        return target
    opener = gzip.open if source.name.endswith(".gz") else open
    with opener(source, "rt", encoding="utf-8", newline="") as handle:
        header, *rows = handle.read().splitlines(keepends=True)  # records may span lines: keep the CSV as is
    import csv
    import io

    records = list(csv.reader(io.StringIO("".join(rows))))
    temp = target.with_suffix(".part")
    with gzip.open(temp, "wt", encoding="utf-8", newline="", compresslevel=1) as out:
        out.write(header)
        writer = csv.writer(out, lineterminator="\n")
        for i in range(n):
            writer.writerow(records[i % len(records)])
    temp.rename(target)
    return target


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 1_000_000
    source = Path(argv[1]) if len(argv) > 1 else SOURCE
    data = make_input(n, source)
    RESULTS.mkdir(exist_ok=True)
    report = RESULTS / f"verify_{n}.parquet"
    env = {"PYTHONPATH": os.environ["CHEMPROPS_PYTHONPATH"]} if os.environ.get("CHEMPROPS_PYTHONPATH") else None
    label = f"verify {n:,} records" + (" (CHEMPROPS_PYTHONPATH)" if env else "")
    command = [PYTHON, "-m", "chemprops", "verify", str(data), "-o", str(report), "-q"]
    # run from outside the repository when measuring another checkout: `python -m` puts the cwd first on the path
    measure(
        command, label, n, env=env, ok=(0, 1), cwd=DATA if env else ROOT
    )  # exit 1: some checks failed, as on any real data
    report.unlink(missing_ok=True)


if __name__ == "__main__":
    main(sys.argv[1:])
