"""Accuracy of the group-table pKa estimate (chemprops.pka) against measured pKa values of drugs.

Reads tests/data/drug_pka.csv (measured most acidic and most basic pKa, each row with its published source) and
prints the mean absolute error of the most acidic and of the most basic pKa, the counts, the 10 worst rows and
the classification confusion (is there an acid below 12 / a base above 2, measured vs estimated).

    python benchmarks/pka_accuracy.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chemprops.pka import estimate_pka  # noqa: E402
from chemprops.structure import mol_from_smiles  # noqa: E402

DATA = ROOT / "tests" / "data" / "drug_pka.csv"
ACID_MAX, BASE_MIN = 12.0, 2.0  # water's useful range: an acid above 12 or a base below 2 counts as none


def table(path: Path = DATA) -> pd.DataFrame:
    """One row per drug: measured and estimated pKa, their errors and the groups the estimate used."""
    rows = pd.read_csv(path, dtype={"pka_acid": float, "pka_base": float})
    estimates = [estimate_pka(mol_from_smiles(smiles)) for smiles in rows["smiles"]]
    rows["est_acid"] = [e.acid for e in estimates]
    rows["est_base"] = [e.base for e in estimates]
    rows["method"] = [e.method.removeprefix("group table: ") for e in estimates]
    rows["err_acid"] = (rows["est_acid"] - rows["pka_acid"]).abs()
    rows["err_base"] = (rows["est_base"] - rows["pka_base"]).abs()
    return rows


def mae(rows: pd.DataFrame, kind: str) -> tuple[float, int]:
    """Mean absolute error of the most acidic or most basic pKa over rows where both values exist, and the count."""
    errors = rows[f"err_{kind}"].dropna()
    return float(errors.mean()), len(errors)


def has(values: pd.Series, kind: str) -> pd.Series:
    return values.lt(ACID_MAX) if kind == "acid" else values.gt(BASE_MIN)


def main() -> None:
    rows = table()
    print(f"{len(rows)} drugs from {DATA.relative_to(ROOT)}")
    for kind in ("acid", "base"):
        value, count = mae(rows, kind)
        missed = int((rows[f"pka_{kind}"].notna() & rows[f"est_{kind}"].isna()).sum())
        print(
            f"most {'acidic' if kind == 'acid' else 'basic'} pKa: MAE {value:.2f} over {count} drugs ({missed} measured, none estimated)"
        )
    worst = rows.assign(err=rows[["err_acid", "err_base"]].max(axis=1)).nlargest(10, "err")
    columns = ["name", "pka_acid", "est_acid", "pka_base", "est_base", "method"]
    print("\nworst 10:\n" + worst[columns].to_string(index=False))
    for kind, label in (("acid", f"acid below {ACID_MAX:g}"), ("base", f"base above {BASE_MIN:g}")):
        measured = rows[f"pka_{kind}"].notna() | rows["name"].eq("caffeine")  # caffeine: stated to have neither
        sub = rows[measured]
        confusion = pd.crosstab(
            has(sub[f"pka_{kind}"], kind).rename("measured"), has(sub[f"est_{kind}"], kind).rename("estimated")
        )
        print(f"\n{label} (rows where the source states the {kind} side):\n{confusion.to_string()}")


if __name__ == "__main__":
    main()
