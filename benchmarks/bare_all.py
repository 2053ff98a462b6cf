"""The baseline for `-d all`: a plain loop over RDKit's `Descriptors.CalcMolDescriptors`, reading a SMILES CSV and
writing a CSV, as a user would write it by hand; with JOBS > 1, a `multiprocessing.Pool` of JOBS processes
(one BLAS thread each) over chunks of 100 molecules.

Usage: bare_all.py INPUT.csv OUTPUT.csv [JOBS]
"""

import csv
import os
import sys

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # as chemprops' workers: one BLAS thread per process

from rdkit import Chem, rdBase  # noqa: E402
from rdkit.Chem import Descriptors  # noqa: E402

NAMES = [name for name, _ in Descriptors._descList]


def row(smiles: str) -> list:
    with rdBase.BlockLogs():
        mol = Chem.MolFromSmiles(smiles or "")
        if mol is None:
            return [""] * len(NAMES)
        values = Descriptors.CalcMolDescriptors(mol)
    return [values[name] for name in NAMES]


def rows(chunk: list[str]) -> list[list]:
    return [row(s) for s in chunk]


def main(source: str, target: str, jobs: int = 1) -> None:
    with open(source, newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    smiles = [r["smiles"] for r in records]
    if jobs > 1:
        from multiprocessing import get_context

        chunks = [smiles[i : i + 100] for i in range(0, len(smiles), 100)]
        with get_context("fork").Pool(jobs) as pool:
            values = [v for part in pool.imap(rows, chunks) for v in part]
    else:
        values = rows(smiles)
    with open(target, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(list(records[0]) + NAMES if records else NAMES)
        for record, computed in zip(records, values):
            writer.writerow(list(record.values()) + computed)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1)
