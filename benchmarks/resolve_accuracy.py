"""How often a drug name resolves to the right structure, offline.

The names: tests/data/drugbank_approved_names.csv, the 1,062 entries of the DrugBank vocabulary (CC0 1.0;
DrugBank open data, release of 2021) that carry a legacy APRD accession (the FDA-approved small-molecule drugs of
DrugBank 1.0) and a standard InChIKey: name, DrugBank ID, InChIKey. DrugBank is not a source of the bundled
identifier table (PubChem via the `chemicals` package, and the EPA CompTox WIKIPEDIA list).

The truth: the connectivity block (first 14 characters) of DrugBank's InChIKey. A name is right when
`chemprops.resolve.resolve_many(name)` gives one structure with that block, wrong when it gives another, and
unresolved when it gives none (not found, or reported as ambiguous: two structures carry the name).

Run: python benchmarks/resolve_accuracy.py [--no-opsin] [--wrong FILE]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chemprops import opsin  # noqa: E402
from chemprops.errors import AmbiguousError, ChempropsError  # noqa: E402
from chemprops.inchi import inchi_and_key  # noqa: E402
from chemprops.resolve import resolve_many  # noqa: E402

DATA = ROOT / "tests" / "data" / "drugbank_approved_names.csv"


def evaluate(names: pd.DataFrame) -> pd.DataFrame:
    """One row per name: outcome (right, wrong, ambiguous, not found), where the structure came from."""
    rows = []
    for row in names.itertuples():
        expected = row.inchikey[:14]
        try:
            found = resolve_many(row.name, online=False)
            got = inchi_and_key(found[0].mol)[1][:14] if len(found) == 1 else ""
            outcome, source = ("right" if got == expected else "wrong"), found[0].source
        except AmbiguousError as exc:
            outcome, source, got = "ambiguous", str(exc)[:300], ""
        except ChempropsError as exc:
            outcome, source, got = "not found", str(exc)[:300], ""
        rows.append({"name": row.name, "drugbank_id": row.drugbank_id, "outcome": outcome, "source": source,
                     "expected": expected, "got": got})  # fmt: skip
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--no-opsin", action="store_true", help="table only (OPSIN off)")
    parser.add_argument("--wrong", type=Path, help="write the wrong and unresolved names here (CSV)")
    args = parser.parse_args()
    if args.no_opsin:
        opsin.JAVA = "no-java-here"
    names = pd.read_csv(DATA, dtype=str, keep_default_na=False)
    if args.limit:
        names = names.head(args.limit)
    started = time.perf_counter()
    table = evaluate(names)
    took = time.perf_counter() - started
    counts = table["outcome"].value_counts()
    n = len(table)
    print(f"{n} approved drug names of DrugBank (APRD accessions), {took:.1f} s")
    for outcome in ("right", "wrong", "ambiguous", "not found"):
        count = int(counts.get(outcome, 0))
        print(f"  {outcome:10} {count:5d}  {100 * count / n:5.1f}%")
    resolved = int(counts.get("right", 0) + counts.get("wrong", 0))
    print(f"  resolved   {resolved:5d}  {100 * resolved / n:5.1f}%")
    by_source = table[table["outcome"] == "right"]["source"].str.extract(r"^([^:(]+)")[0].str.strip().value_counts()
    print("right, by source: " + ", ".join(f"{k} {v}" for k, v in by_source.items()))
    if args.wrong:
        table[table["outcome"] != "right"].to_csv(args.wrong, index=False)


if __name__ == "__main__":
    main()
