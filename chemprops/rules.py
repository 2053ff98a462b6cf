"""Drug-likeness and CNS rules: a registry, one entry per rule, each with its published reference.

Every rule takes a `Profile` (the numbers the rules need, computed once per molecule by `profile(mol)`) and
returns a verdict: True (passes), False (fails). `violations` say which criteria failed.

Also here: Wager's CNS MPO score (0-6), a group-table pKa estimate (`chemprops.pka`) for when a record states no pKa,
Henderson-Hasselbalch logD at pH 7.4, and the BOILED-Egg classification (Daina & Zoete 2016).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from rdkit import Chem
from rdkit.Chem import Crippen, Descriptors, rdMolDescriptors

# Re-exported so that rules.estimate_pka and rules.PKA_GROUPS keep working.
from chemprops.pka import PKA_GROUPS, IonisableGroup, PkaEstimate, estimate_pka  # noqa: F401

PH = 7.4  # physiological pH at which Wager 2010 defines ClogD


def log_d(logp: float, pka_acid: float | None, pka_base: float | None, ph: float = PH) -> float:
    """logD at `ph` by Henderson-Hasselbalch: only the neutral form partitions; acid and base sites independent.

    logD = logP - log10(1 + 10^(pH - pKa_acid)) - log10(1 + 10^(pKa_base - pH))
    """
    value = logp
    if pka_acid is not None:
        value -= _log10_one_plus_ten_to(ph - pka_acid)
    if pka_base is not None:
        value -= _log10_one_plus_ten_to(pka_base - ph)
    return value


def _log10_one_plus_ten_to(x: float) -> float:
    """log10(1 + 10^x) without overflow for any x (a stated pKa of 400 overflowed a float)."""
    return x + math.log10(1 + 10**-x) if x > 0 else math.log10(1 + 10**x)


# --- profile ------------------------------------------------------------------------------------------------
@dataclass
class Profile:
    """The numbers the rules read, for one molecule."""

    mw: float  # average molecular weight, g/mol (RDKit MolWt)
    logp: float  # Wildman-Crippen logP (= WLOGP of the BOILED-Egg, and the ClogP stand-in for CNS MPO)
    mr: float  # Wildman-Crippen molar refractivity
    tpsa: float  # Ertl TPSA, N and O only
    tpsa_sp: float  # Ertl TPSA with S and P polar, as SwissADME computes it for the BOILED-Egg
    hbd: int  # Lipinski donors (NH + OH)
    hba: int  # Lipinski acceptors (N + O)
    hbd_atoms: int  # donor atoms (N or O bearing H; RDKit NumHDonors), the HBD count used for CNS MPO
    rotatable_bonds: int
    atoms: int  # all atoms including hydrogens (Ghose 1999)
    pka_acid: float | None
    pka_base: float | None
    pka_method: str
    extra: dict = field(default_factory=dict)

    @property
    def logd(self) -> float:
        return log_d(self.logp, self.pka_acid, self.pka_base)


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def profile(mol: Chem.Mol, pka_acid=None, pka_base=None) -> Profile:
    """Rule inputs for `mol`; pKa values stated by a record win over the group-table estimate.

    A record that states one pKa but not the other keeps the estimate for the other.
    """
    estimate = estimate_pka(mol)
    stated_acid, stated_base = _number(pka_acid), _number(pka_base)
    parts = []
    if stated_acid is not None or stated_base is not None:
        parts.append("record")
    if stated_acid is None or stated_base is None:
        parts.append(estimate.method)
    return Profile(
        mw=Descriptors.MolWt(mol),
        logp=Crippen.MolLogP(mol),
        mr=Crippen.MolMR(mol),
        tpsa=rdMolDescriptors.CalcTPSA(mol),
        tpsa_sp=rdMolDescriptors.CalcTPSA(mol, includeSandP=True),
        hbd=rdMolDescriptors.CalcNumLipinskiHBD(mol),
        hba=rdMolDescriptors.CalcNumLipinskiHBA(mol),
        hbd_atoms=rdMolDescriptors.CalcNumHBD(mol),
        rotatable_bonds=rdMolDescriptors.CalcNumRotatableBonds(mol),
        atoms=Chem.AddHs(mol).GetNumAtoms(),
        pka_acid=stated_acid if stated_acid is not None else estimate.acid,
        pka_base=stated_base if stated_base is not None else estimate.base,
        pka_method="; ".join(parts),
    )


# --- rules --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    name: str
    reference: str
    criteria: dict[str, Callable[[Profile], bool]]  # criterion text -> passes?
    allowed_violations: int = 0

    def violations(self, p: Profile) -> list[str]:
        return [text for text, check in self.criteria.items() if not check(p)]

    def passes(self, p: Profile) -> bool:
        return len(self.violations(p)) <= self.allowed_violations


RULES: list[Rule] = [
    # Lipinski, Lombardo, Dominy & Feeney, Adv. Drug Deliv. Rev. 23, 3-25 (1997): poor absorption is more
    # likely when more than one of the four limits is exceeded. logP: the paper's CLogP > 5 limit.
    Rule(
        "lipinski",
        "Lipinski et al., Adv. Drug Deliv. Rev. 23, 3 (1997)",
        {
            "MW <= 500": lambda p: p.mw <= 500,
            "logP <= 5": lambda p: p.logp <= 5,
            "HBD <= 5": lambda p: p.hbd <= 5,
            "HBA <= 10": lambda p: p.hba <= 10,
        },
        allowed_violations=1,
    ),
    # Veber et al., J. Med. Chem. 45, 2615-2623 (2002): rotatable bonds <= 10 and PSA <= 140 Å².
    Rule(
        "veber",
        "Veber et al., J. Med. Chem. 45, 2615 (2002)",
        {
            "rotatable bonds <= 10": lambda p: p.rotatable_bonds <= 10,
            "TPSA <= 140": lambda p: p.tpsa <= 140,
        },
    ),
    # Ghose, Viswanadhan & Wendoloski, J. Comb. Chem. 1, 55-68 (1999): qualifying ranges covering 80% of
    # drugs: logP -0.4..5.6, molar refractivity 40..130, MW 160..480, 20..70 atoms (hydrogens included).
    Rule(
        "ghose",
        "Ghose et al., J. Comb. Chem. 1, 55 (1999)",
        {
            "-0.4 <= logP <= 5.6": lambda p: -0.4 <= p.logp <= 5.6,
            "40 <= MR <= 130": lambda p: 40 <= p.mr <= 130,
            "160 <= MW <= 480": lambda p: 160 <= p.mw <= 480,
            "20 <= atoms <= 70": lambda p: 20 <= p.atoms <= 70,
        },
    ),
    # Egan, Merz & Baldwin, J. Med. Chem. 43, 3867-3877 (2000): the absorption "egg", used here as its
    # bounding limits PSA <= 131.6 Å² and AlogP98 <= 5.88 (as SwissADME applies it), with Crippen logP.
    Rule(
        "egan",
        "Egan et al., J. Med. Chem. 43, 3867 (2000)",
        {
            "TPSA <= 131.6": lambda p: p.tpsa <= 131.6,
            "logP <= 5.88": lambda p: p.logp <= 5.88,
        },
    ),
]


def registry() -> dict[str, Rule]:
    """Every rule by name, in report order."""
    return {rule.name: rule for rule in RULES}


def register(rule: Rule) -> Rule:
    """Add a rule (one column of verdicts and one of violations); a name already taken is an error."""
    if rule.name in registry():
        raise ValueError(f"rule {rule.name!r} is already registered")
    RULES.append(rule)
    return rule


# --- CNS MPO ------------------------------------------------------------------------------------------------
def _decreasing(x: float, best: float, worst: float) -> float:
    """Monotonic decreasing desirability: 1 at x <= best, 0 at x >= worst, linear in between."""
    if x <= best:
        return 1.0
    if x >= worst:
        return 0.0
    return (worst - x) / (worst - best)


def _tpsa_hump(tpsa: float) -> float:
    """Wager 2010 TPSA hump: 0 below 20, rising to 1 at 40, 1 up to 90, falling to 0 at 120 Å²."""
    if tpsa <= 20 or tpsa >= 120:
        return 0.0
    if tpsa < 40:
        return (tpsa - 20) / 20
    if tpsa <= 90:
        return 1.0
    return (120 - tpsa) / 30


def cns_mpo_components(p: Profile) -> dict[str, float]:
    """The six desirability scores of Wager, Hou, Verhoest & Villalobos, ACS Chem. Neurosci. 1, 435 (2010).

    Five monotonic decreasing functions and one hump (TPSA), as published (their Figure 1 / Table 1):
    ClogP 3..5, ClogD 2..4, MW 360..500, HBD 0.5..3.5, pKa 8..10; TPSA 20-40-90-120.
    Stand-ins here: ClogP = Wildman-Crippen logP; ClogD = Henderson-Hasselbalch from it (`log_d`);
    pKa = most basic centre from the record, else from `PKA_GROUPS`; no basic centre scores 1;
    HBD = donor atoms (RDKit NumHDonors: an NH2 counts once), not Lipinski's NH+OH hydrogen count.
    """
    return {
        "mpo_clogp": _decreasing(p.logp, 3, 5),
        "mpo_clogd": _decreasing(p.logd, 2, 4),
        "mpo_mw": _decreasing(p.mw, 360, 500),
        "mpo_tpsa": _tpsa_hump(p.tpsa),
        "mpo_hbd": _decreasing(p.hbd_atoms, 0.5, 3.5),
        "mpo_pka": 1.0 if p.pka_base is None else _decreasing(p.pka_base, 8, 10),
    }


def cns_mpo(p: Profile) -> float:
    """CNS MPO score, 0-6; Wager 2010 found >= 4 in 74% of marketed CNS drugs."""
    return sum(cns_mpo_components(p).values())


# --- BOILED-Egg ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Ellipse:
    """An ellipse in (TPSA, WLOGP) data units: centre, full width and height, rotation in degrees."""

    tpsa: float
    wlogp: float
    width: float
    height: float
    angle: float

    def contains(self, tpsa: float, wlogp: float) -> bool:
        return self.radius(tpsa, wlogp) <= 1.0

    def radius(self, tpsa: float, wlogp: float) -> float:
        """Normalised distance from the centre: 1 on the boundary."""
        theta = math.radians(self.angle)
        dx, dy = tpsa - self.tpsa, wlogp - self.wlogp
        u = dx * math.cos(theta) + dy * math.sin(theta)
        v = -dx * math.sin(theta) + dy * math.cos(theta)
        return math.hypot(u / (self.width / 2), v / (self.height / 2))


# Daina & Zoete, ChemMedChem 11, 1117-1121 (2016), Supporting Information: the egg white (human intestinal
# absorption, HIA) and the yolk (blood-brain barrier, BBB) ellipses in the TPSA (Å²) / WLOGP plane.
EGG_WHITE = Ellipse(tpsa=71.051, wlogp=2.292, width=142.081, height=8.740, angle=-1.031325)
EGG_YOLK = Ellipse(tpsa=38.117, wlogp=3.177, width=82.061, height=5.557, angle=-0.171887)


def boiled_egg(p: Profile) -> str:
    """'yolk' (BBB permeant, and absorbed), 'white' (absorbed, not BBB) or 'grey' (neither)."""
    if EGG_YOLK.contains(p.tpsa_sp, p.logp):
        return "yolk"
    if EGG_WHITE.contains(p.tpsa_sp, p.logp):
        return "white"
    return "grey"


def evaluate(mol: Chem.Mol, pka_acid=None, pka_base=None) -> dict[str, object]:
    """Every rule's verdict, the CNS MPO score and parts, and the BOILED-Egg class, as one flat row."""
    p = profile(mol, pka_acid, pka_base)
    row: dict[str, object] = {}
    for rule in RULES:
        failed = rule.violations(p)
        row[rule.name] = len(failed) <= rule.allowed_violations
        row[f"{rule.name}_violations"] = "; ".join(failed)
    row.update(
        {
            "pka_acid": p.pka_acid,
            "pka_base": p.pka_base,
            "pka_method": p.pka_method,
            "logd_7_4": round(p.logd, 3),
            "wlogp": round(p.logp, 3),
            "tpsa_sp": round(p.tpsa_sp, 2),
        }
    )
    parts = cns_mpo_components(p)
    row["cns_mpo"] = round(sum(parts.values()), 3)
    row.update({k: round(v, 3) for k, v in parts.items()})
    row["boiled_egg"] = boiled_egg(p)
    return row
