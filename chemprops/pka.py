"""Most acidic and most basic pKa of a molecule from a table of ionisable groups, one entry a line.

Each group is a SMARTS whose first atom is the ionisable atom, its kind (acid or base), the pKa of a small model
compound in water at 25 °C and the source of that value. The first group (in table order, specific before
general) that matches an atom claims it; the most acidic pKa is the lowest acid value, the most basic the highest
base value (pKa of the conjugate acid). Non-basic nitrogens (amides, sulfonamides, carbamates, ureas, imides,
nitriles, nitro, N-oxides, hydrazines, pyrrole/indole NH, azoles beyond imidazole) match no base group.
A quaternary ammonium is permanently charged: it has no pKa and the method says so.

A crude estimate by design: neighbouring groups are seen only through the specific entries (benzylic, beta-
hydroxy, alpha-carbonyl amines, morpholine, piperazines, para-acyl phenols and anilines...); measured mean
absolute errors over 109 drugs: docs/compare.md and benchmarks/pka_accuracy.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdkit import Chem


@dataclass(frozen=True)
class IonisableGroup:
    name: str
    smarts: str  # first atom: the atom that gives up (acid) or takes (base) the proton
    kind: str  # "acid" or "base"
    pka: float
    source: str
    claims: tuple[int, ...] = (0,)  # the pattern's atoms this group claims (a piperazine: both nitrogens)


CRC = "CRC Handbook of Chemistry and Physics, dissociation constants of organic acids and bases"
# Mansouri et al., J. Cheminform. 11, 60 (2019), CC BY 4.0: the experimental strongest acidic and strongest basic
# pKa values in water of 7,912 chemicals collected by DataWarrior (as the EPA DSSTox files DWPKAA/DWPKAB).
MANSOURI = "Mansouri et al., J. Cheminform. 11, 60 (2019) (DataWarrior data set)"

# An aliphatic amine N: neutral, three single bonds to sp3 carbon or H (no N-C=X, N-aryl, N-hetero atom, N-C#N).
_AMINE = "[NX3;+0;!$(N-[!#6;!#1]);!$(N-[#6]=,#*);!$(N-a)"
_AMINE_H2 = _AMINE + ";H2"
_AMINE_H1 = _AMINE + ";H1"
_AMINE_H0 = _AMINE + ";H0"
# An aniline N: neutral, one aryl, no other sp2/sp neighbour or hetero atom (diarylamines and amides excluded).
_ANILINE = "[NX3;+0;$(N-a);!$(N(-a)-a);!$(N-[!#6;!#1]);!$(N-[#6;!a]=,#*)"
# An amino substituent that donates into a ring (amino, alkylamino; not amide or sulfonamide N).
_DONOR_N = "[NX3;!$(N-C=[O,S,N]);!$(N-S(=O)=O)]"
# A carbon of a ring fused to or bearing a carbonyl or nitro: such imidazoles (xanthines, nitroimidazoles) are
# not basic in water's range.
_NOT_BASIC_AZOLE = "!$(n:c:[#6,#7]:[#6]=O);!$(n:c:[#6,#7]-[N+](=O)[O-]);!$(n:c-[N+](=O)[O-])"


PKA_GROUPS: list[IonisableGroup] = [
    # --- acids, strongest classes first ---
    IonisableGroup(
        "sulfonic acid",
        "[OX2H1][SX4](=O)=O",
        "acid",
        -1.9,
        "methanesulfonic acid, Guthrie, Can. J. Chem. 56, 2342 (1978)",
    ),
    IonisableGroup(
        "phosphonic acid", "[OX2H1][PX4](=O)[OX2H1]", "acid", 2.38, f"methylphosphonic acid (first pKa), {CRC}"
    ),
    IonisableGroup("phosphinic acid", "[OX2H1][PX4]=O", "acid", 3.08, f"dimethylphosphinic acid, {MANSOURI}"),
    IonisableGroup("alpha-amino acid", f"[OX2H1]C(=O)[CX4]{_AMINE}]", "acid", 2.34, f"glycine (carboxyl), {CRC}"),
    IonisableGroup("salicylic acid", "[OX2H1]C(=O)c:c[OX2H1]", "acid", 2.99, f"salicylic acid, {MANSOURI}"),
    IonisableGroup("aromatic carboxylic acid", "[OX2H1]C(=O)a", "acid", 4.18, f"benzoic acid, {MANSOURI}"),
    IonisableGroup("aryloxyacetic acid", "[OX2H1]C(=O)[CX4]O-a", "acid", 3.17, f"phenoxyacetic acid, {CRC}"),
    IonisableGroup("arylacetic acid", "[OX2H1]C(=O)[CX4]a", "acid", 4.31, f"phenylacetic acid, {CRC}"),
    IonisableGroup("carboxylic acid", "[OX2H1]C(=O)[#6]", "acid", 4.76, f"acetic acid, {CRC}"),
    IonisableGroup("5-aryltetrazole", "[nH]1:n:n:n:c:1-a", "acid", 4.28, f"5-phenyltetrazole, {MANSOURI}"),
    IonisableGroup("5-aryltetrazole", "[nH]1:n:n:c(-a):n:1", "acid", 4.28, f"5-phenyltetrazole, {MANSOURI}"),
    IonisableGroup("tetrazole", "[nH]1:n:n:n:c:1", "acid", 4.84, f"1H-tetrazole, {MANSOURI}"),
    IonisableGroup("tetrazole", "[nH]1:n:n:c:n:1", "acid", 4.84, f"1H-tetrazole, {MANSOURI}"),
    IonisableGroup("4-hydroxycoumarin", "[OX2H1]-c1:c:c(=O):o:c:c:1", "acid", 4.1, f"4-hydroxycoumarin, {MANSOURI}"),
    IonisableGroup(
        "3-hydroxyisoxazole",
        "[OX2H1]-c1:n:o:c:c:1",
        "acid",
        5.92,
        "hymexazol (3-hydroxy-5-methylisoxazole), The Pesticide Manual",
    ),
    IonisableGroup(
        "sulfonylurea", "[NX3;H1](S(=O)(=O))C(=O)[#7]", "acid", 5.41, f"sulfacarbamide (N-sulfanilylurea), {MANSOURI}"
    ),
    IonisableGroup(
        "acyl sulfonamide", "[NX3;H1](S(=O)(=O))C=O", "acid", 5.35, f"sulfacetamide (N-acetylsulfanilamide), {MANSOURI}"
    ),
    # N-(azinyl/azolyl) sulfonamides (sulfa drugs): mean of N-(2-pyridyl) 8.2, N-(2-pyrimidinyl) 5.91 and
    # N-(2-thiazolyl) 5.73 benzenesulfonamide.
    IonisableGroup(
        "N-heteroaryl sulfonamide",
        "[NX3;H1](S(=O)(=O))c:[n,o,s]",
        "acid",
        6.61,
        f"mean of three N-heteroaryl benzenesulfonamides, {MANSOURI}",
    ),
    # The ring NH of a 4H-1,2,4-benzothiadiazine 1,1-dioxide (chlorothiazide, diazoxide): a sulfonyl amidine.
    IonisableGroup(
        "sulfonyl amidine NH",
        "[#7;H1;R]-[#6;R]=[#7;R]-[#16;R](=O)=O",
        "acid",
        7.61,
        f"mean of three 3-methyl-4H-pyrido-1,2,4-thiadiazine 1,1-dioxides, {MANSOURI}",
    ),
    IonisableGroup(
        "sulfonyl amidine NH",
        "[#7;H1;R](-[#16;R](=O)=O)-[#6;R]=[#7;R]",
        "acid",
        7.61,
        f"mean of three 3-methyl-4H-pyrido-1,2,4-thiadiazine 1,1-dioxides, {MANSOURI}",
    ),
    IonisableGroup("N-aryl sulfonamide", "[NX3;H1](S(=O)(=O))a", "acid", 8.22, f"benzenesulfonanilide, {MANSOURI}"),
    IonisableGroup("nitrophenol", "[OX2H1]c1ccc(cc1)[N+](=O)[O-]", "acid", 7.13, f"4-nitrophenol, {MANSOURI}"),
    IonisableGroup("nitrophenol", "[OX2H1]c:c[N+](=O)[O-]", "acid", 7.15, f"2-nitrophenol, {MANSOURI}"),
    IonisableGroup("barbiturate", "[NX3;H1]1C(=O)[CX4]C(=O)[NX3]C1=[O,S]", "acid", 8.08, f"pentobarbital, {MANSOURI}"),
    IonisableGroup("p-acylphenol", "[OX2H1]c1ccc(cc1)C=O", "acid", 8.34, f"methylparaben, {MANSOURI}"),
    IonisableGroup("hydroxamic acid", "[OX2H1][NX3;H1]C=O", "acid", 8.71, f"benzohydroxamic acid, {MANSOURI}"),
    IonisableGroup("hydantoin", "[NX3;H1;r5](C(=O)[CX4])C(=O)[#7]", "acid", 9.19, f"5,5-dimethylhydantoin, {MANSOURI}"),
    IonisableGroup("imide", "[#7;H1]([#6]=O)[#6]=O", "acid", 9.59, f"succinimide, {MANSOURI}"),
    IonisableGroup("primary sulfonamide", "[NX3;H2]S(=O)(=O)[#6]", "acid", 9.7, f"benzenesulfonamide, {MANSOURI}"),
    IonisableGroup("phenol", "[OX2H1]-c", "acid", 9.99, f"phenol, {CRC}"),
    IonisableGroup("thiol", "[SX2H1][CX4]", "acid", 10.56, f"1-propanethiol, {MANSOURI}"),
    # --- bases, strongest classes first ---
    IonisableGroup(
        "biguanide",
        "[CX3;!a;!$(C=O)](~[#7])(~[#7])~[#7]~[CX3;!a](~[#7])~[#7]",
        "base",
        12.4,
        "metformin, Glucophage (metformin hydrochloride) US prescribing information, section 11",
    ),
    IonisableGroup("aryl guanidine", "[CX3;!a](~[#7])(~[#7])~[#7]-a", "base", 10.79, f"phenylguanidine, {MANSOURI}"),
    IonisableGroup("aryl guanidine", "[CX3;!a](~[#7])(~[#7])=[#7]-a", "base", 10.79, f"phenylguanidine, {MANSOURI}"),
    # Not a guanidine's basicity: acyl-, sulfonyl-, cyano- and nitroguanidines.
    IonisableGroup(
        "guanidine",
        "[CX3;!a;!$(C~[#7]~[CX3](~[#7])~[#7]);!$(C~[#7]-,=[#6,#16]=O);!$(C~[#7]-,=C#N);!$(C~[#7]-,=[N+](=O)[O-]);!$(C~[#7]S(=O)=O)](~[#7])(~[#7])~[#7]",
        "base",
        13.1,
        f"guanidine, {MANSOURI}",
    ),
    IonisableGroup(
        "amidine",
        "[CX3;!a;!$(C~[#7]-,=[#6,#16]=O)](=[NX2;!$(N-[O,N,S]);!$(N-a)])(-[#6])-[NX3;!$(N-C=O)]",
        "base",
        11.8,
        f"benzamidine, {MANSOURI}",
    ),
    IonisableGroup(
        "amidine",
        "[CX3;!a;!$(C~[#7]-,=[#6,#16]=O)](-[NX3;!$(N-C=O)])(-[#6])=[NX2;!$(N-[O,N,S]);!$(N-a)]",
        "base",
        11.8,
        f"benzamidine, {MANSOURI}",
    ),
    IonisableGroup(
        "4-aminopyridine", f"[nX2;r6]1:c:c:c(-{_DONOR_N}):c:c:1", "base", 9.16, f"4-aminopyridine, {MANSOURI}"
    ),
    IonisableGroup(
        "2-aminopyridine", f"[nX2;r6]1:c(-{_DONOR_N}):c:c:c:c:1", "base", 6.95, f"2-aminopyridine, {MANSOURI}"
    ),
    IonisableGroup("2-aminothiazole", f"[nX2]1:c(-{_DONOR_N}):s:c:c:1", "base", 5.44, f"2-aminothiazole, {MANSOURI}"),
    IonisableGroup(
        "benzimidazole",
        f"[nX2;r5;{_NOT_BASIC_AZOLE}]1:c:[nX3]:c2:c:c:c:c:c:1:2",
        "base",
        5.51,
        f"benzimidazole, {MANSOURI}",
    ),
    # An imidazole fused to an aromatic six-ring that is not benzimidazole (purines: adenine, guanine, acyclovir)
    # is far less basic (pKa below 5): not counted, like the other weak azoles.
    IonisableGroup(
        "imidazole",
        f"[nX2;r5;{_NOT_BASIC_AZOLE};!$(n1:c:n:c2:c:1:a:a:a:a:2)]1:c:[nX3]:c:c:1",
        "base",
        7.07,
        f"imidazole, {MANSOURI}",
    ),
    IonisableGroup("quinoline", "[nX2;r6]1:c:c:c:c2:c:c:c:c:c:1:2", "base", 4.89, f"quinoline, {MANSOURI}"),
    IonisableGroup("pyridine", "[nX2;r6]1:c:c:c:c:c:1", "base", 5.23, f"pyridine, {CRC}"),
    # Aliphatic amines: specific environments (electron-withdrawing neighbours lower the pKa) before general.
    IonisableGroup("alpha-amido amine", f"{_AMINE}]-[CX4]-C(=O)-[#7]", "base", 7.72, f"lidocaine, {MANSOURI}"),
    IonisableGroup("beta-cyano amine", f"{_AMINE}]-[CX4]-[CX4]-C#N", "base", 7.75, f"3-aminopropionitrile, {MANSOURI}"),
    IonisableGroup("morpholine", f"{_AMINE_H1};R]1CCOCC1", "base", 8.71, f"morpholine, {MANSOURI}"),
    IonisableGroup("N-alkylmorpholine", f"{_AMINE_H0};R]1CCOCC1", "base", 7.66, f"4-methylmorpholine, {MANSOURI}"),
    # A piperazine N whose partner N is acylated, arylated or sulfonylated (carbamate model compounds).
    IonisableGroup(
        "N'-acyl/aryl piperazine",
        f"{_AMINE_H1};R]1CC[NX3](-[$(C=[O,S,N]),$(a),$(S(=O)=O)])CC1",
        "base",
        8.28,
        f"ethyl piperazine-1-carboxylate, {MANSOURI}",
        (0, 3),
    ),
    IonisableGroup(
        "N'-acyl/aryl N-alkylpiperazine",
        f"{_AMINE_H0};R]1CC[NX3](-[$(C=[O,S,N]),$(a),$(S(=O)=O)])CC1",
        "base",
        7.31,
        f"ethyl 4-methylpiperazine-1-carboxylate, {MANSOURI}",
        (0, 3),
    ),
    # one group for the ring: its second nitrogen, protonated next to the first, is far weaker (pKa about 5)
    IonisableGroup(
        "piperazine", f"{_AMINE};R]1CC{_AMINE}]CC1", "base", 9.6, f"1-methylpiperazine (first pKa), {MANSOURI}", (0, 3)
    ),
    IonisableGroup("benzylic amine", f"{_AMINE_H2}]-[CX4]-a", "base", 9.36, f"benzylamine, {MANSOURI}"),
    IonisableGroup("benzylic amine", f"{_AMINE_H1}]-[CX4]-a", "base", 9.64, f"N-methylbenzylamine, {MANSOURI}"),
    IonisableGroup("benzylic amine", f"{_AMINE_H0}]-[CX4]-a", "base", 8.97, f"N,N-dimethylbenzylamine, {MANSOURI}"),
    IonisableGroup(
        "beta-hydroxy/alkoxy amine", f"{_AMINE_H2}]-[CX4]-[CX4]-[OX2]", "base", 9.55, f"ethanolamine, {MANSOURI}"
    ),
    IonisableGroup(
        "beta-hydroxy/alkoxy amine",
        f"{_AMINE_H1}]-[CX4]-[CX4]-[OX2]",
        "base",
        9.91,
        f"2-(methylamino)ethanol, {MANSOURI}",
    ),
    IonisableGroup(
        "beta-hydroxy/alkoxy amine",
        f"{_AMINE_H0}]-[CX4]-[CX4]-[OX2]",
        "base",
        9.36,
        f"2-(dimethylamino)ethanol, {MANSOURI}",
    ),
    IonisableGroup("primary aliphatic amine", _AMINE_H2 + "]", "base", 10.66, f"methylamine, {CRC}"),
    IonisableGroup("secondary aliphatic amine", _AMINE_H1 + "]", "base", 10.73, f"dimethylamine, {CRC}"),
    IonisableGroup("tertiary aliphatic amine", _AMINE_H0 + "]", "base", 9.80, f"trimethylamine, {CRC}"),
    # Anilines: a para carbonyl or sulfonyl (sulfa drugs, benzocaine) withdraws the lone pair.
    IonisableGroup(
        "p-acyl/sulfonyl aniline",
        f"{_ANILINE}]-c1ccc(cc1)[$(C=O),$(S(=O)=O)]",
        "base",
        2.41,
        f"4-aminobenzoic acid (amino), {MANSOURI}",
    ),
    IonisableGroup("aniline", f"{_ANILINE};H2]", "base", 4.6, f"aniline, {MANSOURI}"),
    IonisableGroup("N-alkylaniline", f"{_ANILINE};H1]", "base", 4.8, f"N-methylaniline, {MANSOURI}"),
    IonisableGroup("N,N-dialkylaniline", f"{_ANILINE};H0]", "base", 5.1, f"N,N-dimethylaniline, {MANSOURI}"),
]

_QUATERNARY = "[NX4+;H0;!$(N~[!#6])]"


@cache
def _pattern(smarts: str) -> Chem.Mol:
    pattern = Chem.MolFromSmarts(smarts)
    if pattern is None:
        raise ValueError(f"bad SMARTS in the pKa table: {smarts}")
    return pattern


@dataclass(frozen=True)
class PkaEstimate:
    acid: float | None  # most acidic group's pKa, None when there is none
    base: float | None  # pKa of the conjugate acid of the most basic centre, None when there is none
    method: str  # "group table: <groups>"


def estimate_pka(mol: Chem.Mol) -> PkaEstimate:
    """Most acidic and most basic pKa from `PKA_GROUPS`: the first group that matches an atom claims it."""
    acids, bases, used, seen = [], [], [], set()
    for group in PKA_GROUPS:
        for match in mol.GetSubstructMatches(_pattern(group.smarts)):
            if match[0] in seen:
                continue
            seen.update(match[i] for i in group.claims)
            (acids if group.kind == "acid" else bases).append(group.pka)
            if group.name not in used:
                used.append(group.name)
    if mol.HasSubstructMatch(_pattern(_QUATERNARY)):
        used.append("quaternary ammonium (permanently charged, no pKa)")
    return PkaEstimate(
        min(acids) if acids else None,
        max(bases) if bases else None,
        "group table: " + (", ".join(used) if used else "no ionisable group"),
    )
