"""Stated quantities: a mass as a source writes it ("213.661 g/mol", "213.0557 Da", "0.21366 kDa"), read with
its unit and its precision (the number of decimals stated)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from chemprops.errors import ParseError, one_line

_NUMBER_RE = re.compile(r"^[~≈]?\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)")
_UNITS = {"", "g/mol", "g mol-1", "gmol-1", "g·mol-1", "g/mole", "da", "u", "amu", "g", "kda", "daltons", "dalton"}


MAX_DECIMALS = 15  # more than a float holds


@dataclass(frozen=True)
class Quantity:
    """A stated number and its precision: `decimals` digits after the point (213.661 -> 3)."""

    value: float
    decimals: int
    text: str

    @property
    def half_unit(self) -> float:
        """Half of the last stated digit: how far rounding may have moved the true value."""
        return 0.5 * 10.0 ** (-self.decimals)


def parse_quantity(value: object) -> Quantity:
    """Read a mass as stated: 213.661, "213.661 g/mol", "213.66 g·mol⁻¹", "213.0557 Da".

    >>> parse_quantity("213.661 g/mol")
    Quantity(value=213.661, decimals=3, text='213.661 g/mol')
    """
    if isinstance(value, bool):
        raise ParseError(f"not a mass: {value!r}", repr(value))
    if isinstance(value, int):
        return Quantity(float(value), 0, str(value))
    if isinstance(value, float):
        if math.isnan(value):
            raise ParseError("no mass stated", "nan")
        text = repr(value)
    else:
        text = str(value)
    if len(text) > 100:
        raise ParseError(f"not a mass: {len(text):,} characters", one_line(text, 60))
    clean = text.strip().replace("−", "-").replace("⁻¹", "-1").replace("\u00a0", " ")
    m = _NUMBER_RE.match(clean)
    if not m:
        raise ParseError(f"not a mass: {one_line(text, 60)!r}", text)
    unit = clean[m.end() :].strip().lower().rstrip(".")
    if unit not in _UNITS:
        raise ParseError(f"unknown mass unit {unit!r} in {one_line(text, 60)!r}", text)
    number = m.group(1)
    mantissa = number.lower().split("e")[0]
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    exponent = int(number.lower().split("e")[1]) if "e" in number.lower() else 0
    decimals = max(decimals - exponent, 0)
    value_ = float(number)
    # A molar mass is between 1 and some 10^7 g/mol; "1e-999999999" would ask for a billion decimals.
    if not math.isfinite(value_) or decimals > MAX_DECIMALS or abs(exponent) > 30:
        raise ParseError(f"not a plausible mass: {one_line(text, 60)!r}", text)
    scale = 1000.0 if unit == "kda" else 1.0
    if scale != 1.0:
        decimals = max(decimals - 3, 0)
    return Quantity(float(number) * scale, decimals, text)
