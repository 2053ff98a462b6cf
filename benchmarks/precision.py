"""Precision of verify's fails on the real corpus, from the rows judged by hand in benchmarks/judged/.

Runs `chemprops.verify` on tests/data/wikipedia_chemicals.csv.gz, keeps the judged rows that still fail, and
prints the share judged a real error of the source with its 95% Wilson interval, per sample and over the
distinct rows; then the counts by check and status.

    python benchmarks/precision.py

How the rows were judged (seeded, stratified samples of fail rows; each classified as `real`, `convention` or
`false_alarm` by a chemist with RDKit, the first sample by two judges independently): docs/verify.md.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chemprops.verify import verify  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "wikipedia_chemicals.csv.gz"
JUDGED = Path(__file__).resolve().parent / "judged" / "fail_samples.csv"


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a proportion k/n (Wilson, J. Am. Stat. Assoc. 22 (1927) 209)."""
    p = k / n
    centre, spread = p + z * z / (2 * n), z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - spread) / (1 + z * z / n), (centre + spread) / (1 + z * z / n)


def main() -> None:
    report = verify(pd.read_csv(CORPUS, dtype=str, keep_default_na=False))
    fails = report[report["status"] == "fail"][["id", "check"]].drop_duplicates()
    judged = pd.read_csv(JUDGED, dtype=str, keep_default_na=False)
    still = judged.merge(fails, on=["id", "check"])
    for sample, rows in [*still.groupby("sample"), ("both (distinct rows)", still.drop_duplicates(["id", "check"]))]:
        k, n = int((rows["verdict"] == "real").sum()), len(rows)
        low, high = wilson(k, n)
        print(f"{sample}: {k}/{n} real = {k / n:.1%} (95% interval {low:.1%}-{high:.1%})")
    print(pd.crosstab(report["check"], report["status"], margins=True).to_string())


if __name__ == "__main__":
    main()
