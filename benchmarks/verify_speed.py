"""Time `chemprops.verify` on the first N records (default 10,000) of the EPA Wikipedia list, OPSIN included.

Run: python benchmarks/verify_speed.py [N] [JOBS]   (reads tests/data/wikipedia_chemicals.csv.gz)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chemprops.verify import verify  # noqa: E402

DATA = ROOT / "tests" / "data" / "wikipedia_chemicals.csv.gz"  # gzip, in the repository


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    jobs = int(sys.argv[2]) if len(sys.argv) > 2 else None
    frame = pd.read_csv(DATA, dtype=str, keep_default_na=False).head(n)
    start = time.perf_counter()
    report = verify(frame, jobs=jobs)
    seconds = time.perf_counter() - start
    names = int((frame["iupac_name"] != "").sum())
    print(f"{n} records ({names} IUPAC names), {len(report)} rows, jobs={jobs or 'auto'}: {seconds:.1f} s")


if __name__ == "__main__":
    main()
