"""Properties of a structure: formula, masses, identifiers, stereo and descriptors, as one typed result."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from rdkit import Chem, rdBase

from chemprops.descriptors import Descriptor, select
from chemprops.errors import one_line
from chemprops.formula import Formula
from chemprops.structure import Structure, parse, parse_many, stereocentres

# Stable base columns with their units, in output order.
BASE_COLUMNS: dict[str, str] = {
    "name": "",
    "formula": "",
    "molar_mass": "g/mol",
    "exact_mass": "Da",
    "smiles": "",
    "inchi": "",
    "inchikey": "",
    "formal_charge": "e",
    "heavy_atoms": "",
    "stereocentres": "",
    "undefined_stereocentres": "",
    "cip": "",
}


@dataclass
class Properties:
    """What chemprops computes for one structure."""

    name: str | None
    formula: str
    molar_mass: float
    exact_mass: float
    smiles: str
    inchi: str
    inchikey: str
    formal_charge: int
    heavy_atoms: int
    stereocentres: int
    undefined_stereocentres: int
    cip: str  # e.g. "C7:?" (undefined) or "C7:R"
    descriptors: dict[str, object] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """Flat mapping with the stable column names."""
        row = {k: getattr(self, k) for k in BASE_COLUMNS}
        row.update(self.descriptors)
        return row

    def _repr_html_(self) -> str:  # notebooks
        return pd.Series(self.to_dict(), name=self.name or self.formula).to_frame()._repr_html_()


def inchi_and_key(mol: Chem.Mol) -> tuple[str, str]:
    """Standard InChI and InChIKey ('' when the InChI library refuses the structure)."""
    with rdBase.BlockLogs():
        try:
            inchi = Chem.MolToInchi(mol, logLevel=None, treatWarningAsError=False) or ""
        except (ValueError, RuntimeError):
            inchi = ""
        key = Chem.InchiToInchiKey(inchi) or "" if inchi else ""
    return inchi, key


def compute(mol: Chem.Mol, descriptors: list[Descriptor], name: str | None = None) -> Properties:
    """All properties of one molecule; descriptor failures become None (never an exception)."""
    formula = Formula.from_mol(mol)
    inchi, key = inchi_and_key(mol)
    centres = stereocentres(mol)
    values: dict[str, object] = {}
    for d in descriptors:
        if d.name == "stereocentres":
            continue  # a base column
        try:
            value = d.function(mol)
        except Exception:  # noqa: BLE001 - a descriptor that cannot handle this molecule yields no value
            value = None
        values[d.name] = round(value, 6) if isinstance(value, float) else value
    return Properties(
        name=name,
        formula=formula.hill(),
        molar_mass=round(formula.molar_mass, 6),
        exact_mass=round(formula.monoisotopic_mass, 6),
        smiles=Chem.MolToSmiles(mol),
        inchi=inchi,
        inchikey=key,
        formal_charge=formula.charge,
        heavy_atoms=mol.GetNumHeavyAtoms(),
        stereocentres=len(centres),
        undefined_stereocentres=sum(c.status != "defined" for c in centres),
        cip=" ".join(str(c) for c in centres),
        descriptors=values,
        units={**BASE_COLUMNS, **{d.name: d.units for d in descriptors}},
    )


def of_structure(structure: Structure, descriptors: str | list[str] | None = "core") -> Properties:
    return compute(structure.mol, select(descriptors), structure.name)


def props(query: str | Chem.Mol, descriptors: str | list[str] | None = "core") -> Properties:
    """Properties of one structure: SMILES, InChI, MOL block or file, built-in name or CAS number.

    >>> props("baclofen").formula
    'C10H12ClNO2'
    """
    if isinstance(query, Chem.Mol):
        return compute(query, select(descriptors))
    return of_structure(parse(query), descriptors)


def props_frame(queries, descriptors: str | list[str] | None = "core", errors: str = "raise") -> pd.DataFrame:
    """Properties of many structures as a DataFrame, one row per structure, in input order.

    With errors="keep", a query that cannot be parsed gives a row with its `error` message instead.
    """
    if isinstance(queries, str):
        queries = [queries]
    chosen = select(descriptors)
    rows = []
    for query in queries:
        try:
            structures = parse_many(query)
        except Exception as exc:
            if errors == "raise":
                raise
            rows.append({"query": query, "error": one_line(exc)})
            continue
        for s in structures:
            rows.append({"query": s.query, **compute(s.mol, chosen, s.name).to_dict(), "error": ""})
    return pd.DataFrame(rows)
