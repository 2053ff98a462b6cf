"""The descriptor registry: one line per descriptor (name, function, units, definition), and the plan that
computes what descriptors share once per molecule.

`base` columns are always computed; `core` is the medicinal-chemistry set; `all` adds every RDKit 2D
descriptor (RDKit's `Descriptors._descList`) under a snake_case name. A descriptor that derives from an
intermediate names it (`shared`): its function takes (mol, intermediate), and `SHARED` computes each
intermediate once per molecule on first use. The values are RDKit's own (tested against
`Descriptors.CalcMolDescriptors` on 2,000 real molecules); only repeated work is gone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache, partial

import numpy as np
from rdkit import Chem
from rdkit.Chem import QED, Descriptors, Fragments, Graphs, MolSurf, rdFingerprintGenerator, rdMolDescriptors
from rdkit.Chem.EState import EState, EState_VSA
from rdkit.Chem.FilterCatalog import FilterCatalog, FilterCatalogEntry, SmartsMatcher
from rdkit.ML.InfoTheory import entropy

from chemprops.errors import InputError
from chemprops.stereo import stereocentres


@dataclass(frozen=True)
class Descriptor:
    name: str
    function: Callable  # (mol) -> value; (mol, intermediate) -> value when `shared` names one
    units: str
    definition: str
    group: str = "core"  # "base", "core" or "rdkit"
    shared: str = ""  # the intermediate of SHARED it derives from

    def compute(self, mol: Chem.Mol) -> object:
        """The value for one molecule on its own (a batch shares the intermediate across descriptors)."""
        return self.function(mol, SHARED[self.shared](mol)) if self.shared else self.function(mol)


def _stereocentre_count(mol: Chem.Mol) -> int:
    return len(stereocentres(mol))


# --- shared intermediates: each computed once per molecule, by the first descriptor that needs it -------------
def _characteristic_polynomial(mol: Chem.Mol):
    """|coefficients| of the characteristic polynomial of the H-suppressed adjacency matrix, as RDKit's Ipc
    computes them (Bonchev & Trinajstic 1977): Ipc and AvgIpc both derive from it."""
    try:
        distances = mol._adjMat  # RDKit's Ipc keeps the distance matrix on the molecule under this name
    except AttributeError:
        distances = Chem.GetDistanceMatrix(mol, False)
        mol._adjMat = distances
    return abs(Graphs.CharacteristicPolynomial(mol, np.equal(distances, 1)))


def _bcut2d(mol: Chem.Mol) -> list[float]:
    """The eight BCUT2D eigenvalues; NaN for all when RDKit cannot compute them (as its wrapper gives)."""
    try:
        return list(rdMolDescriptors.BCUT2D(mol))
    except Exception:  # noqa: BLE001 - RDKit's VectorDescriptorWrapper turns any failure into NaN
        return [math.nan] * 8


@cache
def _catalog(kind: str):
    """A FilterCatalog of RDKit's fragment patterns (`fragments`) or QED's structural alerts (`alerts`): one C++
    pass says which patterns a molecule has, instead of one Python call per pattern."""
    patterns = (
        [(name, fn.__defaults__[1]) for name, fn in Fragments.fns]  # fn(mol, countUnique=True, pattern=patt)
        if kind == "fragments"
        else [(str(i), alert) for i, alert in enumerate(QED.StructuralAlerts)]
    )
    catalog = FilterCatalog()
    for name, pattern in patterns:
        catalog.AddEntry(FilterCatalogEntry(name, SmartsMatcher(name, pattern, 1)))
    return catalog, dict(patterns)


def _fragment_hits(mol: Chem.Mol) -> set[str]:
    return {entry.GetDescription() for entry in _catalog("fragments")[0].GetMatches(mol)}


def _fragment_count(name: str, mol: Chem.Mol, hits: set[str]) -> int:
    """RDKit's fr_ count (unique matches of its pattern), looked for only where the catalog found the pattern."""
    return len(mol.GetSubstructMatches(_catalog("fragments")[1][name])) if name in hits else 0


def _qed(mol: Chem.Mol, crippen: tuple[float, float]) -> float:
    """RDKit's QED (Bickerton 2012) with the Crippen logP already computed and the alerts in one pass; a
    molecule with explicit H atoms goes the whole way (RDKit removes them before its properties)."""
    if mol.GetNumAtoms() != mol.GetNumHeavyAtoms():
        return QED.qed(mol)
    properties = QED.QEDproperties(
        MW=rdMolDescriptors._CalcMolWt(mol),
        ALOGP=crippen[0],
        HBA=sum(len(mol.GetSubstructMatches(p)) for p in QED.Acceptors if mol.HasSubstructMatch(p)),
        HBD=rdMolDescriptors.CalcNumHBD(mol),
        PSA=MolSurf.TPSA(mol),
        ROTB=rdMolDescriptors.CalcNumRotatableBonds(mol, rdMolDescriptors.NumRotatableBondsOptions.Strict),
        AROM=len(Chem.GetSSSR(Chem.DeleteSubstructs(Chem.Mol(mol), QED.AliphaticRings))),
        ALERTS=len(_catalog("alerts")[0].GetMatches(mol)),
    )
    return QED.qed(mol, qedProperties=properties)


def _estate(mol: Chem.Mol) -> np.ndarray:
    """E-state indices (Hall, Mohney & Kier 1991), bit for bit RDKit's `EState.EStateIndices`: its pair loop in
    numpy, each row summed in the same order (a cumulative sum is sequential), O(atoms²) in C instead of Python."""
    table = Chem.GetPeriodicTable()
    n = mol.GetNumAtoms()
    intrinsic = np.zeros(n, dtype=np.float64)
    for i, atom in enumerate(mol.GetAtoms()):
        degree = atom.GetDegree()
        if degree > 0:
            number = atom.GetAtomicNum()
            dv = table.GetNOuterElecs(number) - atom.GetTotalNumHs()
            shell = EState.GetPrincipleQuantumNumber(number)
            intrinsic[i] = (4.0 / (shell * shell) * dv + 1) / degree
    distances = Chem.GetDistanceMatrix(mol, useBO=False, useAtomWts=False) + 1
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = (intrinsic[:, None] - intrinsic[None, :]) / (distances * distances)
    terms[distances >= 1e6] = 0.0  # atoms of different fragments do not perturb each other
    np.fill_diagonal(terms, 0.0)
    # RDKit adds (I_i - I_j)/d² to atom i and subtracts it from atom j, pair by pair; as -(I_j - I_i)/d² is
    # exactly (I_i - I_j)/d², atom i receives row i of `terms` in column order.
    accumulated = np.cumsum(terms, axis=1)[:, -1] if n else np.zeros(0)
    indices = accumulated + intrinsic
    mol._eStateIndices = indices  # where RDKit's EState VSA bins look for them
    return indices


def _vsa_bins(function_name: str) -> Callable[[Chem.Mol], list]:
    function = getattr(rdMolDescriptors, function_name, None) or getattr(EState_VSA, function_name)

    def bins(mol: Chem.Mol) -> list:
        return list(function(mol, force=False))

    return bins


def _standardized(mol: Chem.Mol) -> dict[str, object]:
    """The parent's SMILES, InChIKey, formula and molar mass, and what was stripped ("HCl", "H2O x2", "Na+")."""
    from collections import Counter

    from chemprops.formula import Formula
    from chemprops.inchi import inchi_and_key
    from chemprops.structure import parent

    top = parent(mol)
    if top is None:
        raise ValueError("no parent could be made of this structure")
    kept = Counter(Chem.MolToSmiles(f) for f in Chem.GetMolFrags(top, asMols=True))
    stripped: Counter = Counter()
    for fragment in Chem.GetMolFrags(mol, asMols=True):
        smiles = Chem.MolToSmiles(fragment)
        if kept[smiles]:
            kept[smiles] -= 1
        elif not any(_same_skeleton(fragment, f) for f in Chem.GetMolFrags(top, asMols=True)):
            hill = Formula.from_mol(fragment).hill()
            stripped[_COMPONENT_NAMES.get(hill, hill)] += 1
    formula = Formula.from_mol(top)
    return {
        "parent_smiles": Chem.MolToSmiles(top),
        "parent_inchikey": inchi_and_key(top)[1],
        "parent_formula": formula.hill(),
        "parent_molar_mass": round(formula.molar_mass, 6),
        "components": "; ".join(f"{name} x{n}" if n > 1 else name for name, n in stripped.items()),
    }


# Hill formulas of common stripped components as chemists write them ("HCl", not PubChem's "ClH").
_COMPONENT_NAMES = {"ClH": "HCl", "BrH": "HBr", "HI": "HI", "H2O4S": "H2SO4", "H3O4P": "H3PO4", "HNO3": "HNO3",
                    "Cl-": "Cl-", "Br-": "Br-"}  # fmt: skip


def _same_skeleton(a: Chem.Mol, b: Chem.Mol) -> bool:
    """The same heavy atoms and bonds, charges and H aside (the parent is the neutralised fragment)."""
    return a.GetNumHeavyAtoms() == b.GetNumHeavyAtoms() and Chem.MolToSmiles(
        Chem.RemoveHs(_uncharged(a))
    ) == Chem.MolToSmiles(Chem.RemoveHs(_uncharged(b)))


def _uncharged(mol: Chem.Mol) -> Chem.Mol:
    from rdkit.Chem.MolStandardize import rdMolStandardize

    return rdMolStandardize.Uncharger().uncharge(Chem.Mol(mol))


SHARED: dict[str, Callable[[Chem.Mol], object]] = {
    "crippen": rdMolDescriptors.CalcCrippenDescriptors,  # (logP, MR): Wildman & Crippen 1999
    "estate": _estate,  # E-state indices (Hall, Mohney & Kier 1991): O(atoms²) in Python, once
    "characteristic_polynomial": _characteristic_polynomial,
    "bcut2d": _bcut2d,
    "smr_vsa": _vsa_bins("SMR_VSA_"),
    "slogp_vsa": _vsa_bins("SlogP_VSA_"),
    "peoe_vsa": _vsa_bins("PEOE_VSA_"),
    "estate_vsa": _vsa_bins("EState_VSA_"),
    "vsa_estate": _vsa_bins("VSA_EState_"),
    "fragments": _fragment_hits,
    "rotatable_bonds": rdMolDescriptors.CalcNumRotatableBonds,  # core's and RDKit's NumRotatableBonds: one value
    "parent": _standardized,  # --standardize: the parent and what was stripped from it
}


@cache
def _morgan(radius: int):
    return rdFingerprintGenerator.GetMorganGenerator(radius)


def _fingerprint_density(radius: int, mol: Chem.Mol) -> float:
    """RDKit's FpDensityMorgan: distinct Morgan environments per heavy atom, with one generator per radius
    kept (RDKit makes a new generator on every call)."""
    heavy = mol.GetNumHeavyAtoms()
    found = len(_morgan(radius).GetSparseCountFingerprint(mol).GetNonzeroElements())
    return 0.0 if heavy == 0 else float(found) / heavy


def _same(mol: Chem.Mol, value: object) -> object:
    return value


def _key(name: str, mol: Chem.Mol, values: dict) -> object:
    return values[name]


def _item(index: int, mol: Chem.Mol, values) -> object:
    return values[index]


def _info_entropy(mol: Chem.Mol, polynomial) -> float:
    return entropy.InfoEntropy(polynomial)


def _ipc(mol: Chem.Mol, polynomial) -> float:
    return sum(polynomial) * entropy.InfoEntropy(polynomial)


@lru_cache(maxsize=1)
def derived() -> dict[str, tuple[str, Callable]]:
    """RDKit descriptor name -> (intermediate, function(mol, intermediate)), or ("", function(mol)) for one
    that needs none but is computed faster here: the same formulas as RDKit's own
    functions (RDKit's Descriptors, EState, GraphDescriptors, MolSurf, Fragments and QED modules)."""
    out: dict[str, tuple[str, Callable]] = {
        "MaxEStateIndex": ("estate", lambda mol, v: max(v)),
        "MinEStateIndex": ("estate", lambda mol, v: min(v)),
        "MaxAbsEStateIndex": ("estate", lambda mol, v: max(abs(x) for x in v)),
        "MinAbsEStateIndex": ("estate", lambda mol, v: min(abs(x) for x in v)),
        "Ipc": ("characteristic_polynomial", _ipc),
        "AvgIpc": ("characteristic_polynomial", _info_entropy),
        "MolLogP": ("crippen", partial(_item, 0)),
        "MolMR": ("crippen", partial(_item, 1)),
        "qed": ("crippen", _qed),
        "NumRotatableBonds": ("rotatable_bonds", _same),
        **{f"FpDensityMorgan{r}": ("", partial(_fingerprint_density, r)) for r in (1, 2, 3)},
    }
    for i, suffix in enumerate(("MWHI", "MWLOW", "CHGHI", "CHGLO", "LOGPHI", "LOGPLOW", "MRHI", "MRLOW")):
        out[f"BCUT2D_{suffix}"] = ("bcut2d", partial(_item, i))
    for family, shared, bins in (("SMR_VSA", "smr_vsa", 10), ("SlogP_VSA", "slogp_vsa", 12),
                                 ("PEOE_VSA", "peoe_vsa", 14), ("EState_VSA", "estate_vsa", 11),
                                 ("VSA_EState", "vsa_estate", 10)):  # fmt: skip
        for i in range(bins):
            out[f"{family}{i + 1}"] = (shared, partial(_item, i))
    for name, _ in Fragments.fns:
        out[name] = ("fragments", partial(_fragment_count, name))
    return out


CORE: list[Descriptor] = [
    Descriptor(
        "logp", partial(_item, 0), "", "Octanol/water partition coefficient, Wildman-Crippen (1999)", shared="crippen"
    ),  # fmt: skip
    Descriptor(
        "molar_refractivity",
        partial(_item, 1),
        "cm³/mol",
        "Molar refractivity, Wildman-Crippen (1999)",
        shared="crippen",
    ),  # fmt: skip
    Descriptor("tpsa", rdMolDescriptors.CalcTPSA, "Å²", "Topological polar surface area, N and O only (Ertl 2000)"),
    Descriptor("hbd", rdMolDescriptors.CalcNumLipinskiHBD, "", "H-bond donors: NH and OH count (Lipinski 1997)"),
    Descriptor("hba", rdMolDescriptors.CalcNumLipinskiHBA, "", "H-bond acceptors: N and O count (Lipinski 1997)"),
    Descriptor("rotatable_bonds", _same, "", "Rotatable bonds (RDKit default definition)", shared="rotatable_bonds"),
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
RDKIT_NAMES: dict[str, str] = {}  # column -> the RDKit descriptor it equals (filled with the registry)


def register(descriptor: Descriptor) -> Descriptor:
    """Add a descriptor; a name already taken is an error, never skipped in silence."""
    if descriptor.name in REGISTRY:
        raise ValueError(f"descriptor {descriptor.name!r} is already registered")
    REGISTRY[descriptor.name] = descriptor
    return descriptor


# `--standardize`: the parent compound's columns (ChEMBL Structure Pipeline); never part of `all`.
STANDARDIZE: list[Descriptor] = [
    Descriptor(
        "parent_smiles", partial(_key, "parent_smiles"), "", "Parent: canonical SMILES", "standardize", "parent"
    ),
    Descriptor(
        "parent_inchikey", partial(_key, "parent_inchikey"), "", "Parent: standard InChIKey", "standardize", "parent"
    ),  # fmt: skip
    Descriptor("parent_formula", partial(_key, "parent_formula"), "", "Parent: Hill formula", "standardize", "parent"),
    Descriptor(
        "parent_molar_mass",
        partial(_key, "parent_molar_mass"),
        "g/mol",
        "Parent: molar mass (IUPAC 2021)",
        "standardize",
        "parent",
    ),  # fmt: skip
    Descriptor(
        "components",
        partial(_key, "components"),
        "",
        "What was stripped to get the parent (HCl, H2O x2)",
        "standardize",
        "parent",
    ),  # fmt: skip
]

for _descriptor in CORE + STANDARDIZE:
    register(_descriptor)


@lru_cache(maxsize=1)
def registry() -> dict[str, Descriptor]:
    """Every descriptor by name: core first, then RDKit's 2D set (registered on first use: RDKit's list is
    read once, and `chemprops batch -d core` never needs it)."""
    plan = derived()
    RDKIT_NAMES.update({"logp": "MolLogP", "molar_refractivity": "MolMR"})
    for rdkit_name, function in Descriptors._descList:
        if rdkit_name in COMPUTED_BY_CORE:
            RDKIT_NAMES[COMPUTED_BY_CORE[rdkit_name]] = rdkit_name
            continue
        name = RENAMED.get(rdkit_name) or snake_case(rdkit_name)
        definition = _first_line(function) or f"RDKit descriptor {rdkit_name}"
        shared, function = plan.get(rdkit_name, ("", function))
        units = _UNITS.get(rdkit_name, "")
        register(Descriptor(name, function, units, f"{definition} (RDKit {rdkit_name})", "rdkit", shared))
        RDKIT_NAMES[name] = rdkit_name
    return REGISTRY


def select(spec: str | list[str] | tuple[str, ...] | None) -> list[Descriptor]:
    """Descriptors named by `core`, `all`, `none` or a comma-separated list of names."""
    table = registry()
    if spec is None or spec == "core":
        return list(CORE)
    if spec == "all":
        return [d for d in table.values() if d.group != "standardize"]
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
