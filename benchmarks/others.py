"""Other tools on the same molecules, for bench_batch.py compare. Runs in the bench venv (not chemprops').

    others.py rdkit-all|datamol|datamol-2|mordred-core|mordred-all INPUT.csv OUTPUT.csv [ROWS]

Each reads the SMILES CSV, computes, and writes a CSV, like `chemprops batch`.
"""

import sys

import pandas as pd
from rdkit import Chem, rdBase


def mols_of(path: str, rows: int | None):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if rows:
        frame = frame.head(rows)
    with rdBase.BlockLogs():
        mols = [Chem.MolFromSmiles(s) for s in frame["smiles"]]
    keep = [m is not None for m in mols]
    return frame[keep].reset_index(drop=True), [m for m in mols if m is not None]


def main(mode: str, source: str, target: str, rows: int | None = None) -> None:
    frame, mols = mols_of(source, rows)
    if mode == "rdkit-all":
        from rdkit.Chem import Descriptors

        with rdBase.BlockLogs():
            values = pd.DataFrame([Descriptors.CalcMolDescriptors(m) for m in mols])
    elif mode in ("datamol", "datamol-2"):
        import datamol as dm

        values = dm.descriptors.batch_compute_many_descriptors(
            mols, n_jobs=2 if mode == "datamol-2" else 1, batch_size="auto"
        )
    elif mode == "mordred-core":
        from mordred import (
            Calculator,
            CarbonTypes,
            HydrogenBond,
            RingCount,
            RotatableBond,
            SLogP,
            TopoPSA,
            Weight,
        )

        calc = Calculator(
            [
                Weight.Weight(exact=False),
                Weight.Weight(exact=True),
                SLogP.SLogP,
                SLogP.SMR,
                TopoPSA.TopoPSA(no_only=True),
                HydrogenBond.HBondDonor,
                HydrogenBond.HBondAcceptor,
                RotatableBond.RotatableBondsCount,
                RingCount.RingCount(),
                RingCount.RingCount(aromatic=True),
                CarbonTypes.FractionCSP3,
            ]
        )
        values = calc.pandas(mols, nproc=1, quiet=True)
    elif mode == "mordred-all":
        from mordred import Calculator, descriptors

        values = Calculator(descriptors, ignore_3D=True).pandas(mols, nproc=1, quiet=True)
    else:
        raise SystemExit(f"unknown mode {mode}")
    pd.concat([frame, pd.DataFrame(values).reset_index(drop=True)], axis=1).to_csv(target, index=False)
    print(f"{mode}: {len(mols)} molecules, {values.shape[1]} columns", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else None)
