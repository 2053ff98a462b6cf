"""Structures from text: SMILES/CXSMILES, InChI and MOL blocks, one cell or one string at a time.

Parsing never prints: RDKit's log is blocked and its complaint is turned into a one-line `ParseError`
naming the input. Finding what a query names (a built-in name, a CAS number, a file) is `chemprops.resolve`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from rdkit import Chem, rdBase

from chemprops.errors import ParseError, one_line


@dataclass
class Structure:
    """A parsed molecule with where it came from."""

    mol: Chem.Mol
    query: str
    name: str | None = None
    record: dict = field(default_factory=dict)  # the built-in record, when it came from the catalog
    source: str = ""  # how it was found: "SMILES", "built-in catalog", "file x.smi line 2", ...

    @property
    def label(self) -> str:
        return self.name or self.query


def _sanitize_problem(mol: Chem.Mol) -> str | None:
    problems = Chem.DetectChemistryProblems(mol)
    return problems[0].Message() if problems else None


def mol_from_smiles(text: str) -> Chem.Mol:
    """Parse SMILES or CXSMILES; ParseError with RDKit's reason when it fails."""
    smiles = text.strip()
    if not smiles:
        raise ParseError("empty SMILES", text)
    if "\x00" in smiles:
        raise ParseError("SMILES contains a NUL byte", text)
    head = smiles.split(None, 1)[0]  # SMILES proper is ASCII (a CXSMILES extension may hold labels)
    if not head.isascii():
        bad = next(c for c in head if not c.isascii())
        raise ParseError(f"SMILES contains a non-ASCII character {bad!r} at position {head.index(bad) + 1}", text)
    if "[" in head:
        _check_bracket_atoms(head, text)
    with rdBase.BlockLogs():
        mol = Chem.MolFromSmiles(smiles)
        if mol is not None:
            return mol
        params = Chem.SmilesParserParams()
        params.sanitize = False
        raw = Chem.MolFromSmiles(smiles, params)
        reason = _sanitize_problem(raw) if raw is not None else "SMILES syntax error"
    raise ParseError(f"cannot parse SMILES {one_line(smiles, 80)!r}: {reason}", text)


# A bracket atom: [isotope symbol chirality Hcount charge :map]. RDKit keeps the isotope in 16 bits and H count and
# charge in 8 and wraps larger values in silence ([CH260] is CH4, [C+256] neutral C, [999999C] 16959C; [CH128] trips
# an assertion). No real atom comes near the limits below: the heaviest known nuclide has A = 294, and no atom
# carries more than a handful of hydrogens or charges.
_BRACKET_RE = re.compile(r"\[(\d*)(\*|[A-Za-z][a-z]?)(@[^\]H+\-:]*)?(?:H(\d*))?((?:\+\d*|-\d*)+)?(?::\d+)?\]")
MAX_ISOTOPE, MAX_HYDROGENS, MAX_CHARGE = 300, 16, 16


def _check_bracket_atoms(smiles: str, text: str) -> None:
    for m in _BRACKET_RE.finditer(smiles):
        # seven digits are already beyond every limit: never convert more (int() refuses 4,300 digits)
        isotope, hydrogens, charge = ((g or "")[:7] for g in m.group(1, 4, 5))
        problem = ""
        if isotope and int(isotope) > MAX_ISOTOPE:
            problem = f"mass number {int(isotope)} (at most {MAX_ISOTOPE})"
        elif hydrogens and int(hydrogens) > MAX_HYDROGENS:
            problem = f"{int(hydrogens)} hydrogens (at most {MAX_HYDROGENS})"
        elif charge:
            value = _charge_of(charge)
            if abs(value) > MAX_CHARGE:
                problem = f"charge {value:+d} (at most ±{MAX_CHARGE})"
        if problem:
            raise ParseError(f"atom {one_line(m.group(0), 40)} in the SMILES has {problem}", text)


def _charge_of(token: str) -> int:
    """ "+", "++", "+3", "-2", "--": the charge a SMILES bracket atom writes."""
    sign = 1 if token[0] == "+" else -1
    digits = token.lstrip("+-")[:6]
    return sign * int(digits) if digits.isdigit() else sign * len(token)


def mol_from_inchi(text: str) -> Chem.Mol:
    """Parse an InChI string."""
    with rdBase.BlockLogs():
        mol = Chem.MolFromInchi(text.strip(), sanitize=True, removeHs=True, logLevel=None, treatWarningAsError=False)
    if mol is None:
        raise ParseError(f"cannot parse InChI {one_line(text, 80)!r}", text)
    return mol


def mol_from_molblock(text: str) -> Chem.Mol:
    """Parse a MOL block (V2000 or V3000)."""
    with rdBase.BlockLogs():
        mol = Chem.MolFromMolBlock(text, sanitize=False, removeHs=False)
        if mol is not None:
            problem = _sanitize_problem(mol)
            if problem is None:
                mol = Chem.RemoveHs(mol, sanitize=True)
                return mol
        else:
            problem = "unreadable MOL block"
    name = text.splitlines()[0].strip() if text.strip() else ""
    raise ParseError(f"cannot parse MOL block {name!r}: {problem}", text)


def parse_text(text: str) -> Chem.Mol:
    """Structure from a string: InChI, MOL block or SMILES/CXSMILES."""
    if text.startswith("InChI="):
        return mol_from_inchi(text)
    if "M  END" in text or "V2000" in text or "V3000" in text:
        return mol_from_molblock(text)
    return mol_from_smiles(text)


def parse_cell(text: object, kind: str) -> Chem.Mol:
    """The molecule in one table cell: a MOL block for kind "molblock", else SMILES/CXSMILES, InChI or a MOL block;
    ParseError with the reason, "empty ..." for blanks."""
    if not isinstance(text, str):
        if text is None or (isinstance(text, float) and math.isnan(text)) or type(text).__name__ == "NAType":
            raise ParseError("empty SMILES" if kind == "smiles" else "empty MOL block", "")
        if isinstance(text, (bytes, bytearray, memoryview)):  # a binary Parquet column
            raise ParseError(f"the cell holds {len(bytes(text)):,} bytes of binary data, not text", "")
        text = str(text)
    if kind == "molblock":
        if not text.strip():
            raise ParseError("empty MOL block", text)
        if "\x00" in text:
            raise ParseError("MOL block contains a NUL byte", text)
        return mol_from_molblock(text)
    return parse_text(text)


def mol_from_smiles_lenient(smiles: str) -> Chem.Mol | None:
    """Organometallics and hypervalent species RDKit's valence model rejects: atoms and bonds as written."""
    params = Chem.SmilesParserParams()
    params.sanitize = False
    with rdBase.BlockLogs():
        mol = Chem.MolFromSmiles(smiles.strip(), params)
        if mol is None:
            return None
        try:
            mol.UpdatePropertyCache(strict=False)
            flags = Chem.SanitizeFlags
            Chem.SanitizeMol(
                mol, flags.SANITIZE_ALL ^ flags.SANITIZE_PROPERTIES ^ flags.SANITIZE_KEKULIZE, catchErrors=True
            )
        except (RuntimeError, ValueError):
            return None
    return mol


def to_smiles(mol: Chem.Mol) -> str:
    with rdBase.BlockLogs():
        try:
            return Chem.MolToSmiles(mol)
        except (RuntimeError, ValueError):
            return ""


def attach_variable_groups(mol: Chem.Mol) -> tuple[Chem.Mol, int]:
    """The molecule with each position-variation group (CXSMILES `m:`, a `*` bonded to a group and to "one of
    these atoms") attached to the first of its atoms that has a hydrogen to give: the group replaces an H, so
    formula and masses are those of any one of the isomers meant. A metal bonded to several atoms of a pi system
    (haptic, as in a COD complex) takes no hydrogen: its `*` is dropped. Returns the molecule and how many
    groups were placed."""
    variable = [b for b in mol.GetBonds() if b.HasProp("_MolFileBondEndPts")]
    if not variable:
        return mol, 0
    rw = Chem.RWMol(mol)
    drop: list[int] = []
    placed = 0
    free = {a.GetIdx(): a.GetTotalNumHs() for a in mol.GetAtoms()}  # hydrogens each atom can still give
    for bond in variable:
        a, b = bond.GetBeginAtom(), bond.GetEndAtom()
        dummy, group = (a, b) if a.GetAtomicNum() == 0 else (b, a)
        if dummy.GetAtomicNum() != 0:
            continue
        numbers = [int(x) for x in bond.GetProp("_MolFileBondEndPts").strip("()").split()]
        targets = [n - 1 for n in numbers[1:] if 0 < n <= mol.GetNumAtoms()]
        drop.append(dummy.GetIdx())
        if group.GetSymbol() in METALS or not targets:
            continue
        for target in targets:
            if free.get(target, 0) > 0 and rw.GetBondBetweenAtoms(group.GetIdx(), target) is None:
                atom = rw.GetAtomWithIdx(target)
                rw.RemoveBond(dummy.GetIdx(), group.GetIdx())
                rw.AddBond(group.GetIdx(), target, Chem.BondType.SINGLE)
                if atom.GetNumExplicitHs() > 0:
                    atom.SetNumExplicitHs(atom.GetNumExplicitHs() - 1)
                free[target] -= 1
                placed += 1
                break
    for idx in sorted(set(drop), reverse=True):
        rw.RemoveAtom(idx)
    out = rw.GetMol()
    with rdBase.BlockLogs():
        try:
            Chem.SanitizeMol(out)
        except (ValueError, RuntimeError):
            return mol, 0
    return out, placed


# The metals (and Sn, Pb, Bi, Po): charged in a drawing of a neutral compound, closing chelate rings, bonded
# haptically by a position-variation bond.
METALS = frozenset(
    "Li Be Na Mg Al K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Cs Ba La Ce Pr Nd "
    "Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po Fr Ra Ac Th Pa U Np Pu Am".split()
)


def unlabelled(mol: Chem.Mol) -> Chem.Mol | None:
    """A copy without isotope labels, or None when the structure has none."""
    if not any(a.GetIsotope() for a in mol.GetAtoms()):
        return None
    plain = Chem.Mol(mol)
    for atom in plain.GetAtoms():
        atom.SetIsotope(0)
    return plain


# Counter-ions and water that leave a salt of an organic compound when the ChEMBL pipeline keeps them (it keeps
# sodium benzoate whole); anything else (metal complexes, inorganic salts) stays as the pipeline gives it.
SIMPLE_IONS = frozenset(
    "[Li+] [Na+] [K+] [Rb+] [Cs+] [Mg+2] [Ca+2] [Sr+2] [Ba+2] [Zn+2] [F-] [Cl-] [Br-] [I-] O F Cl Br I".split()
)


def parent(mol: Chem.Mol) -> Chem.Mol | None:
    """The parent compound: salts and solvents stripped, charges neutralised (None when it cannot be made).

    The ChEMBL Structure Pipeline (`standardize_mol`, `get_parent_mol`: its salt and solvent lists and its
    neutralisation, the standard ChEMBL registers compounds by); then, when it keeps simple ions or water beside
    an organic fragment, those are removed and the rest uncharged (RDKit's Uncharger). Isotope labels, which the
    pipeline drops, are kept when nothing else changes.
    """
    try:
        from chembl_structure_pipeline import standardizer
    except ImportError:  # pragma: no cover - a dependency; RDKit's standardizer alone then
        standardizer = None
    from rdkit.Chem.MolStandardize import rdMolStandardize

    with rdBase.BlockLogs():
        try:
            out = Chem.Mol(mol)
            if standardizer is not None:
                out, _ = standardizer.get_parent_mol(standardizer.standardize_mol(out))
            fragments = Chem.GetMolFrags(out, asMols=True)
            kept = [f for f in fragments if Chem.MolToSmiles(f) not in SIMPLE_IONS]
            organic = any(a.GetAtomicNum() == 6 for f in kept for a in f.GetAtoms())
            if kept and len(kept) < len(fragments) and organic:
                joined = kept[0]
                for fragment in kept[1:]:
                    joined = Chem.CombineMols(joined, fragment)
                out = rdMolStandardize.Uncharger().uncharge(joined)
            plain = unlabelled(mol)
            if plain is not None and Chem.MolToSmiles(out) == Chem.MolToSmiles(Chem.RemoveHs(plain)):
                return Chem.Mol(mol)  # nothing stripped: the labelled structure is its own parent
            return out
        except Exception:  # noqa: BLE001 - an exotic structure has no parent here
            return None
