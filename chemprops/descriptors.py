"""The descriptor registry: one line per descriptor (name, function, units, definition).

`base` columns are always computed; `core` is the medicinal-chemistry set; `all` adds every RDKit 2D
descriptor (RDKit's `Descriptors._descList`) under a snake_case name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rdkit import Chem
from rdkit.Chem import Descriptors, rdMolDescriptors

from chemprops.errors import InputError
from chemprops.stereo import stereocentres


@dataclass(frozen=True)
class Descriptor:
    name: str
    function: Callable[[Chem.Mol], object]
    units: str
    definition: str
    group: str = "core"  # "base", "core" or "rdkit"


def _stereocentre_count(mol: Chem.Mol) -> int:
    return len(stereocentres(mol))


def _crippen(mol: Chem.Mol, index: int) -> float:
    """One of Wildman-Crippen's (logP, MR): both come from one pass over the atom contributions, which RDKit
    keeps on the molecule, so asking for the second costs nothing."""
    return rdMolDescriptors.CalcCrippenDescriptors(mol)[index]


def _logp(mol: Chem.Mol) -> float:
    return _crippen(mol, 0)


def _molar_refractivity(mol: Chem.Mol) -> float:
    return _crippen(mol, 1)


CORE: list[Descriptor] = [
    Descriptor("logp", _logp, "", "Octanol/water partition coefficient, Wildman-Crippen (1999)"),
    Descriptor("molar_refractivity", _molar_refractivity, "cm³/mol", "Molar refractivity, Wildman-Crippen (1999)"),
    Descriptor("tpsa", rdMolDescriptors.CalcTPSA, "Å²", "Topological polar surface area, N and O only (Ertl 2000)"),
    Descriptor("hbd", rdMolDescriptors.CalcNumLipinskiHBD, "", "H-bond donors: NH and OH count (Lipinski 1997)"),
    Descriptor("hba", rdMolDescriptors.CalcNumLipinskiHBA, "", "H-bond acceptors: N and O count (Lipinski 1997)"),
    Descriptor(
        "rotatable_bonds", rdMolDescriptors.CalcNumRotatableBonds, "", "Rotatable bonds (RDKit default definition)"
    ),
    Descriptor("rings", rdMolDescriptors.CalcNumRings, "", "Rings in the smallest set of smallest rings"),
    Descriptor("aromatic_rings", rdMolDescriptors.CalcNumAromaticRings, "", "Aromatic rings"),
    Descriptor("fraction_csp3", rdMolDescriptors.CalcFractionCSP3, "", "Fraction of carbons that are sp3"),
    Descriptor("stereocentres", _stereocentre_count, "", "Tetrahedral stereocentres, defined or not"),
]

_UNITS = {
    "MolWt": "g/mol",
    "HeavyAtomMolWt": "g/mol",
    "ExactMolWt": "Da",
    "TPSA": "Å²",
    "LabuteASA": "Å²",
    "MolMR": "cm³/mol",
}


def snake_case(name: str) -> str:
    """RDKit's CamelCase descriptor names as stable snake_case column names (NumHDonors -> num_h_donors)."""
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", name)
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"_+", "_", name).lower()


def _first_line(function: Callable) -> str:
    doc = (getattr(function, "__doc__", None) or "").strip().splitlines()
    line = doc[0].strip() if doc else ""
    return line if line and not line.startswith(("C++ signature", "(")) else ""


# RDKit descriptors that a core entry already computes under its own name (same function, same value).
COMPUTED_BY_CORE = {"TPSA": "tpsa", "FractionCSP3": "fraction_csp3"}
# RDKit names whose snake_case form another RDKit name takes: fr_ArN (N groups on aromatics) and fr_Ar_N
# (aromatic nitrogens) are both "fr_ar_n"; fr_ArN, first in RDKit's list, keeps it.
RENAMED = {"fr_Ar_N": "fr_aromatic_n"}

REGISTRY: dict[str, Descriptor] = {}


def register(descriptor: Descriptor) -> Descriptor:
    """Add a descriptor; a name already taken is an error, never skipped in silence."""
    if descriptor.name in REGISTRY:
        raise ValueError(f"descriptor {descriptor.name!r} is already registered")
    REGISTRY[descriptor.name] = descriptor
    return descriptor


for _descriptor in CORE:
    register(_descriptor)


@lru_cache(maxsize=1)
def registry() -> dict[str, Descriptor]:
    """Every descriptor by name: core first, then RDKit's 2D set (registered on first use: RDKit's list is
    read once, and `chemprops batch -d core` never needs it)."""
    for rdkit_name, function in Descriptors._descList:
        if rdkit_name in COMPUTED_BY_CORE:
            continue
        name = RENAMED.get(rdkit_name) or snake_case(rdkit_name)
        definition = _first_line(function) or f"RDKit descriptor {rdkit_name}"
        register(Descriptor(name, function, _UNITS.get(rdkit_name, ""), f"{definition} (RDKit {rdkit_name})", "rdkit"))
    return REGISTRY


def select(spec: str | list[str] | tuple[str, ...] | None) -> list[Descriptor]:
    """Descriptors named by `core`, `all`, `none` or a comma-separated list of names."""
    table = registry()
    if spec is None or spec == "core":
        return list(CORE)
    if spec == "all":
        return list(table.values())
    if spec in ("none", ""):
        return []
    names = [n.strip() for n in spec.split(",")] if isinstance(spec, str) else list(spec)
    out = []
    for name in names:
        if name in ("core", "all"):
            out.extend(d for d in select(name) if d not in out)
        elif name in table:
            if table[name] not in out:
                out.append(table[name])
        else:
            raise InputError(f"unknown descriptor {name!r}; `chemprops descriptors` lists them")
    return out
