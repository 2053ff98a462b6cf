"""Atomic weights: IUPAC/CIAAW 2021 standard atomic weights, and isotope masses.

Source: T. Prohaska et al., "Standard atomic weights of the elements 2021 (IUPAC Technical Report)",
Pure Appl. Chem. 94 (2022) 573-600, doi:10.1515/pac-2019-0603, Table 1 (standard atomic weights,
as intervals [a, b] or value(uncertainty)) and Table 3 (conventional values for interval elements).

`molar_mass` uses the conventional value for interval elements (H 1.008, C 12.011, Cl 35.45, ...) and the
standard value elsewhere; these give the monograph's 213.661 g/mol for baclofen. Elements without a
standard atomic weight (no stable isotope) use the mass number of their longest-lived isotope, as PubChem
and the IUPAC periodic table do, and are flagged so that verification can say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdkit import Chem


@dataclass(frozen=True)
class AtomicWeight:
    symbol: str
    value: float  # conventional (interval elements) or standard atomic weight
    low: float  # lowest weight the standard allows (interval start, or value - uncertainty)
    high: float  # highest weight the standard allows
    standard: bool  # False: no standard atomic weight; value is a mass number


# symbol: interval "[a,b]" with conventional value, or "value uncertainty" (CIAAW 2021, Table 1 and 3).
_TABLE_2021 = """
H [1.00784,1.00811] 1.008
He 4.002602 0.000002
Li [6.938,6.997] 6.94
Be 9.0121831 0.0000005
B [10.806,10.821] 10.81
C [12.0096,12.0116] 12.011
N [14.00643,14.00728] 14.007
O [15.99903,15.99977] 15.999
F 18.998403162 0.000000005
Ne 20.1797 0.0006
Na 22.98976928 0.00000002
Mg [24.304,24.307] 24.305
Al 26.9815384 0.0000003
Si [28.084,28.086] 28.085
P 30.973761998 0.000000005
S [32.059,32.076] 32.06
Cl [35.446,35.457] 35.45
Ar [39.792,39.963] 39.95
K 39.0983 0.0001
Ca 40.078 0.004
Sc 44.955907 0.000004
Ti 47.867 0.001
V 50.9415 0.0001
Cr 51.9961 0.0006
Mn 54.938043 0.000002
Fe 55.845 0.002
Co 58.933194 0.000003
Ni 58.6934 0.0004
Cu 63.546 0.003
Zn 65.38 0.02
Ga 69.723 0.001
Ge 72.630 0.008
As 74.921595 0.000006
Se 78.971 0.008
Br [79.901,79.907] 79.904
Kr 83.798 0.002
Rb 85.4678 0.0003
Sr 87.62 0.01
Y 88.905838 0.000002
Zr 91.224 0.002
Nb 92.90637 0.00001
Mo 95.95 0.01
Ru 101.07 0.02
Rh 102.90549 0.00002
Pd 106.42 0.01
Ag 107.8682 0.0002
Cd 112.414 0.004
In 114.818 0.001
Sn 118.710 0.007
Sb 121.760 0.001
Te 127.60 0.03
I 126.90447 0.00003
Xe 131.293 0.006
Cs 132.90545196 0.00000006
Ba 137.327 0.007
La 138.90547 0.00007
Ce 140.116 0.001
Pr 140.90766 0.00001
Nd 144.242 0.003
Sm 150.36 0.02
Eu 151.964 0.001
Gd 157.25 0.03
Tb 158.925354 0.000007
Dy 162.500 0.001
Ho 164.930329 0.000005
Er 167.259 0.003
Tm 168.934219 0.000005
Yb 173.045 0.010
Lu 174.9668 0.0001
Hf 178.486 0.006
Ta 180.94788 0.00002
W 183.84 0.01
Re 186.207 0.001
Os 190.23 0.03
Ir 192.217 0.002
Pt 195.084 0.009
Au 196.966570 0.000004
Hg 200.592 0.003
Tl [204.382,204.385] 204.38
Pb [206.14,207.94] 207.2
Bi 208.98040 0.00001
Th 232.0377 0.0004
Pa 231.03588 0.00001
U 238.02891 0.00003
"""

# Elements with no standard atomic weight: mass number of the longest-lived isotope (IUPAC periodic table).
_MASS_NUMBERS = """
Tc 98 Pm 145 Po 209 At 210 Rn 222 Fr 223 Ra 226 Ac 227 Np 237 Pu 244 Am 243 Cm 247 Bk 247 Cf 251
Es 252 Fm 257 Md 258 No 259 Lr 262 Rf 267 Db 268 Sg 269 Bh 270 Hs 269 Mt 278 Ds 281 Rg 282 Cn 285
Nh 286 Fl 289 Mc 290 Lv 293 Ts 294 Og 294
"""

# Hydrogen isotope symbols that formulas may use.
HYDROGEN_ISOTOPES = {"D": 2, "T": 3}


def _parse_table() -> dict[str, AtomicWeight]:
    table: dict[str, AtomicWeight] = {}
    for line in _TABLE_2021.strip().splitlines():
        symbol, first, second = line.split()
        if first.startswith("["):
            low, high = (float(x) for x in first.strip("[]").split(","))
            table[symbol] = AtomicWeight(symbol, float(second), low, high, True)
        else:
            value, unc = float(first), float(second)
            table[symbol] = AtomicWeight(symbol, value, value - unc, value + unc, True)
    tokens = _MASS_NUMBERS.split()
    for symbol, number in zip(tokens[::2], tokens[1::2]):
        table[symbol] = AtomicWeight(symbol, float(number), float(number), float(number), False)
    return table


IUPAC_2021: dict[str, AtomicWeight] = _parse_table()


def atomic_weight(symbol: str) -> AtomicWeight:
    """The 2021 standard atomic weight of an element; KeyError for an unknown symbol."""
    return IUPAC_2021[symbol]


@cache
def isotope_mass(symbol: str, mass_number: int) -> float:
    """Mass of one nuclide (RDKit's table, from the AME atomic mass evaluation); NaN if unknown."""
    mass = Chem.GetPeriodicTable().GetMassForIsotope(symbol, mass_number)
    return float(mass) if mass > 0 else float("nan")


@cache
def monoisotopic_mass(symbol: str) -> float:
    """Mass of the most abundant isotope, as PubChem uses for its monoisotopic mass."""
    return float(Chem.GetPeriodicTable().GetMostCommonIsotopeMass(symbol))


@cache
def legacy_weight(symbol: str) -> float:
    """RDKit's own (older) atomic weight, kept to recognise values computed with an outdated table."""
    return float(Chem.GetPeriodicTable().GetAtomicWeight(symbol))
