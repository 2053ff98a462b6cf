"""The checks: one registry entry per stated field, each comparing what a record states with its structure.

A check function receives the stated value, the `Facts` computed from the structure and the `Context` of the
batch (offline identifier tables, OPSIN's readings of the names) and returns an `Outcome` (computed, status,
message); the engine in `verify.py` adds the record id, the check name and the stated value to make a row.
Statuses: pass, fail, warn (right, but only under an outdated or looser convention), skip (cannot be checked
here, with the reason).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from rdkit import Chem, rdBase

from chemprops import identifiers as ids
from chemprops import names, opsin
from chemprops.errors import DependencyError, FormulaError, ParseError, one_line
from chemprops.formula import Formula, uncharged_formula
from chemprops.idtables import TABLE_LABEL, Entry, IdentifierIndex, online_entries
from chemprops.idtables import table as idtables_table
from chemprops.inchi import (
    NO_STEREO_BLOCK,
    atom_map,
    inchi_and_key,
    inchi_difference,
    inchi_layers,
    protons_moved,
    standard_inchi,
    stereo_relation,
)
from chemprops.quantity import parse_quantity
from chemprops.stereo import is_own_mirror, mirror_image, stereocentres, stereoisomers
from chemprops.structure import METALS, mol_from_inchi, mol_from_smiles, mol_from_smiles_lenient, parent

PASS, FAIL, WARN, UNVERIFIED, SKIP = "pass", "fail", "warn", "unverified", "skip"
# pass: compared with what the structure gives, and it agrees; fail: it disagrees; warn: it agrees only under an
# older or looser convention; unverified: well formed, but nothing offline says what it names; skip: not checked
# here, with the reason.
STATUSES = (PASS, FAIL, WARN, UNVERIFIED, SKIP)

# Electron rest mass in Da: CODATA 2018 (Tiesinga et al., Rev. Mod. Phys. 93 (2021) 025010), 5.48579909065e-4 u.
ELECTRON_MASS = 5.48579909065e-4
# Extra tolerance on masses (Da, g/mol) for floating-point sums and for nuclide tables that differ in the
# last digit (AME2016 vs AME2020 differ by < 1e-7 u for light nuclides, Wang et al., Chin. Phys. C 45 (2021)).
FLOAT_SLACK = 2e-6
# Nuclide mass tables disagree in the last digits for atoms beyond C, H, N, O (AME2003, Audi et al., Nucl. Phys.
# A 729 (2003) 337, used by older databases, vs AME2020, Wang et al., Chin. Phys. C 45 (2021) 030003, in RDKit):
# up to 2e-6 u per atom below Sc; 4.3e-6 u for 48Ti (47.9479463 vs 47.9479420) and as much for the first
# transition row, so 5e-6 u from Sc to Br; 1e-5 u from Kr on (Kr, Ag, Sn, I: measured on the EPA Wikipedia set);
# and for an element without a stable isotope the nuclide itself may differ between sources (210Po: 1.7e-5 u),
# 5e-5 u. A stated exact mass may differ from ours by that much beyond its own rounding.
NUCLIDE_SLACK_LIGHT, NUCLIDE_SLACK_MIDDLE, NUCLIDE_SLACK_HEAVY, NUCLIDE_SLACK_RADIO = 2e-6, 5e-6, 1e-5, 5e-5


# A single nuclide's molar mass (an isotope-labelled atom beyond H, C, N, O: 123I, 210Po, 241Am) differs between
# mass evaluations and sources by up to 1e-3 g/mol (EPA Wikipedia list: 123I 122.906147 vs AME2020 122.905589).
NUCLIDE_MOLAR_SLACK = 1e-3


def nuclide_molar_slack(formula: Formula) -> float:
    """How far sources may disagree on the molar mass of the single nuclides this formula names."""
    return NUCLIDE_MOLAR_SLACK * sum(
        n for (symbol, mass), n in formula.counts.items() if mass and symbol not in ("H", "D", "T", "C", "N", "O")
    )


def nuclide_slack(formula: Formula) -> float:
    """How far two nuclide mass tables may disagree on this formula's monoisotopic mass."""
    out = 0.0
    table = Chem.GetPeriodicTable()
    for (symbol, _mass), n in formula.counts.items():
        if symbol in ("C", "H", "N", "O", "D", "T"):
            continue
        z = table.GetAtomicNumber(symbol)
        if z == 43 or z == 61 or z >= 84:  # Tc, Pm, Po and beyond: no stable isotope
            out += n * NUCLIDE_SLACK_RADIO
        elif z >= 36:
            out += n * NUCLIDE_SLACK_HEAVY
        elif z >= 21:
            out += n * NUCLIDE_SLACK_MIDDLE
        else:
            out += n * NUCLIDE_SLACK_LIGHT
    return out


@dataclass(frozen=True)
class Outcome:
    computed: str
    status: str
    message: str


class Facts:
    """What the structure says, computed once and only when a check asks for it."""

    def __init__(
        self,
        mol: Chem.Mol,
        kind: str = "smiles",
        lenient: bool = False,
        fields: dict | None = None,
        variable: bool = False,
    ):
        self.mol = mol
        self.kind = kind  # what the structure was read from: smiles, molblock or inchi
        self.lenient = lenient  # read without RDKit's valence rules: InChI of it is not trustworthy
        self.variable = variable  # position-variation groups placed on one of their atoms: one isomer of several
        self.fields = fields or {}  # the record's stated fields, for checks that look at two of them

    @cached_property
    def formula(self) -> Formula:
        return Formula.from_mol(self.mol)

    @cached_property
    def centres(self):
        return stereocentres(self.mol)

    @cached_property
    def inchi(self) -> str:
        """Standard InChI; racemic (CXSMILES `&`) centres are left undefined, as a racemate's InChI has them."""
        return "" if self.lenient else standard_inchi(self.mol)

    @property
    def no_inchi_reason(self) -> str:
        if self.lenient:
            return "no trustworthy InChI for a structure RDKit's valence rules reject"
        return "the InChI library cannot represent this structure"

    @cached_property
    def inchikey(self) -> str:
        return Chem.InchiToInchiKey(self.inchi) or "" if self.inchi else ""


@dataclass(frozen=True)
class NameReading:
    """A name turned into a structure (its standard InChI), or the reason it could not be."""

    inchi: str = ""
    error: str = ""


@dataclass
class Context:
    """Everything a check needs beyond the record: offline tables, and what batch-wide work (a check's
    `start`, e.g. OPSIN on every name of the batch) found, by check name and stated value."""

    identifiers: IdentifierIndex = field(default_factory=IdentifierIndex)
    found: dict[str, dict] = field(default_factory=dict)  # check -> stated value -> reading
    unavailable: dict[str, str] = field(default_factory=dict)  # check -> why its batch work cannot run here
    pending: set[str] = field(default_factory=set)  # checks whose batch work still runs: rows completed later
    online: bool = False  # identifiers in no offline table may be asked of PubChem
    derived: dict[str, str] = field(default_factory=dict)  # IUPAC name -> OPSIN's SMILES, for records without one


CheckFunction = Callable[[object, Facts, Context], Outcome]


@dataclass(frozen=True)
class Check:
    """One check: its name (the stated field it checks), whether it needs the structure, what it tests.

    A check that needs work over the whole batch first (one JVM for every name) gives `start(values)`, which
    returns a handle whose `result()` gives items, and `read(item)` -> (stated value, reading) run on the
    engine; its rows are completed once that is done, from the `Facts` attributes named in `carries`.
    """

    name: str
    function: CheckFunction
    needs_structure: bool
    description: str
    start: Callable[[list[str]], object] | None = None
    read: Callable[[object], tuple[str, object]] | None = None
    carries: tuple[str, ...] = ()


def stated_key(value: object) -> str:
    """A stated text with its white space normalised: the key batch-wide readings are stored under."""
    return " ".join(str(value).split())


# --- helpers --------------------------------------------------------------------------------------------
def _fmt(value: float, decimals: int) -> str:
    return f"{value:.{max(decimals, 3)}f}"


# Differences that explain a wrong mass (average masses, IUPAC 2021 conventional weights).
_MASS_HINTS = {1.008: "one H", 2.016: "two H", 14.027: "CH2", 18.015: "H2O", 36.46: "HCl", 22.99: "Na", 15.999: "O"}


def _hint(diff: float, tolerance: float) -> str:
    for delta, what in _MASS_HINTS.items():
        if abs(abs(diff) - delta) <= max(tolerance, 0.002 * delta):
            return f" (about {'+' if diff > 0 else '-'}{what})"
    return ""


def _element_diff(stated: Formula, computed: Formula) -> str:
    parts = []
    keys = sorted(set(stated.counts) | set(computed.counts))
    for key in keys:
        a, b = stated.counts.get(key, 0), computed.counts.get(key, 0)
        if a != b:
            label = Formula({key: 1}).hill()
            parts.append(f"{label} {a} stated vs {b}")
    if stated.charge != computed.charge:
        parts.append(f"charge {stated.charge:+d} stated vs {computed.charge:+d}")
    return ", ".join(parts)


# --- formula --------------------------------------------------------------------------------------------
def check_formula(stated: object, facts: Facts, ctx: Context) -> Outcome:
    computed = facts.formula
    shown = computed.hill()
    polymer = False
    ranged = _RANGE_RE.search(str(stated))
    if ranged:
        return _check_range_formula(str(stated), ranged, computed)
    try:
        readings = Formula.readings(str(stated))
    except FormulaError as exc:
        # A polymer's formula, "(C2H4O)n" or "(C2H4O)nC14H22O", against a structure of one repeat unit.
        unit = re.sub(r"\)[nmx](?![a-z])", ")", str(stated))
        try:
            readings, polymer = Formula.readings(unit), unit != str(stated)
        except FormulaError:
            return Outcome(shown, FAIL, f"cannot read the stated formula: {one_line(exc)}")
        if not polymer:
            return Outcome(shown, FAIL, f"cannot read the stated formula: {one_line(exc)}")
    if polymer:
        if computed in readings:
            return Outcome(shown, WARN, "a polymer formula: agrees with the structure when n = 1 (one repeat unit)")
        return Outcome(shown, FAIL, "a polymer formula; with n = 1: " + _element_diff(readings[0], computed))
    if computed in readings:
        note = "" if readings[0] == computed else f" (reading the charge as {computed.charge:+d})"
        return Outcome(shown, PASS, f"element counts and charge agree{note}")
    same_atoms = [r for r in readings if r.counts == computed.counts]
    if same_atoms and computed.charge and all(r.charge == 0 for r in same_atoms):
        if _charge_is_artefact(facts):
            # A neutral substance drawn with charges that do not balance: ions that lost a partner
            # ([Cl-].[Cl-].[Cl-].[Pu]), or a metal given a charge its ligands do not carry ([Ti++] with neutral Cp).
            return Outcome(
                shown,
                FAIL,
                f"element counts agree, but the structure carries a net charge of {computed.charge:+d} (on separate "
                "ions or a charged metal) while the stated formula is neutral: a charge or an ion of the structure is wrong",
            )
        return Outcome(shown, WARN, f"element counts agree; the stated formula omits the charge {computed.charge:+d}")
    merged = [r for r in readings if r.elements(True) == computed.elements(True) and r.charge == computed.charge]
    if merged:
        return Outcome(shown, WARN, "element counts agree only when isotope labels are ignored")
    return Outcome(shown, FAIL, _element_diff(readings[0], computed))


# A record whose name says it is an ion: a charge at the end ("tetrafluoroberyllate(2-)"), the word ion
# ("hexafluorophosphate ion"), or one word ending in -ium that is not an element's name ("ferrocenium",
# "ammonium"; not "decacarbonyldirhenium"). A name listing a salt's components ("a;b;c(2+)") is not one ion.
_ION_NAME_RE = re.compile(r"\(\d*[+-]\)$|\b(?:ion|anion|cation)$", re.IGNORECASE)
_ELEMENT_NAMES = tuple(
    Chem.GetPeriodicTable().GetElementName(z).lower()
    for z in range(1, 119)
    if Chem.GetPeriodicTable().GetElementName(z)
)


def ion_name(name: str) -> bool:
    name = name.strip()
    if not name or ";" in name:
        return False
    if _ION_NAME_RE.search(name):
        return True
    word = name.lower()
    return " " not in word and word.endswith("ium") and not word.endswith(_ELEMENT_NAMES)


def _charge_is_artefact(facts: Facts) -> bool:
    """The structure's net charge belongs to the drawing, not to the substance: the stated formula is neutral,
    the name does not say ion, and the charge sits on separate ions or on a metal."""
    if ion_name(str(facts.fields.get("name", ""))):
        return False
    try:
        if any(r.charge for r in Formula.readings(str(facts.fields.get("formula", "")))):
            return False
    except FormulaError:
        pass
    if len(Chem.GetMolFrags(facts.mol)) > 1:
        return True
    # one species with a charged metal: a complex anion says so by its name ("hexachloroplatinate",
    # "pertechnetate"); a neutral compound drawn with a charged metal ("dimethyltitanocene", [Ti+4]) does not
    if re.search(r"ate\b", str(facts.fields.get("name", "")), re.IGNORECASE):
        return False
    return any(a.GetFormalCharge() and a.GetSymbol() in METALS for a in facts.mol.GetAtoms())


def _key_of_an_isomer(key: str, facts: Facts) -> bool:
    """The key is the standard InChIKey of the structure's mirror image or of one of its stereoisomers (at most
    64 enumerated): what a relative-stereo InChI (/s2) allows."""
    if inchi_and_key(mirror_image(facts.mol))[1] == key:
        return True
    with rdBase.BlockLogs():
        try:
            isomers = stereoisomers(facts.mol, limit=64)
        except (RuntimeError, ValueError):
            return False
    return any(inchi_and_key(m)[1] == key for m in isomers)


# A range of repeat units, "(CF2)1-7": the structure is one member of the series.
_RANGE_RE = re.compile(r"\)(\d+)\s*[-–]\s*(\d+)")


def _check_range_formula(stated: str, ranged: re.Match, computed: Formula) -> Outcome:
    shown = computed.hill()
    low, high = int(ranged.group(1)), int(ranged.group(2))
    # n = 1: the structure drawn with one repeat unit in a CXSMILES Sg:n bracket, as a polymer's is
    for n in [1, *range(max(low, 2), min(high, low + 200) + 1)]:
        text = stated[: ranged.start()] + f"){n}" + stated[ranged.end() :]
        try:
            readings = Formula.readings(text)
        except FormulaError:
            break
        if computed in readings:
            drawn = " (one repeat unit drawn)" if n == 1 and low > 1 else ""
            return Outcome(
                shown, WARN, f"a range of repeat units ({low}-{high}): agrees with the structure for n = {n}{drawn}"
            )
    return Outcome(shown, FAIL, f"a range of repeat units ({low}-{high}): no n in it gives the structure's formula")


# --- masses ---------------------------------------------------------------------------------------------
def check_molar_mass(stated: object, facts: Facts, ctx: Context) -> Outcome:
    try:
        q = parse_quantity(stated)
    except ParseError as exc:
        return Outcome("", FAIL, f"cannot read the stated molar mass: {exc}")
    f = facts.formula
    value, (low, high), legacy = f.molar_mass, f.mass_range, f.legacy_molar_mass
    computed = _fmt(value, q.decimals)
    tol = q.half_unit + FLOAT_SLACK + nuclide_molar_slack(f)
    diff = q.value - value
    note = "" if f.has_standard_weights else "; an element has no standard atomic weight (mass number used)"
    nuclides = nuclide_molar_slack(f)
    widened = f"±{q.half_unit:g} rounding" + (f" and ±{nuclides:g} for single-nuclide masses" if nuclides else "")
    if low - tol <= q.value <= high + tol:
        return Outcome(
            computed,
            PASS,
            f"inside the IUPAC 2021 range {low:.4f}-{high:.4f} widened by {widened}; difference {diff:+.4f} g/mol{note}",
        )
    if f.charge and not _charge_is_artefact(facts) and abs(q.value - (value - f.charge * ELECTRON_MASS)) <= tol:
        return Outcome(
            computed,
            PASS,
            f"equals the ion's molar mass with {abs(f.charge)} electron mass(es) "
            f"{'removed' if f.charge > 0 else 'added'}; difference {diff:+.4f} g/mol{note}",
        )
    if abs(q.value - legacy) <= tol:
        return Outcome(
            computed,
            WARN,
            f"matches only older atomic weights (RDKit table: {legacy:.4f}); outside the IUPAC 2021 range "
            f"{low:.4f}-{high:.4f}, difference {diff:+.4f} g/mol{note}",
        )
    return Outcome(
        computed,
        FAIL if f.has_standard_weights else WARN,
        f"difference {diff:+.4f} g/mol{_hint(diff, tol)}; outside the IUPAC 2021 range {low:.4f}-{high:.4f} "
        f"(±{q.half_unit:g} rounding){note}",
    )


def check_exact_mass(stated: object, facts: Facts, ctx: Context) -> Outcome:
    try:
        q = parse_quantity(stated)
    except ParseError as exc:
        return Outcome("", FAIL, f"cannot read the stated exact mass: {exc}")
    f = facts.formula
    mono = f.monoisotopic_mass
    tol = q.half_unit + FLOAT_SLACK + nuclide_slack(f)
    computed = _fmt(mono, max(q.decimals, 4))
    diff = q.value - mono
    if abs(diff) <= tol:
        return Outcome(
            computed,
            PASS,
            f"within the stated precision ±{q.half_unit:g} Da (and nuclide-table spread); difference {diff:+.6f} Da",
        )
    if f.charge and not _charge_is_artefact(facts):  # the mass-spectrometry convention is for ions
        # An ion's mass with its electrons removed (or added): the mass-spectrometry convention.
        ion = mono - f.charge * ELECTRON_MASS
        if abs(q.value - ion) <= tol:
            return Outcome(
                _fmt(ion, max(q.decimals, 4)),
                PASS,
                f"within ±{q.half_unit:g} Da of the ion mass with {abs(f.charge)} electron mass(es) "
                f"{'removed' if f.charge > 0 else 'added'}",
            )
    if not f.has_standard_weights:
        return Outcome(
            computed,
            WARN,
            f"difference {diff:+.6f} Da; an element has no stable isotope, so its 'monoisotopic' mass depends on "
            "which isotope the source chose",
        )
    return Outcome(
        computed, FAIL, f"difference {diff:+.6f} Da{_hint(diff, 0.01)}, more than the stated ±{q.half_unit:g}"
    )


# --- identifiers ----------------------------------------------------------------------------------------
def _entries(kind: str, value: str, ctx: Context) -> list[Entry]:
    """Who an identifier names: the offline tables, then (only when the run is online) PubChem."""
    entries = ctx.identifiers.lookup(kind, value)
    if not entries and ctx.online:
        entries = online_entries("cas" if kind == "cas" else "cid", value)
    return entries


INORGANIC = METALS | {"B", "Si", "Ge", "As", "Sb", "Te", "Se"}


def _heavy_formula(mol: Chem.Mol) -> str:
    """The formula without hydrogens and charges: the same for HP(=O)Me2 and its drawing without the P-H."""
    return re.sub(r"H\d*", "", uncharged_formula(mol))


def _element_set(mol: Chem.Mol) -> set[str]:
    return {a.GetSymbol() for a in mol.GetAtoms() if a.GetAtomicNum() > 1}


SAME_STRUCTURE = "the same structure; its InChIKey there was computed otherwise"


def _relation(entry: Entry, facts: Facts) -> str:
    """How the entry's structure relates to this one when their InChIKeys differ in constitution, or "" when it
    is another compound: the same structure (a key computed another way), the same elements of an inorganic or
    metal compound drawn otherwise, the same parent (ChEMBL Structure Pipeline: a salt, solvate or charged
    form), or the same formula (a tautomer, ring-chain or N-oxide/N-hydroxy form, or an isomer: told apart only
    where RDKit's canonical tautomers agree)."""
    if not entry.smiles:
        return ""
    try:
        other = mol_from_smiles(entry.smiles)
    except ParseError:  # hypervalent halogens, bridging H ("FCl(F)F", diborane): read without valence rules
        other = mol_from_smiles_lenient(entry.smiles)
        if other is None:
            return ""
    if Chem.MolToSmiles(other) == Chem.MolToSmiles(facts.mol):
        return SAME_STRUCTURE
    inorganic = any(a.GetSymbol() in INORGANIC for m in (facts.mol, other) for a in m.GetAtoms()) or not all(
        any(a.GetAtomicNum() == 6 for a in m.GetAtoms()) for m in (facts.mol, other)
    )
    ours_set, other_set = _element_set(facts.mol), _element_set(other)
    if inorganic and ours_set != other_set and (ours_set < other_set or other_set < ours_set):
        missing = ", ".join(sorted(ours_set ^ other_set))
        return f"the same elements but {missing}: its drawing there leaves out a part (ligands, counter-ions, metal)"
    if inorganic and ours_set == other_set:
        # PubChem draws metal and inorganic compounds as loose atoms and ions, often with H or counts of its own
        # (Rh2O3 as "[O].[Rh]", BiOCl as "O=[Bi].Cl", P4S10 as P2S5): only the elements are compared
        if uncharged_formula(facts.mol) == uncharged_formula(other):
            return "the same elements, drawn with other bonds or charges"
        return "the same elements in another drawing (inorganic drawings are not compared atom for atom)"
    ours_parent, other_parent = parent(facts.mol), parent(other)
    if ours_parent is not None and other_parent is not None:
        if inchi_and_key(ours_parent)[1][:14] == inchi_and_key(other_parent)[1][:14]:
            return "a salt, solvate or charged form of it"
    ours_parent, other_parent = ours_parent or facts.mol, other_parent or other
    if _heavy_formula(facts.mol) == _heavy_formula(other) and uncharged_formula(facts.mol) != uncharged_formula(other):
        return "the same heavy atoms with other hydrogens or charges (a tautomer, or H left out of a drawing)"
    if uncharged_formula(ours_parent) != uncharged_formula(other_parent) and uncharged_formula(
        facts.mol
    ) != uncharged_formula(other):
        return ""
    if facts.mol.GetNumHeavyAtoms() <= 60:
        from rdkit.Chem.MolStandardize import rdMolStandardize

        with rdBase.BlockLogs():
            canon = rdMolStandardize.TautomerEnumerator()
            canon.SetMaxTautomers(200)
            if Chem.MolToSmiles(canon.Canonicalize(ours_parent)) == Chem.MolToSmiles(canon.Canonicalize(other_parent)):
                return "a tautomer of it"
    return (
        f"the same formula ({uncharged_formula(other_parent)}): a tautomer or ring-chain form RDKit does not relate, or an "
        "isomer; compare the two structures"
    )


def _corroboration(kind: str, value: str, entry: Entry, facts: Facts, ctx: Context) -> str:
    """Why the bundled table's owner of a CAS number is to be believed against this structure, or "": the table
    gives this structure another CAS number, or the record's name is the owner's name there. Without either,
    the owner alone may be the table's error (PubChem-derived CAS links hold some: CAS 93-39-0, skimmin, is
    linked to a steroid), so the verdict is a warn."""
    table = idtables_table() if ctx.identifiers.bundled else None
    if table is None or kind != "cas":
        return ""
    key = facts.inchikey
    mine = [e for e in table.by_inchikey(key) if e.cas and e.cas != value]
    if not mine and key[15:25] != NO_STEREO_BLOCK:  # the table's entry of this compound may carry no stereo
        mine = [e for e in table.by_inchikey(f"{key[:14]}-{NO_STEREO_BLOCK}-{key[-1]}") if e.cas and e.cas != value]
    if mine:
        return f"the table gives this structure ({mine[0].name}) CAS {mine[0].cas}"
    name = str((facts.fields or {}).get("name") or "").strip()
    if name and any(e.inchikey == entry.inchikey for e, _ in table.by_name(name)):
        return f"the record's name {name!r} names {entry.name} there too"
    return ""


def _owned(kind: str, label: str, value: str, facts: Facts, ctx: Context) -> Outcome | None:
    entries = _entries(kind, value, ctx)
    if not entries:
        return None
    key = facts.inchikey
    for e in entries:
        if e.inchikey == key:
            return Outcome(key, PASS, f"{label} names this structure in the {e.source}")
    if any(g.GetProp("TYPE") in ("SRU", "COP", "MON", "MER") for g in Chem.GetMolSubstanceGroups(facts.mol)):
        return Outcome("", UNVERIFIED, f"a polymer: {label} names the polymer, not the repeat unit drawn")
    same = [e for e in entries if e.inchikey[:14] == key[:14]]
    for e in same:
        if e.inchikey[15:25] == NO_STEREO_BLOCK:  # the table does not record stereo: the constitution agrees
            return Outcome(e.inchikey, PASS, f"{label} names this compound in the {e.source} (no stereo given there)")
    if same:
        e = same[0]
        return Outcome(e.inchikey, WARN, f"{label} names another stereoisomer or form ({e.name}) in the {e.source}")
    for e in entries:
        relation = _relation(e, facts)
        if relation == SAME_STRUCTURE:
            return Outcome(e.inchikey, PASS, f"{label} names this structure in the {e.source} ({relation})")
        if relation:
            return Outcome(e.inchikey, WARN, f"{label} names {e.name} in the {e.source}, {relation}")
    e = entries[0]
    others = f" (and {len(entries) - 1} other entries)" if len(entries) > 1 else ""
    told = f"{label} names {e.name} ({e.inchikey}) in the {e.source}{others}, not this structure"
    if e.source.startswith(TABLE_LABEL):
        why = _corroboration(kind, value, e, facts, ctx)
        if not why:
            return Outcome(e.inchikey, WARN, f"{told}; nothing else in the record or the table confirms it (the "
                           "table may be wrong here): compare the two")  # fmt: skip
        told += f"; {why}"
    return Outcome(e.inchikey, FAIL, told)


def check_cas(stated: object, facts: Facts | None, ctx: Context) -> Outcome:
    if re.fullmatch(r"NOCAS_?\w*", str(stated).strip(), re.I):
        return Outcome("", SKIP, "a placeholder (EPA NOCAS_...): the source has no CAS number for this substance")
    result = ids.validate_cas(stated)
    if not result.ok:
        return Outcome(result.normalized, FAIL, result.message)
    if facts is not None:
        owned = _owned("cas", f"CAS {result.normalized}", result.normalized, facts, ctx)
        if owned is not None:
            return Outcome(owned.computed, owned.status, f"format and check digit valid; {owned.message}")
    return Outcome(
        result.normalized,
        UNVERIFIED,
        "format and check digit valid; in no offline identifier table"
        + (" nor in PubChem" if ctx.online else " (--online asks PubChem)")
        + ", so not matched to the structure",
    )


def check_pubchem_cid(stated: object, facts: Facts | None, ctx: Context) -> Outcome:
    result = ids.validate_pubchem_cid(stated)
    if not result.ok:
        return Outcome("", FAIL, result.message)
    if facts is not None:
        owned = _owned("pubchem_cid", f"CID {result.normalized}", result.normalized, facts, ctx)
        if owned is not None:
            return owned
    return Outcome(
        result.normalized,
        UNVERIFIED,
        "valid CID format; in no offline identifier table"
        + (", nor in PubChem" if ctx.online else " (--online asks PubChem)"),
    )


def _format_only(check: Callable[[object], ids.IdentifierCheck], what: str) -> CheckFunction:
    def function(stated: object, facts: Facts | None, ctx: Context) -> Outcome:
        result = check(stated)
        if not result.ok:
            return Outcome("", FAIL, result.message)
        return Outcome(result.normalized, UNVERIFIED, f"{result.message}; what it names needs {what} (online)")

    return function


# --- InChI and InChIKey ---------------------------------------------------------------------------------
_DIFFERENCE_MESSAGES = {
    "structure": "a different structure (connectivity, formula or hydrogens differ)",
    "stereo": "the same constitution; differs only in the stereo layer",
    "protonation": "the same skeleton; differs only in the protonation/charge layer (/p, /q)",
    "isotope": "the same structure; differs only in the isotope layer",
}


def _difference_message(kind: str) -> str:
    return "; ".join(_DIFFERENCE_MESSAGES.get(k, k) for k in kind.split("+"))


def _atoms(atoms: list[str]) -> str:
    """InChI atom labels for a message: "13", "2-1", or "2:14" for a second component."""
    return ",".join(a[2:] if a.startswith("1:") else a for a in atoms[:6])


def _stereo_detail(stated: str, computed: str, what: str, relative: bool = False) -> str:
    relation, atoms = stereo_relation(stated, computed, relative)
    listed = _atoms(atoms)
    return {
        "conflict": f" (opposite configuration at InChI atom {listed})" if atoms else " (the other enantiomer)",
        "first-less": f" (the {what} leaves undefined InChI atom(s) {listed} that the structure defines)",
        "second-less": f" (the structure leaves undefined InChI atom(s) {listed} that the {what} defines)",
        "both-partial": f" (each side leaves undefined some of InChI atoms {listed})",
    }.get(relation, "")


def check_inchi(stated: object, facts: Facts, ctx: Context) -> Outcome:
    text = str(stated).strip()
    if facts.kind == "inchi":
        return Outcome(
            facts.inchi, SKIP, "the structure was read from this InChI; the other fields are checked against it"
        )
    if not facts.inchi:
        return Outcome("", SKIP, facts.no_inchi_reason)
    if not text.startswith("InChI=1"):
        return Outcome(facts.inchi, FAIL, f"{one_line(text, 40)!r} is not an InChI")
    note, relative = "", False
    if not text.startswith("InChI=1S/"):
        # Non-standard InChI (older software, options such as FixedH, relative stereo /s2, racemic /s3):
        # the main layers are comparable as written; /s2 and /s3 make the /m flag meaningless.
        relative = inchi_layers(text).get("s") in ("2", "3")
        note = " (non-standard InChI" + (", relative stereo" if relative else "") + ")"
        if inchi_difference(text, facts.inchi, relative) == "structure":
            try:
                text = standard_inchi(mol_from_inchi(text))
            except ParseError:
                return Outcome(facts.inchi, FAIL, "cannot read the stated (non-standard) InChI")
            note = " (non-standard InChI compared through its standard form)"
    kind = inchi_difference(text, facts.inchi, relative)
    if not kind:
        return Outcome(facts.inchi, PASS, f"equal to the structure's standard InChI{note}")
    if kind == "stereo" and _ring_geometry_only(text, facts):
        return Outcome(facts.inchi, WARN, _RING_GEOMETRY + note)
    if facts.variable and kind == "structure":
        return Outcome(facts.inchi, WARN, _VARIABLE)
    if _same_after_regeneration(str(stated), facts.inchi):
        return Outcome(facts.inchi, WARN, _REGENERATED)
    if kind == "protonation" and protons_moved(text, facts.inchi):
        return Outcome(facts.inchi, WARN, _MOVED)
    detail = _stereo_detail(text, facts.inchi, "InChI", relative) if "stereo" in kind else ""
    return Outcome(facts.inchi, FAIL, _difference_message(kind) + detail + note)


_RING_GEOMETRY = (
    "the same structure but for double-bond geometry in a ring of 8 or more atoms or a ring with a metal (a "
    "macrocycle, porphyrin, annulene, azocine, chelate), which RDKit does not keep from a SMILES"
)
_VARIABLE = (
    "the structure has position-variation groups (CXSMILES m:), placed here on one of their atoms: its InChI "
    "is that of one of the isomers meant, so a different one says nothing"
)


def _metal_ring(mol: Chem.Mol, ring: tuple[int, ...]) -> bool:
    """A ring (bond indices) with a metal in it: a chelate."""
    bonds = [mol.GetBondWithIdx(i) for i in ring]
    return any(a.GetSymbol() in METALS for b in bonds for a in (b.GetBeginAtom(), b.GetEndAtom()))


def _large_or_metal_ring_bonds(mol: Chem.Mol, metal_only: bool = False) -> list[Chem.Bond]:
    """The bonds of rings of 8 or more atoms or with a metal (with `metal_only`, of rings with a metal)."""
    out = []
    for ring in mol.GetRingInfo().BondRings():
        if (not metal_only and len(ring) >= 8) or _metal_ring(mol, ring):
            out += [mol.GetBondWithIdx(i) for i in ring]
    return out


def _geometry_unkept(mol: Chem.Mol) -> list[Chem.Bond]:
    """Double bonds without a geometry in a ring of 8 or more atoms or a ring with a metal (aromatic ones too:
    RDKit reads [14]- and [18]annulene and porphyrin macrocycles as aromatic)."""
    return [
        b
        for b in _large_or_metal_ring_bonds(mol)
        if b.GetBondType() in (Chem.BondType.DOUBLE, Chem.BondType.AROMATIC)
        and b.GetStereo() == Chem.BondStereo.STEREONONE
    ]


def _ring_geometry_only(stated_inchi: str, facts: Facts) -> bool:
    """The two InChIs differ only in the geometry of ring double bonds that RDKit cannot keep, and ours leaves
    those undefined: a bond in a ring with a metal, or a bond in a ring of 8 or more atoms whose geometry the
    SMILES writes (3-benzazocine's four Z bonds come out of its InChI as `?`; porphyrin and [18]annulene bonds
    RDKit reads as aromatic lose theirs). A ring C=C the SMILES leaves unmarked (germacrene A, an annulene written
    without / or \\) is not excused: the source's InChI then states a geometry its structure does not."""
    relation, atoms = stereo_relation(stated_inchi, facts.inchi)
    if relation not in ("second-less", "both-partial") or not atoms or not all("-" in a for a in atoms):
        return False
    # any bond of such a ring: InChI places alternating double bonds of a conjugated ring its own way
    ring = {frozenset((b.GetBeginAtomIdx(), b.GetEndAtomIdx())): b for b in _large_or_metal_ring_bonds(facts.mol)}
    chelate = {b.GetIdx() for b in _large_or_metal_ring_bonds(facts.mol, metal_only=True)}
    written = _written_geometry(facts)
    where = atom_map(facts.mol)
    drawn = None  # whether a 2D drawing of the structure gives the stated InChI (asked only when needed)
    for atom in atoms:
        component, pair = atom.split(":", 1)
        first, second = pair.split("-")
        u, v = where.get(f"{component}:{first}"), where.get(f"{component}:{second}")
        bond = ring.get(frozenset((u, v)))
        if bond is None:
            return False
        if bond.GetIdx() in chelate or (u in written and v in written):
            continue
        if u in written or v in written:  # written on one side (a porphyrin's meso bridges)
            if drawn is None:
                drawn = _drawn_inchi(facts.mol) == stated_inchi
            if drawn:
                continue
        return False
    return True


def _drawn_inchi(mol: Chem.Mol) -> str:
    """The standard InChI of a 2D drawing of the molecule: the InChI library then reads ring geometry from the
    coordinates, which RDKit's SMILES route leaves undefined."""
    from rdkit.Chem import rdDepictor

    drawing = Chem.Mol(mol)
    with rdBase.BlockLogs():
        try:
            rdDepictor.Compute2DCoords(drawing)
            return Chem.MolToInchi(drawing, logLevel=None, treatWarningAsError=False) or ""
        except (ValueError, RuntimeError):
            return ""


def _written_geometry(facts: Facts) -> set[int]:
    """Atoms next to a bond the SMILES gives a direction (`/` or `\\`): where it writes a double bond's geometry."""
    smiles = str(facts.fields.get("smiles", "")).strip()
    if facts.kind != "smiles" or facts.variable or not smiles:
        return set()
    params = Chem.SmilesParserParams()
    params.sanitize = False
    with rdBase.BlockLogs():
        raw = Chem.MolFromSmiles(smiles, params)
    if raw is None or raw.GetNumAtoms() != facts.mol.GetNumAtoms():
        return set()
    directed = (Chem.BondDir.ENDUPRIGHT, Chem.BondDir.ENDDOWNRIGHT)
    out: set[int] = set()
    for bond in raw.GetBonds():
        if bond.GetBondDir() in directed:
            out.update((bond.GetBeginAtomIdx(), bond.GetEndAtomIdx()))
    return out


_REGENERATED = (
    "the same structure: read and written again by this InChI version it equals ours "
    "(the source's InChI software normalised charges/protons differently)"
)


_MOVED = (
    "the same composition (atoms, total hydrogens and charge); only which component carries a proton differs "
    "(e.g. a salt written as acid + base)"
)


def _same_after_regeneration(stated_inchi: str, ours: str) -> bool:
    """True when the stated InChI, read and written again by our InChI library, equals our InChI."""
    try:
        return bool(stated_inchi) and standard_inchi(mol_from_inchi(stated_inchi)) == ours
    except ParseError:
        return False


def check_inchikey(stated: object, facts: Facts, ctx: Context) -> Outcome:
    result = ids.validate_inchikey_format(stated)
    if not result.ok:
        return Outcome(facts.inchikey, FAIL, result.message)
    key, ours = result.normalized, facts.inchikey
    if not ours:
        return Outcome("", SKIP, facts.no_inchi_reason)
    if key == ours:
        return Outcome(ours, PASS, "equal to the structure's standard InChIKey")
    stated_inchi = str(facts.fields.get("inchi", "")).strip()
    if (
        stated_inchi.startswith("InChI=1S/")
        and Chem.InchiToInchiKey(stated_inchi) == key
        and _same_after_regeneration(stated_inchi, facts.inchi)
    ):
        return Outcome(ours, WARN, "the key of the record's InChI; " + _REGENERATED)
    if (
        stated_inchi.startswith("InChI=1S/")
        and Chem.InchiToInchiKey(stated_inchi) == key
        and inchi_difference(stated_inchi, facts.inchi) == "protonation"
        and protons_moved(stated_inchi, facts.inchi)
    ):
        return Outcome(ours, WARN, "the key of the record's InChI; " + _MOVED)
    if key[:14] != ours[:14]:
        if facts.variable:
            return Outcome(ours, WARN, _VARIABLE)
        return Outcome(ours, FAIL, "a different structure (the connectivity block differs)")
    standard = key[23] == "S"
    if key[15:23] != ours[15:23]:
        own = stated_inchi if stated_inchi.startswith("InChI=1") else ""
        if (
            own
            and inchi_layers(own).get("s") in ("2", "3")
            and inchi_layers(own).get("t")
            and _key_of_an_isomer(key, facts)
        ):
            return Outcome(
                ours,
                WARN,
                "the record's own InChI states relative or racemic stereo (/s2, /s3); its standard InChIKey, which "
                "has no such flag, encodes one enantiomer",
            )
        if own and Chem.InchiToInchiKey(own) == key and _ring_geometry_only(own, facts):
            return Outcome(ours, WARN, "the key of the record's InChI; " + _RING_GEOMETRY)
        if not own and _geometry_unkept(facts.mol):
            return Outcome(
                ours, WARN, "the same constitution; " + _RING_GEOMETRY + ", so the stereo block cannot be compared"
            )
        if not standard:
            return Outcome(
                ours, WARN, "non-standard InChIKey (flag N): connectivity agrees; its options cannot be reproduced here"
            )
        return Outcome(ours, FAIL, "the same constitution; differs only in the stereo/isotope block (second block)")
    if key[25:] == ours[25:]:
        return Outcome(ours, PASS, "non-standard InChIKey (flag N) whose blocks equal the standard key's")
    return Outcome(ours, FAIL, f"the same skeleton; differs only in the protonation flag ({key[-1]} vs {ours[-1]})")


# --- IUPAC name -----------------------------------------------------------------------------------------
def check_iupac_name(stated: object, facts: Facts, ctx: Context) -> Outcome:
    if len(str(stated)) > MAX_NAME_LENGTH:
        return Outcome(
            "", SKIP, f"a name of {len(str(stated)):,} characters is longer than OPSIN is given ({MAX_NAME_LENGTH:,})"
        )
    if ctx.unavailable.get("iupac_name"):
        return Outcome("", SKIP, f"cannot parse names here: {ctx.unavailable['iupac_name']}")
    reading = ctx.found.get("iupac_name", {}).get(stated_key(stated))
    if reading is None:
        return Outcome("", SKIP, "the name was not parsed in this run")
    if reading.error:
        return Outcome("", SKIP, f"OPSIN cannot read the name: {reading.error}")
    if not facts.inchi:
        return Outcome(reading.inchi, SKIP, facts.no_inchi_reason)
    # Spellings, conventions (rel-, rac-, CAS locants, X2 elements) and undecidable stereo: chemprops.names.
    verdict = names.judge(reading, facts.inchi)
    return Outcome(verdict.inchi, verdict.status, verdict.message)


# --- stereo ---------------------------------------------------------------------------------------------
_RACEMIC_RE = re.compile(
    r"racem|\brac\b|\(\s*r\s*s\s*\)|\(\s*s\s*r\s*\)|\brs\b|±|\+/-|\(\+-\)|1:1 mixture|\bdl\b", re.I
)


def read_stereo_claim(text: str) -> tuple[str, list[str]]:
    """("racemic" | "achiral" | "labels" | "unknown", CIP labels) from a stereo statement."""
    t = str(text).strip()
    if _RACEMIC_RE.search(t):
        return "racemic", []
    if re.search(r"achiral|\bmeso\b|no stereo|not chiral", t, re.I):
        return "achiral", []
    labels = re.findall(r"(?<![A-Za-z])([RS])(?![a-z])", t)
    if labels:
        return "labels", labels
    return "unknown", []


def check_stereo(stated: object, facts: Facts, ctx: Context) -> Outcome:
    centres = facts.centres
    shown = " ".join(str(c) for c in centres) or "no stereocentres"
    kind, labels = read_stereo_claim(str(stated))
    defined = [c for c in centres if c.status == "defined"]
    if kind == "unknown":
        return Outcome(shown, SKIP, f"cannot read a stereo claim (racemate, R, S, achiral) in {one_line(stated, 40)!r}")
    if kind == "racemic":
        if not centres:
            return Outcome(shown, FAIL, "a racemate needs a stereocentre; the structure has none")
        if defined:
            which = ", ".join(str(c) for c in defined)
            return Outcome(
                shown, FAIL, f"a racemate needs its stereocentres undefined or racemic; the structure defines {which}"
            )
        return Outcome(shown, PASS, f"{len(centres)} stereocentre(s), none defined: consistent with a racemate")
    if kind == "achiral":
        if not centres:
            return Outcome(shown, PASS, "no stereocentres")
        if len(defined) == len(centres) and is_own_mirror(facts.mol):
            return Outcome(shown, PASS, "meso: stereocentres, but the structure is its own mirror image")
        return Outcome(shown, FAIL, f"the structure has {len(centres)} stereocentre(s) and is not its own mirror image")
    if len(defined) != len(centres) or len(labels) != len(centres):
        return Outcome(
            shown,
            FAIL,
            f"states {len(labels)} CIP label(s); the structure has {len(centres)} stereocentre(s), {len(defined)} defined",
        )
    ours = sorted(c.label or "?" for c in defined)
    if ours == sorted(labels):
        note = " (compared as a set: locants are not mapped to atoms)" if len(labels) > 1 else ""
        return Outcome(shown, PASS, f"CIP labels agree{note}")
    return Outcome(shown, FAIL, f"CIP labels differ: stated {','.join(labels)}, structure {','.join(ours)}")


# --- the registry ---------------------------------------------------------------------------------------
CHECKS: list[Check] = [
    Check("formula", check_formula, True, "element counts and charge equal the structure's"),
    Check("molar_mass", check_molar_mass, True, "inside the IUPAC 2021 interval range, widened by stated rounding"),
    Check("exact_mass", check_exact_mass, True, "monoisotopic mass within the stated precision"),
    Check("cas", check_cas, False, "format and check digit; owner in an offline table"),
    Check("pubchem_cid", check_pubchem_cid, False, "format; owner in an offline table"),
    Check("inchi", check_inchi, True, "equal to the structure's standard InChI"),
    Check("inchikey", check_inchikey, True, "equal to the structure's standard InChIKey"),
    Check(
        "iupac_name",
        check_iupac_name,
        True,
        "OPSIN's structure of the name has the same standard InChI",
        start=lambda names: _start_opsin(names),
        read=lambda item: item.read(),  # a chemprops.names.NameItem: (stated name, reading)
        carries=("inchi", "no_inchi_reason"),
    ),  # fmt: skip
    Check("stereo", check_stereo, True, "racemate, R/S or achiral claim agrees with the stereocentres"),
    Check("atc", _format_only(ids.validate_atc, "the WHO ATC index"), False, "WHO ATC code format"),
    Check("drugbank", _format_only(ids.validate_drugbank, "DrugBank"), False, "DrugBank accession format"),
    Check("chemspider", _format_only(ids.validate_chemspider, "ChemSpider"), False, "ChemSpider ID format"),
    Check("unii", _format_only(ids.validate_unii, "the FDA substance registry"), False, "FDA UNII format"),
]


def registry() -> dict[str, Check]:
    """Every check by name, in report order (the order of the stated fields)."""
    out: dict[str, Check] = {}
    for check in CHECKS:
        if check.name in out:
            raise ValueError(f"check {check.name!r} is registered twice")
        out[check.name] = check
    return out


def register(check: Check) -> Check:
    """Add a check (and so a stated field); a name already taken is an error."""
    if any(c.name == check.name for c in CHECKS):
        raise ValueError(f"check {check.name!r} is already registered")
    CHECKS.append(check)
    return check


# Longer than any real systematic name (the longest in the EPA list has about 1,400 characters): OPSIN stalls for
# minutes on a 50 kB name, so such a name is skipped with the reason.
MAX_NAME_LENGTH = 5000


def _start_opsin(stated: list[str]):
    """OPSIN on every distinct name of the batch (and the other spellings of those that need one, see
    chemprops.names), in one JVM, in the background (DependencyError without Java or py2opsin)."""
    reason = opsin.unavailable_reason()
    if reason:
        raise DependencyError(reason)
    return names.start([n for n in stated if len(n) <= MAX_NAME_LENGTH])


def name_reading(parsed):
    """Standard InChI of OPSIN's structure for one name (a `chemprops.names.Reading`, with `inchi` and
    `error` as a NameReading); racemic names ("(RS)-", "rac-") lose their stereo."""
    return names.reading(parsed)
