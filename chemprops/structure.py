"""Structures: parse SMILES/CXSMILES, InChI, MOL blocks and files, built-in names and CAS numbers; stereo.

Parsing never prints: RDKit's log is blocked and its complaint is turned into a one-line `ParseError`
naming the input.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdkit import Chem, rdBase
from rdkit.Chem import rdCIPLabeler

from chemprops.errors import InputError, NotFoundError, ParseError, one_line

CAS_RE = re.compile(r"^\d{2,7}-\d{2}-\d$")
MOL_SUFFIXES = {".mol", ".sdf", ".sd", ".mdl"}
LINE_SUFFIXES = {".smi", ".smiles", ".txt", ".inchi", ".ism", ".cxsmi"}


@dataclass
class Structure:
    """A parsed molecule with where it came from."""

    mol: Chem.Mol
    query: str
    name: str | None = None
    record: dict = field(default_factory=dict)  # the built-in record, when it came from the catalog

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
    with rdBase.BlockLogs():
        mol = Chem.MolFromSmiles(smiles)
        if mol is not None:
            return mol
        params = Chem.SmilesParserParams()
        params.sanitize = False
        raw = Chem.MolFromSmiles(smiles, params)
        reason = _sanitize_problem(raw) if raw is not None else "SMILES syntax error"
    raise ParseError(f"cannot parse SMILES {one_line(smiles, 80)!r}: {reason}", text)


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


def _parse_text(text: str) -> Chem.Mol:
    """Structure from a string: InChI, MOL block or SMILES/CXSMILES."""
    if text.startswith("InChI="):
        return mol_from_inchi(text)
    if "M  END" in text or "V2000" in text or "V3000" in text:
        return mol_from_molblock(text)
    return mol_from_smiles(text)


def is_file(path: Path) -> bool:
    """Path.is_file() that says False for a long SMILES mistaken for a path (ENAMETOOLONG) too."""
    try:
        return path.is_file()
    except OSError:
        return False


def read_file(path: Path) -> list[Structure]:
    """Every structure in a MOL/SDF file or a file with one SMILES or InChI per line."""
    suffixes = [s.lower() for s in path.suffixes]
    opener = gzip.open if suffixes and suffixes[-1] == ".gz" else open
    kind = (
        suffixes[-2] if suffixes and suffixes[-1] == ".gz" and len(suffixes) > 1 else (suffixes[-1] if suffixes else "")
    )
    try:
        with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    out: list[Structure] = []
    if kind in MOL_SUFFIXES or "M  END" in text:
        blocks = [b for b in re.split(r"^\$\$\$\$\s*$", text, flags=re.M) if b.strip()]
        for i, block in enumerate(blocks, 1):
            block = (
                block.lstrip("\r\n") if block.startswith(("\n", "\r\n")) and block.strip().count("\n") < 3 else block
            )
            block = block[1:] if block.startswith("\n") else block
            mol = mol_from_molblock(block)
            name = mol.GetProp("_Name").strip() if mol.HasProp("_Name") else ""
            out.append(Structure(mol, f"{path}#{i}", name or None))
    else:
        for i, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            first, _, rest = line.strip().partition(" ") if not line.startswith("InChI=") else (line.strip(), "", "")
            if "\t" in first:
                first, _, rest = first.partition("\t")
            out.append(Structure(_parse_text(first), f"{path}:{i}", rest.strip() or None))
    if not out:
        raise InputError(f"no structure in {path}")
    return out


def parse_many(query: str) -> list[Structure]:
    """All structures a query names: a built-in name or CAS, a file, InChI, a MOL block or SMILES."""
    from chemprops import catalog

    if not isinstance(query, str):
        raise ParseError(f"expected a string, got {type(query).__name__}", repr(query))
    text = query.strip()
    if not text:
        raise ParseError("empty query: give a SMILES, InChI, file, built-in name or CAS number", query)
    record = catalog.lookup(text)
    if record is not None:
        return [Structure(mol_from_smiles(record["smiles"]), text, record.get("name"), record)]
    if "\n" not in text and len(text) < 4096:
        path = Path(text).expanduser()
        if is_file(path):
            return read_file(path)
        if path.suffix.lower() in MOL_SUFFIXES | LINE_SUFFIXES | {".gz"} and not path.exists():
            raise InputError(f"no such file: {text}")
    if CAS_RE.match(text):
        raise NotFoundError(f"CAS number {text} is not in the built-in catalog (no network lookup)")
    return [Structure(_parse_text(text), text)]


def parse(query: str) -> Structure:
    """The one structure a query names (first of a file only if the file holds exactly one)."""
    found = parse_many(query)
    if len(found) != 1:
        raise InputError(f"{query} holds {len(found)} structures; use props_frame() for many")
    return found[0]


# --- stereo -----------------------------------------------------------------------------------------------
_MARKS = {"undefined": "?", "racemic": "rac", "relative": "rel"}  # how __str__ writes a non-defined centre
_TETRAHEDRAL = Chem.StereoType.Atom_Tetrahedral
_SPECIFIED = Chem.StereoSpecified.Specified


@dataclass(frozen=True)
class StereoCentre:
    """A tetrahedral stereocentre: atom index (0-based), element, CIP label, and how it is specified."""

    atom: int
    symbol: str
    label: str | None  # "R" or "S" when defined
    status: str  # "defined", "undefined", "racemic" (CXSMILES &n group) or "relative" (or-group)

    def __str__(self) -> str:
        mark = (self.label or "?") if self.status == "defined" else _MARKS[self.status]
        return f"{self.symbol}{self.atom + 1}:{mark}"


def stereocentres(mol: Chem.Mol, copy: bool = True) -> list[StereoCentre]:
    """Tetrahedral stereocentres with CIP labels (new CIP labeller, Hanson et al. 2018).

    With copy=False the molecule itself is cleaned and labelled (faster; for a molecule the caller owns).
    """
    mol = Chem.Mol(mol) if copy else mol
    with rdBase.BlockLogs():
        infos = Chem.FindPotentialStereo(mol, cleanIt=True)
        if len(infos) == 0:
            return []
        # (atom index, specified) of the tetrahedral centres, read once: each pass over `infos` is costly.
        centres = [(i.centeredOn, i.specified == _SPECIFIED) for i in infos if i.type == _TETRAHEDRAL]
        if not centres:
            return []
        # Labels are read for specified centres only: without one, the labeller is not run.
        if any(specified for _, specified in centres):
            try:
                rdCIPLabeler.AssignCIPLabels(mol)
            except (RuntimeError, ValueError):  # very large or odd systems: labels stay empty
                pass
    group_of: dict[int, str] = {}
    groups = mol.GetStereoGroups()
    for group in groups if len(groups) else ():  # iterating RDKit's empty vector is slow
        status = _GROUP_STATUS.get(group.GetGroupType())
        if status:
            for atom in group.GetAtoms():
                group_of[atom.GetIdx()] = status
    out = []
    for idx, specified in centres:
        atom = mol.GetAtomWithIdx(idx)
        symbol = atom.GetSymbol()
        if symbol in _OXO_CENTRES and _tautomeric_oxo(atom):
            continue
        label = atom.GetProp("_CIPCode") if specified and atom.HasProp("_CIPCode") else None
        status = group_of.get(idx, "defined" if specified else "undefined")
        out.append(StereoCentre(idx, symbol, label, status))
    return out


_GROUP_STATUS = {Chem.StereoGroupType.STEREO_AND: "racemic", Chem.StereoGroupType.STEREO_OR: "relative"}
_OXO_CENTRES = ("P", "S", "As", "Se")


def _tautomeric_oxo(atom: Chem.Atom) -> bool:
    """A P, S, As or Se centre with two terminal O/S (as in R-P(H)(=O)OH): moving the H between them makes
    the two ligands the same, so it is no stereocentre (InChI's mobile-H layer treats it the same way)."""
    if atom.GetSymbol() not in _OXO_CENTRES:
        return False
    terminal = [n for n in atom.GetNeighbors() if n.GetSymbol() in ("O", "S") and n.GetDegree() == 1]
    return len(terminal) >= 2


def enantiomers(mol: Chem.Mol, limit: int = 1024) -> list[Chem.Mol]:
    """Every stereoisomer obtained by fixing the undefined or racemic centres (defined ones are kept)."""
    mol = Chem.Mol(mol)
    loose = {c.atom for c in stereocentres(mol) if c.status != "defined"}
    if mol.GetStereoGroups():
        mol = Chem.RWMol(mol)
        mol.SetStereoGroups([])
        mol = mol.GetMol()
    for idx in loose:
        mol.GetAtomWithIdx(idx).SetChiralTag(Chem.ChiralType.CHI_UNSPECIFIED)
    from rdkit.Chem.EnumerateStereoisomers import EnumerateStereoisomers, StereoEnumerationOptions

    options = StereoEnumerationOptions(onlyUnassigned=True, unique=True, maxIsomers=limit, tryEmbedding=False)
    with rdBase.BlockLogs():
        isomers = list(EnumerateStereoisomers(mol, options=options))
    return sorted(isomers, key=Chem.MolToSmiles)
