"""Stereo: tetrahedral stereocentres with CIP labels, racemic (CXSMILES `&`) groups, stereoisomers."""

from __future__ import annotations

from dataclasses import dataclass

from rdkit import Chem, rdBase
from rdkit.Chem import rdCIPLabeler

# The CIP labeller's recursion bound (RDKit PR #5772): fluorododecahedrane's labelling otherwise never ends. On the
# 19,239 EPA records the largest need is arterolane's (0.1 s); one molecule (Nanocar) exceeds it and keeps no label.
CIP_MAX_ITERATIONS = 1_000_000

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
                rdCIPLabeler.AssignCIPLabels(mol, maxRecursiveIterations=CIP_MAX_ITERATIONS)
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


def stereoisomers(mol: Chem.Mol, limit: int = 1024) -> list[Chem.Mol]:
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


def mirror_image(mol: Chem.Mol) -> Chem.Mol:
    """The molecule with every tetrahedral centre inverted."""
    mirror = Chem.Mol(mol)
    for atom in mirror.GetAtoms():
        tag = atom.GetChiralTag()
        if tag == Chem.ChiralType.CHI_TETRAHEDRAL_CW:
            atom.SetChiralTag(Chem.ChiralType.CHI_TETRAHEDRAL_CCW)
        elif tag == Chem.ChiralType.CHI_TETRAHEDRAL_CCW:
            atom.SetChiralTag(Chem.ChiralType.CHI_TETRAHEDRAL_CW)
    return mirror


def is_own_mirror(mol: Chem.Mol) -> bool:
    return Chem.MolToSmiles(mirror_image(mol)) == Chem.MolToSmiles(mol)


def without_racemic_groups(mol: Chem.Mol) -> Chem.Mol:
    """The molecule with its CXSMILES `&` (racemic) centres made undefined: a racemate's standard InChI has
    no absolute configuration there, while RDKit keeps the drawn one as a representative."""
    groups = mol.GetStereoGroups()
    if len(groups) == 0:  # most molecules; iterating RDKit's empty vector costs more than asking its length
        return mol
    racemic = [a.GetIdx() for g in groups if g.GetGroupType() == Chem.StereoGroupType.STEREO_AND for a in g.GetAtoms()]
    if not racemic:
        return mol
    mol = Chem.RWMol(mol)
    mol.SetStereoGroups([])
    for idx in racemic:
        mol.GetAtomWithIdx(idx).SetChiralTag(Chem.ChiralType.CHI_UNSPECIFIED)
    return mol.GetMol()
