"""Benchmarks behind the README's Performance section: speed, scaling and memory of `chemprops batch`.

Inputs are built from tests/data/wikipedia_chemicals.csv.gz (19,239 real records), sampled with replacement and
shuffled to 5,000 / 10,000 / 100,000 / 1,000,000 rows, into benchmarks/data/ (not in git).

    python benchmarks/bench_batch.py inputs              # build the input files
    python benchmarks/bench_batch.py single              # bare RDKit loop vs chemprops batch -j 1, 5,000 rows
    python benchmarks/bench_batch.py scaling             # -j 2 vs -j 1, core on 100,000 rows
    python benchmarks/bench_batch.py scaling-all         # -j 2 vs -j 1, `all` on 2,000 rows, chunks of 100
    python benchmarks/bench_batch.py all-single          # -d all -j 1 vs a plain CalcMolDescriptors loop, 5,000 rows
    python benchmarks/bench_batch.py all-jobs            # -d all, -j 2 vs -j 1, on 1,000 and 5,000 rows
    python benchmarks/bench_batch.py core-jobs           # core, -j 2 vs -j 1, on 5,000 rows
    python benchmarks/bench_batch.py standardize         # core -j 1 with and without --standardize, 5,000 rows
    python benchmarks/bench_batch.py memory              # peak RSS, core, 1,000,000 rows, -j 2
    python benchmarks/bench_batch.py compare             # chemprops vs mordred vs datamol (bench venv)
    python benchmarks/bench_batch.py table               # the results as a Markdown table

Every run is a fresh process timed from start to exit (start-up included) while its process tree's RSS is
sampled every 50 ms; results are appended as JSON lines to benchmarks/results/results.jsonl and printed.
mordred and datamol run in a separate venv: `compare` needs BENCH_PYTHON, the path of that venv's python.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Where the inputs are built and read, and what they are sampled from: in the repository unless the environment
# names other paths (CHEMPROPS_BENCH_DATA, CHEMPROPS_BENCH_SOURCE: a CSV with a `smiles` column).
DATA = Path(os.environ.get("CHEMPROPS_BENCH_DATA", HERE / "data"))
RESULTS = HERE / "results"
SOURCE = Path(os.environ.get("CHEMPROPS_BENCH_SOURCE", ROOT / "tests" / "data" / "wikipedia_chemicals.csv.gz"))
PYTHON = sys.executable
BENCH_PYTHON = os.environ.get("BENCH_PYTHON", "")  # a python with mordred and datamol, for compare()
SIZES = {"5k": 5_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}


def make_inputs() -> None:
    """SMILES CSVs (id, smiles) sampled with replacement from the Wikipedia records, shuffled."""
    records = pd.read_csv(SOURCE, dtype=str, keep_default_na=False)  # compression inferred from .gz
    records = records[records["smiles"] != ""][[c for c in ("cas", "smiles") if c in records]]
    DATA.mkdir(parents=True, exist_ok=True)
    for label, n in SIZES.items():
        sample = records.sample(n=n, replace=n > len(records), random_state=20261126).reset_index(drop=True)
        sample.insert(0, "id", [f"m{i}" for i in range(n)])
        sample.to_csv(DATA / f"smiles_{label}.csv", index=False)
        print(f"{DATA / f'smiles_{label}.csv'}: {n:,} rows")


def measure(
    command: list[str], label: str, rows: int, env: dict | None = None, ok: tuple = (0,), cwd: Path = ROOT
) -> dict:
    """Wall time and peak RSS (the whole process tree, sampled every 50 ms) of one command; an exit code
    outside `ok` is a failure."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}, cwd=cwd
    )
    parent = psutil.Process(process.pid)
    peak = peak_pss = peak_one = 0
    samples = 0
    while process.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            rss = [p.memory_info().rss for p in tree]
            peak, peak_one = max(peak, sum(rss)), max(peak_one, max(rss))
            if samples % 10 == 0:  # PSS (shared pages split between the processes) costs more to read
                peak_pss = max(peak_pss, sum(p.memory_full_info().pss for p in tree))
        except psutil.Error:
            pass
        samples += 1
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read().decode(errors="replace").strip()
    if process.returncode not in ok:
        raise SystemExit(f"{label} failed ({process.returncode}): {stderr[-2000:]}")
    result = {
        "label": label,
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds, 1),
        "peak_rss_mb": round(peak / 2**20, 1),  # sum over the process tree (shared pages counted in each)
        "peak_pss_mb": round(peak_pss / 2**20, 1),  # sum of proportional set sizes: the tree's real footprint
        "peak_process_rss_mb": round(peak_one / 2**20, 1),  # the largest single process
        "command": " ".join(map(str, command)),
        "note": stderr.splitlines()[-1] if stderr else "",
    }
    RESULTS.mkdir(exist_ok=True)
    with open(RESULTS / "results.jsonl", "a") as handle:
        handle.write(json.dumps(result) + "\n")
    print(
        f"{label:45s} {rows:>9,} rows {seconds:8.2f} s {rows / seconds:9,.0f} rows/s "
        f"RSS {peak / 2**20:5.0f} MB (PSS {peak_pss / 2**20:5.0f} MB, largest process {peak_one / 2**20:5.0f} MB)"
    )
    return result


def chemprops(label: str, size: str, *args: str) -> dict:
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / ("out_" + "".join(c if c.isalnum() else "_" for c in label) + ".csv")
    command = [PYTHON, "-m", "chemprops", "batch", str(DATA / f"smiles_{size}.csv"), "-o", str(out), *args]
    return measure(command, label, SIZES[size])


def best(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["seconds"])


def single(repeat: int = 5) -> None:
    """Bare RDKit loop vs chemprops batch with one job, 5,000 rows, start-up included (best of `repeat`)."""
    bare, ours = [], []
    for _ in range(repeat):  # interleaved, so that machine load hits both alike
        command = [PYTHON, str(HERE / "bare_rdkit.py"), str(DATA / "smiles_5k.csv"), str(RESULTS / "out_bare.csv")]
        bare.append(measure(command, "bare RDKit loop (core columns)", SIZES["5k"]))
        ours.append(chemprops("chemprops batch -j 1 (core)", "5k", "-j", "1", "-q"))
    ratio = best(ours)["seconds"] / best(bare)["seconds"]
    print(f"one job / bare loop = {ratio:.3f} (target <= 1.1)")


def scaling(size: str = "100k", descriptors: str = "core", repeat: int = 1) -> None:
    one = best([chemprops(f"chemprops batch -j 1 ({descriptors})", size, "-j", "1", "-q", "-d", descriptors)
                for _ in range(repeat)])  # fmt: skip
    two = best([chemprops(f"chemprops batch -j 2 ({descriptors})", size, "-j", "2", "-q", "-d", descriptors)
                for _ in range(repeat)])  # fmt: skip
    print(f"{descriptors}, {SIZES[size]:,} rows: -j 2 is {one['seconds'] / two['seconds']:.2f}x -j 1 (target >= 1.8)")


def scaling_all(rows: int = 2_000) -> None:
    """`all` descriptors, -j 2 vs -j 1, on the first `rows` of the 10k input, chunks of 100 (work to share)."""
    RESULTS.mkdir(exist_ok=True)
    subset = RESULTS / f"compare_{rows}.csv"
    pd.read_csv(DATA / "smiles_10k.csv", dtype=str).head(rows).to_csv(subset, index=False)
    seconds = {}
    for jobs in ("1", "2"):
        command = [PYTHON, "-m", "chemprops", "batch", str(subset), "-o", str(RESULTS / "out_all.csv"), "-d", "all",
                   "-j", jobs, "-q", "--chunk-size", "100"]  # fmt: skip
        seconds[jobs] = measure(command, f"chemprops -d all -j {jobs} --chunk-size 100", rows)["seconds"]
    print(f"all, {rows:,} rows: -j 2 is {seconds['1'] / seconds['2']:.2f}x -j 1 (target >= 1.8)")


def _subset(rows: int) -> Path:
    """The first `rows` of the 5k input (the same molecules for every run of a comparison)."""
    path = RESULTS / f"subset_{rows}.csv"
    pd.read_csv(DATA / "smiles_5k.csv", dtype=str).head(rows).to_csv(path, index=False)
    return path


def all_single(rows: int = 5_000, repeat: int = 3) -> None:
    """`-d all -j 1` against a plain loop over RDKit's CalcMolDescriptors (bare_all.py), one process each, one BLAS
    thread, interleaved `repeat` times; the ratio of the best times (target: chemprops >= 1.25x faster)."""
    source = _subset(rows)
    bare, ours = [], []
    for _ in range(repeat):
        command = [PYTHON, str(HERE / "bare_all.py"), str(source), str(RESULTS / "out_bare_all.csv")]
        bare.append(measure(command, "plain CalcMolDescriptors loop, 1 process", rows))
        command = [PYTHON, "-m", "chemprops", "batch", str(source), "-o", str(RESULTS / "out_all.csv"), "-d", "all",
                   "-j", "1", "-q"]  # fmt: skip
        ours.append(measure(command, "chemprops batch -d all -j 1", rows))
    ratio = best(bare)["seconds"] / best(ours)["seconds"]
    print(f"all, {rows:,} rows: chemprops -j 1 is {ratio:.2f}x the plain loop (target >= 1.25)")


def jobs_scaling(descriptors: str, sizes: tuple[int, ...], repeat: int = 2) -> None:
    """-j 2 against -j 1, default chunk sizes, interleaved; the ratio of the best times (target >= 1.8 for
    `all`, >= 1.7 for `core`)."""
    for rows in sizes:
        source = _subset(rows)
        runs: dict[str, list] = {"1": [], "2": []}
        for _ in range(repeat):
            for jobs in ("1", "2"):
                command = [PYTHON, "-m", "chemprops", "batch", str(source), "-o", str(RESULTS / "out_jobs.csv"),
                           "-d", descriptors, "-j", jobs, "-q"]  # fmt: skip
                runs[jobs].append(measure(command, f"chemprops batch -d {descriptors} -j {jobs} ({rows:,})", rows))
        ratio = best(runs["1"])["seconds"] / best(runs["2"])["seconds"]
        print(f"{descriptors}, {rows:,} rows: -j 2 is {ratio:.2f}x -j 1")


def standardize_speed(rows: int = 5_000, repeat: int = 2) -> None:
    """`--standardize` (the parent's columns, ChEMBL Structure Pipeline) against the same run without, core, -j 1."""
    source = _subset(rows)
    runs: dict[str, list] = {"off": [], "on": []}
    for _ in range(repeat):
        for label, extra in (("off", []), ("on", ["--standardize"])):
            command = [PYTHON, "-m", "chemprops", "batch", str(source), "-o", str(RESULTS / "out_std.csv"), "-j", "1",
                       "-q", *extra]  # fmt: skip
            runs[label].append(
                measure(command, f"chemprops batch -j 1 (core){' --standardize' * (label == 'on')}", rows)
            )
    ratio = best(runs["on"])["seconds"] / best(runs["off"])["seconds"]
    print(f"--standardize, {rows:,} rows: {ratio:.2f}x the time without")


def memory() -> None:
    chemprops("chemprops batch -j 2 (core) 1M rows", "1m", "-j", "2", "-q")


def compare(rows: int = 2_000) -> None:
    """chemprops vs mordred vs datamol on the same molecules (first `rows` of the 10k input)."""
    if not BENCH_PYTHON:
        raise SystemExit("compare: set BENCH_PYTHON to the python of a venv with mordred and datamol")
    RESULTS.mkdir(exist_ok=True)
    subset = RESULTS / f"compare_{rows}.csv"
    pd.read_csv(DATA / "smiles_10k.csv", dtype=str).head(rows).to_csv(subset, index=False)
    script = str(HERE / "others.py")
    out = str(RESULTS / "out_compare.csv")
    for descriptors in ("core", "all"):
        for jobs in ("1", "2"):
            command = [PYTHON, "-m", "chemprops", "batch", str(subset), "-o", out, "-d", descriptors, "-j", jobs, "-q"]
            measure(command, f"chemprops -d {descriptors} -j {jobs}", rows)
    measure([BENCH_PYTHON, script, "rdkit-all", str(subset), out], "RDKit CalcMolDescriptors (all 2D), 1 core", rows)
    measure([BENCH_PYTHON, script, "datamol", str(subset), out], "datamol compute_many_descriptors, 1 core", rows)
    measure([BENCH_PYTHON, script, "datamol-2", str(subset), out], "datamol compute_many_descriptors, 2 jobs", rows)
    measure([BENCH_PYTHON, script, "mordred-core", str(subset), out], "mordred, core-equivalent subset, 1 core", rows)
    small = min(rows, 500)  # mordred's full 2D set runs at ~20 molecules/s
    measure([BENCH_PYTHON, script, "mordred-all", str(subset), out, str(small)], "mordred all 2D, 1 core", small)


def table(path: Path = RESULTS / "results.jsonl") -> str:
    """The results as a Markdown table (the latest run of each label), as pasted in the README."""
    latest: dict[str, dict] = {}
    for line in path.read_text().splitlines():
        row = json.loads(line)
        latest[row["label"]] = row
    lines = [
        "| run | molecules | seconds | molecules/s | peak RSS, sum over processes (MB) | peak PSS (MB) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in latest.values():
        lines.append(
            f"| {row['label']} | {row['rows']:,} | {row['seconds']:.1f} | {row['rows_per_s']:,.0f} "
            f"| {row['peak_rss_mb']:.0f} | {row.get('peak_pss_mb', 0):.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    what = argv[0] if argv else "all"
    RESULTS.mkdir(parents=True, exist_ok=True)  # not in git: a fresh clone has no results folder yet
    if what in ("inputs", "all"):
        make_inputs()
    if what in ("single", "all"):
        single()
    if what in ("scaling", "all"):
        scaling()
    if what in ("scaling-all", "all"):
        scaling_all()
    if what in ("all-single", "all"):
        all_single()
    if what in ("all-jobs", "all"):
        jobs_scaling("all", (1_000, 5_000), repeat=3)
    if what in ("standardize", "all"):
        standardize_speed()
    if what in ("core-jobs", "all"):
        jobs_scaling("core", (5_000,), repeat=3)
    if what in ("compare", "all"):
        compare()
    if what in ("memory", "all"):
        memory()
    if what in ("table", "all"):
        print(table())


if __name__ == "__main__":
    main(sys.argv[1:])
