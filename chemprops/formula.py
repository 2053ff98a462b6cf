"""Molecular formulas: element counts with isotopes and charge, Hill notation, masses.

Hill notation as PubChem writes it (Hill, J. Am. Chem. Soc. 22 (1900) 478): with carbon, C first, then H,
then the other elements alphabetically; without carbon, every element alphabetically, H included ("ClH",
"H2O4S"). Isotopes follow their element ("CDCl3", "C5[13C]H12"), the charge comes last ("C2H3O2-", "O4S-2").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from rdkit import Chem
from rdkit.Chem import rdMolDescriptors

from chemprops.errors import FormulaError
from chemprops.weights import HYDROGEN_ISOTOPES, IUPAC_2021, isotope_mass, legacy_weight, monoisotopic_mass

# An element key: (symbol, mass number), mass number 0 for the natural isotopic mix.
Key = tuple[str, int]

# Longer than any formula of a real substance (a 5,000-atom polymer's Hill formula is under 100 characters):
# refused, so that a field of 40,000 spaces cannot stall the regexes.
MAX_FORMULA_LENGTH = 2000

_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
_CHARGE_TAIL = re.compile(r"[+-]\d*$")
_ELEMENT_RE = re.compile(r"([A-Z][a-z]?)(\d*)")
_DOTS = "·•∙⋅*."
_CHARGE_RE = re.compile(r"\^?\(?(?:(\d*)([+-])|([+-])(\d*))\)?$")
_TOKEN_RE = re.compile(r"\[(\d+)([A-Z][a-z]?)\]|(\d+)([A-Z][a-z]?)(?=\d|[A-Z(\[]|$)|([A-Z][a-z]?)|(\()|(\))(\d*)|(\d+)")


def _symbol_for(key: Key) -> str:
    symbol, mass = key
    if symbol == "H" and mass in (2, 3):
        return "D" if mass == 2 else "T"
    return f"[{mass}{symbol}]" if mass else symbol


@dataclass(frozen=True)
class Formula:
    """Element counts (natural elements and isotopes apart) and net charge."""

    counts: dict[Key, int] = field(default_factory=dict)
    charge: int = 0

    # --- construction -------------------------------------------------------------------------------
    @classmethod
    def from_mol(cls, mol: Chem.Mol) -> Formula:
        """Counts of a structure, implicit hydrogens included."""
        # Fast path: RDKit's formula string when it holds plain elements only (no isotope, no dummy atom).
        fast = cls.from_rdkit_formula(rdMolDescriptors.CalcMolFormula(mol, True, False), Chem.GetFormalCharge(mol))
        if fast is not None:
            return fast
        atoms = [mol.GetAtomWithIdx(i) for i in range(mol.GetNumAtoms())]  # faster than mol.GetAtoms()
        counts: Counter[Key] = Counter((atom.GetSymbol(), atom.GetIsotope()) for atom in atoms)
        hydrogens = sum(atom.GetTotalNumHs() for atom in atoms)
        if hydrogens:
            counts[("H", 0)] += hydrogens
        counts.pop(("*", 0), None)
        return cls(dict(counts), sum(atom.GetFormalCharge() for atom in atoms))

    @classmethod
    def from_rdkit_formula(cls, written: str, charge: int) -> Formula | None:
        """The formula RDKit's CalcMolFormula(mol, separateIsotopes=True) wrote, when it holds natural elements
        only (None for isotopes or dummy atoms, which need the atoms themselves)."""
        if "[" in written or "*" in written:
            return None
        written = _CHARGE_TAIL.sub("", written)
        pairs = _ELEMENT_RE.findall(written)
        if sum(len(symbol) + len(n) for symbol, n in pairs) != len(written):
            return None
        return cls({(symbol, 0): int(n or 1) for symbol, n in pairs}, charge)

    @classmethod
    def readings(cls, text: str) -> list[Formula]:
        """Every plausible reading of a written formula, PubChem's first: "Cu2+" is Cu2 (1+) or Cu (2+);
        "SO42-" is O42S (1-), O4S (2-) or OS (42-)."""
        out = [cls.parse(text)]
        m = re.search(r"(?<=[A-Za-z)\]])(\d+)([+-])$", text.strip())
        if m:
            digits, sign = m.groups()
            head = text.strip()[: m.start()]
            for k in range(1, len(digits) + 1):  # the last k digits are the charge
                try:
                    other = cls.parse(f"{head}{digits[: len(digits) - k]} {digits[len(digits) - k :]}{sign}")
                except FormulaError:
                    continue
                if other not in out:
                    out.append(other)
        return out

    @classmethod
    def parse(cls, text: str, textbook_charge: bool = False) -> Formula:
        """Read a written formula: Hill or not, spaces, unicode sub/superscripts, groups, hydrates, charge.

        Digits right before a final sign are a count, as in PubChem's "C2H3O2-" and "O4S-2"; with
        textbook_charge they are the charge ("Fe3+", "SO42-"). A space or caret always marks a charge.

        >>> Formula.parse("C₁₀H₁₂ClNO₂").hill()
        'C10H12ClNO2'
        >>> Formula.parse("SO4 2-").hill()
        'O4S-2'
        """
        original = text
        if not isinstance(text, str) or not text.strip():
            raise FormulaError(f"empty formula: {original!r}", str(original))
        if len(text) > MAX_FORMULA_LENGTH:
            raise FormulaError(
                f"formula of {len(text):,} characters: too long to be one (at most {MAX_FORMULA_LENGTH:,})", ""
            )
        text = " ".join(text.split()).translate(_SUBSCRIPTS)  # runs of spaces made one: the regexes stay linear
        # Superscripts are always charge (or an isotope before an element: ¹³C).
        charge = 0
        sup = re.search(r"([⁰¹²³⁴⁵⁶⁷⁸⁹]*[⁺⁻]|[⁺⁻][⁰¹²³⁴⁵⁶⁷⁸⁹]*)$", text)
        if sup:
            charge = _charge_value(sup.group(1).translate(_SUPERSCRIPTS))
            text = text[: sup.start()]
        else:
            # A charge set apart by a space or caret ("SO4 2-", "NH4^+"), else a trailing sign ("C2H3O2-").
            m = re.search(r"(\s+|\^)(\(?\d*[+-]\d*\)?)$", text) or re.search(r"([+-]\d*|\d*[+-])$", text)
            if m:
                token = m.group(m.lastindex)
                if m.lastindex == 1 and re.fullmatch(r"\d+[+-]", token) and not textbook_charge:
                    token = token[-1]
                charge = _charge_value(token)
                text = text[: m.end() - len(token)] if m.lastindex == 1 else text[: m.start()]
        text = re.sub(
            r"([⁰¹²³⁴⁵⁶⁷⁸⁹]+)([A-Z][a-z]?)", lambda m: f"[{m.group(1).translate(_SUPERSCRIPTS)}{m.group(2)}]", text
        )
        text = re.sub(r"\s+", "", text)
        if not text:
            raise FormulaError(f"no elements in formula {original!r}", original)
        counts: Counter[Key] = Counter()
        for part in re.split(f"[{re.escape(_DOTS)}]", text):
            m = re.match(r"(\d+)(?=[A-Z(\[])", part)
            mult = 1
            if m:
                mult, part = int(m.group(1)), part[m.end() :]
            for key, n in _parse_group(part, original).items():
                counts[key] += n * mult
        return cls({k: v for k, v in counts.items() if v}, charge)

    # --- writing ------------------------------------------------------------------------------------
    def hill(self) -> str:
        """Hill formula as PubChem writes it, with isotopes and charge."""

        def order(key: Key) -> tuple:
            symbol, mass = key
            if has_carbon:
                rank = 0 if symbol == "C" else 1 if symbol == "H" else 2
            else:
                rank = 2
            return (rank, symbol, mass)

        has_carbon = any(s == "C" for s, _ in self.counts)
        out = []
        for key in sorted(self.counts, key=order):
            n = self.counts[key]
            out.append(_symbol_for(key) + (str(n) if n != 1 else ""))
        if self.charge:
            sign = "+" if self.charge > 0 else "-"
            out.append(sign + (str(abs(self.charge)) if abs(self.charge) != 1 else ""))
        return "".join(out)

    __str__ = hill

    # --- comparison ---------------------------------------------------------------------------------
    def elements(self, merge_isotopes: bool = False) -> dict[str, int]:
        """Counts by element symbol; with merge_isotopes, D and [13C] count as H and C."""
        out: Counter[str] = Counter()
        for (symbol, mass), n in self.counts.items():
            out[symbol if merge_isotopes or not mass else _symbol_for((symbol, mass))] += n
        return dict(out)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Formula) and self.counts == other.counts and self.charge == other.charge

    def __hash__(self) -> int:
        return hash((frozenset(self.counts.items()), self.charge))

    # --- masses -------------------------------------------------------------------------------------
    def _weight(self, key: Key, which: str) -> float:
        symbol, mass = key
        if mass:
            return isotope_mass(symbol, mass)
        if which == "legacy":
            return legacy_weight(symbol)
        if which == "mono":
            return monoisotopic_mass(symbol)
        weight = IUPAC_2021.get(symbol)
        if weight is None:
            return float("nan")
        if which == "value":
            return weight.value
        # The conventional value may sit just outside its interval (O: 15.999 vs [15.99903, 15.99977]),
        # so the range a stated mass may fall in covers both.
        return min(weight.low, weight.value) if which == "low" else max(weight.high, weight.value)

    def _sum(self, which: str) -> float:
        return math.fsum(n * self._weight(k, which) for k, n in self.counts.items())

    @property
    def molar_mass(self) -> float:
        """Molar mass in g/mol from the IUPAC 2021 standard atomic weights (conventional values)."""
        return self._sum("value")

    @property
    def mass_range(self) -> tuple[float, float]:
        """Lowest and highest molar mass the 2021 standard atomic-weight intervals allow."""
        return self._sum("low"), self._sum("high")

    @property
    def legacy_molar_mass(self) -> float:
        """Molar mass with RDKit's older atomic weights (what many databases still print)."""
        return self._sum("legacy")

    @property
    def monoisotopic_mass(self) -> float:
        """Monoisotopic mass (most abundant isotopes, no electron-mass correction, as PubChem)."""
        return self._sum("mono")

    @property
    def has_standard_weights(self) -> bool:
        """False when an element has no standard atomic weight (radioactive only)."""
        return all(mass or (s in IUPAC_2021 and IUPAC_2021[s].standard) for s, mass in self.counts)


def _charge_value(token: str) -> int:
    token = token.strip("()^")
    m = re.fullmatch(r"(\d*)([+-])|([+-])(\d*)", token)
    if not m:
        raise FormulaError(f"bad charge {token!r}", token)
    digits = m.group(1) if m.group(2) else m.group(4)
    sign = m.group(2) or m.group(3)
    n = int(digits) if digits else 1
    return n if sign == "+" else -n


def _parse_group(text: str, original: str) -> Counter[Key]:
    stack: list[Counter[Key]] = [Counter()]
    pos = 0
    pattern = re.compile(r"\[(\d+)([A-Z][a-z]?)\](\d*)|([A-Z][a-z]?)(\d*)|([(\[{])|([)\]}])(\d*)")
    while pos < len(text):
        m = pattern.match(text, pos)
        if not m:
            raise FormulaError(f"cannot read formula {original!r} at {text[pos:]!r}", original)
        if m.group(1):
            key: Key = (m.group(2), int(m.group(1)))
            _check_symbol(m.group(2), original)
            stack[-1][key] += int(m.group(3) or 1)
        elif m.group(4):
            symbol = m.group(4)
            if symbol in HYDROGEN_ISOTOPES:
                key = ("H", HYDROGEN_ISOTOPES[symbol])
            else:
                _check_symbol(symbol, original)
                key = (symbol, 0)
            stack[-1][key] += int(m.group(5) or 1)
        elif m.group(6):
            stack.append(Counter())
        else:
            if len(stack) == 1:
                raise FormulaError(f"unbalanced parenthesis in formula {original!r}", original)
            inner = stack.pop()
            mult = int(m.group(8) or 1)
            for k, n in inner.items():
                stack[-1][k] += n * mult
        pos = m.end()
    if len(stack) != 1:
        raise FormulaError(f"unbalanced parenthesis in formula {original!r}", original)
    return stack[0]


def _check_symbol(symbol: str, original: str) -> None:
    if symbol not in IUPAC_2021:
        raise FormulaError(f"unknown element {symbol!r} in formula {original!r}", original)


def uncharged_formula(mol: Chem.Mol) -> str:
    """RDKit's molecular formula without the net charge: the same for ZnO drawn [Zn]=O and [Zn+2].[O-2]."""
    return re.sub(r"[+-]\d*$", "", rdMolDescriptors.CalcMolFormula(mol))
