"""Does verify name the right form? Clean records, each given the stated value of one related form.

Structures: the 300 clean EPA records of tests/data/verify_clean_records.csv (every field agrees with the
structure under chemprops verify; see tests/data/README.md). For each record and each kind that applies, one
variant states a value of that form, computed here from the structure with RDKit and the IUPAC weights, not by
chemprops.forms:

- hydrochloride / dihydrochloride formula (a structure with a basic N), sodium salt formula (an acid);
- monohydrate formula, dihydrate molar mass, ethanol solvate molar mass;
- the parent's formula for the record redrawn as its hydrochloride (structure + ".Cl");
- the enantiomer's InChIKey (a structure with defined centres); the InChIKey of one stereoisomer of a structure
  drawn without stereo.

A variant is right when its field's `form` names the kind; the clean records must get no form at all.

Run: python benchmarks/forms_benchmark.py [CLEAN.csv]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd
from rdkit import Chem, rdBase

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chemprops.formula import Formula  # noqa: E402
from chemprops.verify import verify  # noqa: E402

CLEAN = ROOT / "tests" / "data" / "verify_clean_records.csv"
BASIC = Chem.MolFromSmarts("[NX3;H2,H1;!$(NC=[O,S,N]);!$(N[a]);!$(NS=O)]")
ACID = Chem.MolFromSmarts("[OX2H1]C=O")


def _formula(smiles: str) -> Formula:
    return Formula.from_mol(Chem.MolFromSmiles(smiles))


def _plus(formula: Formula, other: Formula, n: int = 1) -> Formula:
    counts = dict(formula.counts)
    for key, c in other.counts.items():
        counts[key] = counts.get(key, 0) + n * c
    return Formula({k: v for k, v in counts.items() if v}, formula.charge + n * other.charge)


def _key(mol: Chem.Mol) -> str:
    return Chem.MolToInchiKey(mol) or ""


def variants(record: dict) -> list[tuple[dict, str, str]]:
    """(record, field, expected form) for each kind that applies to this record."""
    mol = Chem.MolFromSmiles(record["smiles"])
    if mol is None:
        return []
    own = Formula.from_mol(mol)
    if own.charge or len(Chem.GetMolFrags(mol)) > 1:
        return []
    base = {"id": record["name"], "smiles": record["smiles"]}
    out = []
    water, hcl, ethanol = _formula("O"), _formula("Cl"), _formula("CCO")
    if mol.HasSubstructMatch(BASIC):
        out.append(({**base, "formula": _plus(own, hcl).hill()}, "formula", "hydrochloride"))
        if len(mol.GetSubstructMatches(BASIC)) >= 2:
            out.append(({**base, "formula": _plus(own, hcl, 2).hill()}, "formula", "dihydrochloride"))
        salt = record["smiles"] + ".Cl"
        out.append(({**base, "smiles": salt, "formula": own.hill()}, "formula", "parent"))
    if mol.HasSubstructMatch(ACID):
        counts = dict(own.counts)
        counts[("H", 0)] -= 1
        counts[("Na", 0)] = 1
        out.append(({**base, "formula": Formula(counts, 0).hill()}, "formula", "sodium salt"))
    out.append(({**base, "formula": _plus(own, water).hill()}, "formula", "monohydrate"))
    out.append(({**base, "molar_mass": f"{_plus(own, water, 2).molar_mass:.2f}"}, "molar_mass", "dihydrate"))
    out.append(({**base, "molar_mass": f"{_plus(own, ethanol).molar_mass:.2f}"}, "molar_mass", "ethanol solvate"))
    chiral = [a for a in mol.GetAtoms() if a.GetChiralTag() != Chem.ChiralType.CHI_UNSPECIFIED]
    if chiral:
        mirror = Chem.Mol(mol)
        for atom in mirror.GetAtoms():
            atom.InvertChirality()
        if _key(mirror) != _key(mol):
            out.append(({**base, "inchikey": _key(mirror)}, "inchikey", "enantiomer"))
        flat = Chem.Mol(mol)
        Chem.RemoveStereochemistry(flat)
        if len(chiral) == 1:
            out.append(({**base, "smiles": Chem.MolToSmiles(flat), "inchikey": _key(mol)}, "inchikey",
                        "stereoisomer"))  # fmt: skip
    return out


def main(path: Path = CLEAN) -> None:
    clean = pd.read_csv(path, dtype=str, keep_default_na=False)
    cases: list[tuple[dict, str, str]] = []
    with rdBase.BlockLogs():
        for record in clean.to_dict("records"):
            cases.extend(variants(record))
    records = [{**r, "id": f"{r['id']} | {i} {expected}"} for i, (r, _, expected) in enumerate(cases)]
    started = time.perf_counter()
    report = verify(pd.DataFrame(records).fillna(""), checks=["formula", "molar_mass", "inchikey"])
    clean_report = verify(clean[["name", "smiles", "formula", "molar_mass", "inchikey"]].rename(columns={"name": "id"}),
                          checks=["formula", "molar_mass", "inchikey"])  # fmt: skip
    seconds = time.perf_counter() - started
    rows = []
    for record, (_, field, expected) in zip(records, cases):
        row = report[(report["id"] == record["id"]) & (report["check"] == field)]
        named = row["form"].iloc[0] if len(row) else ""
        rows.append({"kind": expected, "right": named.startswith(expected), "named": named})
    table = pd.DataFrame(rows)
    by_kind = table.groupby("kind")["right"].agg(["count", "sum", "mean"]).rename(columns={"sum": "right"})
    print(by_kind.to_string())
    right, total = int(table["right"].sum()), len(table)
    clean_forms = int((clean_report["form"] != "").sum())
    print(f"\n{right}/{total} variants name the right form ({right / total:.1%}); "
          f"{clean_forms} forms on {len(clean)} clean records; {seconds:.1f} s")  # fmt: skip
    wrong = table[~table["right"]]
    if len(wrong):
        print(wrong.groupby(["kind", "named"]).size().to_string())


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else CLEAN)
