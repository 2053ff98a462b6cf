"""Properties of a structure: formula, masses, identifiers, stereo and descriptors, as one typed result."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import lru_cache

import numpy as np
from rdkit import Chem
from rdkit.Chem import rdMolDescriptors

from chemprops.descriptors import SHARED, Descriptor, select
from chemprops.errors import one_line
from chemprops.formula import Formula
from chemprops.inchi import inchi_and_key
from chemprops.resolve import resolve
from chemprops.stereo import stereocentres
from chemprops.structure import Structure

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
    problems: list[str] = field(default_factory=list)  # steps that failed or were cut (their values are None)
    source: str = ""  # where the structure came from: "SMILES", "identifier table: CAS 50-78-2", "OPSIN", ...
    error: str = ""  # why nothing could be computed (a query that names no structure)

    def to_dict(self) -> dict[str, object]:
        """Flat mapping with the stable column names (`source` after the name when known, `error` when set)."""
        row = {k: getattr(self, k) for k in BASE_COLUMNS}
        if self.source or self.error:
            row = {"name": row.pop("name"), "source": self.source, **row}
        row.update(self.descriptors)
        if self.error:
            row["error"] = self.error
        return row

    @classmethod
    def failed(cls, query: str, error: str) -> Properties:
        """The result of a query that names no structure: every value empty, with the reason."""
        empty = dict.fromkeys(f.name for f in fields(cls) if f.name in BASE_COLUMNS and f.name != "name")
        return cls(name=query, **empty, error=error)

    def _repr_html_(self) -> str:  # notebooks
        import pandas as pd

        return pd.Series(self.to_dict(), name=self.name or self.formula).to_frame()._repr_html_()


def _formula_columns(mol: Chem.Mol, own: bool = False) -> dict[str, object]:
    charge = Chem.GetFormalCharge(mol)
    hill, molar_mass, exact_mass = _formula_values(rdMolDescriptors.CalcMolFormula(mol, True, False), charge)
    if hill is None:  # isotopes or dummy atoms: counted from the atoms
        formula = Formula.from_mol(mol)
        hill, molar_mass, exact_mass = formula.hill(), round(formula.molar_mass, 6), round(formula.monoisotopic_mass, 6)
    return {
        "formula": hill,
        "molar_mass": molar_mass,
        "exact_mass": exact_mass,
        "formal_charge": charge,
        "heavy_atoms": mol.GetNumHeavyAtoms(),
    }


@lru_cache(maxsize=65536)
def _formula_values(written: str, charge: int) -> tuple[str | None, float | None, float | None]:
    """Hill formula, molar mass and monoisotopic mass from RDKit's formula text (Nones when it has isotopes
    or dummy atoms); cached, as libraries repeat formulas (isomers, analogue series)."""
    formula = Formula.from_rdkit_formula(written, charge)
    if formula is None:
        return None, None, None
    return formula.hill(), round(formula.molar_mass, 6), round(formula.monoisotopic_mass, 6)


def _inchi_columns(mol: Chem.Mol, own: bool = False) -> dict[str, object]:
    inchi, key = inchi_and_key(mol)
    return {"inchi": inchi, "inchikey": key}


def _stereo_columns(mol: Chem.Mol, own: bool = False) -> dict[str, object]:
    centres = stereocentres(mol, copy=not own)
    return {
        "stereocentres": len(centres),
        "undefined_stereocentres": sum(c.status != "defined" for c in centres),
        "cip": " ".join(str(c) for c in centres),
    }


def _smiles_columns(mol: Chem.Mol, own: bool = False) -> dict[str, object]:
    return {"smiles": Chem.MolToSmiles(mol)}


# The base columns in steps, each filling some columns; a batch times (and may skip) them one by one.
# A step takes the molecule and `own` (True: it may change the molecule in place).
BASE_STEPS: list[tuple[str, object]] = [
    ("formula", _formula_columns),
    ("smiles", _smiles_columns),
    ("inchi", _inchi_columns),
    ("stereo", _stereo_columns),
]
STEP_COLUMNS: dict[str, tuple[str, ...]] = {
    "formula": ("formula", "molar_mass", "exact_mass", "formal_charge", "heavy_atoms"),
    "smiles": ("smiles",),
    "inchi": ("inchi", "inchikey"),
    "stereo": ("stereocentres", "undefined_stereocentres", "cip"),
}


def steps(descriptors: list[Descriptor]) -> list[str]:
    """Names of the steps `values` runs, in order: base steps, then the descriptors."""
    return [name for name, _ in BASE_STEPS] + [d.name for d in descriptors if d.name not in BASE_COLUMNS]


def columns(descriptors: list[Descriptor]) -> list[str]:
    """The stable output columns for a descriptor selection (without `name`)."""
    return [c for c in BASE_COLUMNS if c != "name"] + [d.name for d in descriptors if d.name not in BASE_COLUMNS]


_BASE_OUT = tuple(c for c in BASE_COLUMNS if c != "name")


def values(
    mol: Chem.Mol,
    descriptors: list[Descriptor],
    skip: dict[str, str] | None = None,
    mark=None,
    own: bool = False,
) -> tuple[dict[str, object], list[str]]:
    """Every column for one molecule, and the problems met (a failed step leaves its columns None).

    `skip` maps step names to the message to report instead of running them; `mark(step_number)` is called
    before each step (the batch watchdog uses it to know what a worker is doing). With `own`, the caller
    gives up the molecule: stereo perception cleans it in place instead of working on a copy.
    """
    out: dict[str, object] = dict.fromkeys(_BASE_OUT)
    problems: list[str] = []
    number = 0
    for number, (name, function) in enumerate(BASE_STEPS):
        if skip and name in skip:
            problems.append(skip[name])
            continue
        if mark is not None:
            mark(number)
        try:
            out.update(function(mol, own))
        except Exception as exc:  # noqa: BLE001 - reported as the row's problem, never raised
            problems.append(f"{name}: {one_line(exc, 200)}")
    shared: dict[str, object] = {}  # intermediates of this molecule (descriptors.SHARED), or what they raised
    for d in descriptors:
        if d.name in BASE_COLUMNS:
            continue  # e.g. `stereocentres`, a base column
        number += 1
        if skip and d.name in skip:
            out[d.name] = None
            problems.append(skip[d.name])
            continue
        if mark is not None:
            mark(number)
        try:
            if d.shared:
                if d.shared not in shared:
                    try:
                        shared[d.shared] = SHARED[d.shared](mol)
                    except Exception as exc:  # noqa: BLE001 - every descriptor derived from it fails alike
                        shared[d.shared] = exc
                intermediate = shared[d.shared]
                if isinstance(intermediate, Exception):
                    raise intermediate
                out[d.name] = d.function(mol, intermediate)
            else:
                out[d.name] = d.function(mol)
        except Exception as exc:  # noqa: BLE001 - a descriptor that cannot handle this molecule yields no value
            out[d.name] = None
            problems.append(f"{d.name}: {one_line(exc, 200) or type(exc).__name__}")
    return out, problems


SIGNIFICANT_DIGITS = 12  # descriptor values are given to 12 significant digits (RDKit's float noise removed)


def rounded(values: list) -> list:
    """A column of descriptor values to SIGNIFICANT_DIGITS significant digits, in one numpy pass (no per-value
    Python rounding): ints and None pass unchanged, NaN becomes None, every float a Python float."""
    if not any(isinstance(v, float) for v in values):
        return values
    array = np.array([v if isinstance(v, (int, float)) and not isinstance(v, bool) else np.nan for v in values],
                     dtype=float)  # fmt: skip
    with np.errstate(all="ignore"):
        digits = SIGNIFICANT_DIGITS - 1 - np.floor(np.log10(np.abs(array)))
        digits = np.where(np.isfinite(digits), digits, 0)
        up = digits >= 0
        scale = 10.0 ** np.abs(digits)  # exact powers of ten up to 1e22: the quotient is the nearest double
        result = np.where(up, np.round(array * scale) / scale, np.round(array / scale) * scale)
        result = np.where(np.isfinite(result), result, array)  # inf stays inf; below 1e-290 as given
    out = result.tolist()
    return [
        (None if x != x else x) if isinstance(v, float) else v for v, x in zip(values, out)
    ]  # ints (counts) keep their type


def round_row(row: dict[str, object], descriptors: list[Descriptor]) -> dict[str, object]:
    """One row's descriptor values rounded as `rounded` rounds a column."""
    for d in descriptors:
        if d.name not in BASE_COLUMNS and isinstance(row.get(d.name), float):
            row[d.name] = rounded([row[d.name]])[0]
    return row


def properties_of(mol: Chem.Mol, descriptors: list[Descriptor], name: str | None = None) -> Properties:
    """All properties of one molecule; descriptor failures become None (never an exception)."""
    row, problems = values(mol, descriptors)
    return from_values(row, descriptors, name, problems)


def from_values(
    row: dict[str, object] | None, descriptors: list[Descriptor], name: str | None, problems: list[str]
) -> Properties:
    """The typed result of a row of `values` (None: nothing could be computed)."""
    row = round_row(dict(row), descriptors) if row is not None else dict.fromkeys(columns(descriptors))
    base = {k: row.pop(k, None) for k in BASE_COLUMNS if k != "name"}
    return Properties(
        name=name,
        **base,
        descriptors=row,
        units={**BASE_COLUMNS, **{d.name: d.units for d in descriptors}},
        problems=list(problems),
    )


def of_structure(structure: Structure, descriptors: str | list[str] | None = "core") -> Properties:
    result = properties_of(structure.mol, select(descriptors), structure.name)
    result.source = structure.source
    return result


def props(query: str | Chem.Mol, descriptors: str | list[str] | None = "core") -> Properties:
    """Properties of one structure: SMILES, InChI, MOL block or file; a name, CAS number, InChIKey or `CID n`.

    >>> props("baclofen").formula
    'C10H12ClNO2'
    """
    if isinstance(query, Chem.Mol):
        return properties_of(query, select(descriptors))
    return of_structure(resolve(query), descriptors)


def standardize(query: str | Chem.Mol) -> dict[str, object]:
    """The parent compound of a structure (salts and solvents stripped, neutralised, by the ChEMBL Structure
    Pipeline) and what was stripped: the columns `--standardize` adds.

    >>> standardize("NCC(CC(=O)O)c1ccc(Cl)cc1.Cl")["components"]
    'HCl'
    """
    from chemprops.descriptors import SHARED

    mol = query if isinstance(query, Chem.Mol) else resolve(query).mol
    return SHARED["parent"](mol)
