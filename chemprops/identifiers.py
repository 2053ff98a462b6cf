"""Identifier formats and check digits: CAS, PubChem CID, ATC, DrugBank, ChemSpider, UNII, InChIKey.

Offline checks only: these say whether an identifier is well formed, not what it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class IdentifierCheck:
    ok: bool
    message: str
    normalized: str = ""


def cas_check_digit(body: str) -> int:
    """Check digit of a CAS number from its digits before the check digit (CAS Registry rules:
    sum of each digit times its position counted from the right, modulo 10)."""
    digits = [int(c) for c in body if c.isdigit()]
    return sum(i * d for i, d in enumerate(reversed(digits), 1)) % 10


def validate_cas(text: object) -> IdentifierCheck:
    """Format NNNNNNN-NN-N (2 to 7 digits first) and the check digit.

    >>> validate_cas("1134-47-0").ok
    True
    """
    cas = str(text).strip()
    m = re.fullmatch(r"0*(\d{2,7})-(\d{2})-(\d)", cas)
    if not m:
        return IdentifierCheck(False, f"{cas!r} is not a CAS number (NNNNNNN-NN-N)")
    expected = cas_check_digit(m.group(1) + m.group(2))
    normalized = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    if int(m.group(3)) != expected:
        return IdentifierCheck(False, f"CAS check digit is {m.group(3)}, should be {expected}", normalized)
    return IdentifierCheck(True, "format and check digit valid", normalized)


def _positive_integer(text: object, what: str) -> IdentifierCheck:
    value = str(text).strip()
    if value.endswith(".0"):
        value = value[:-2]
    if re.fullmatch(r"[1-9]\d*", value):
        return IdentifierCheck(True, f"valid {what} format", value)
    return IdentifierCheck(False, f"{value!r} is not a {what} (a positive integer)")


def validate_pubchem_cid(text: object) -> IdentifierCheck:
    """A positive integer of at most 10 digits (PubChem's CIDs are below 2^31; 2024: about 1.2e8)."""
    result = _positive_integer(text, "PubChem CID")
    if result.ok and len(result.normalized) > 10:
        return IdentifierCheck(False, f"{result.normalized!r} is too long for a PubChem CID (at most 10 digits)")
    return result


def validate_chemspider(text: object) -> IdentifierCheck:
    return _positive_integer(text, "ChemSpider ID")


# WHO ATC: anatomical group letter, therapeutic 2 digits, pharmacological and chemical subgroup letters,
# substance 2 digits (e.g. M03BX01); shorter codes name a group.
_ATC_GROUPS = "ABCDGHJLMNPRSV"


def validate_atc(text: object) -> IdentifierCheck:
    code = str(text).strip().upper().replace(" ", "")
    if re.fullmatch(rf"[{_ATC_GROUPS}]\d\d[A-Z][A-Z]\d\d", code):
        return IdentifierCheck(True, "valid ATC substance code format", code)
    if re.fullmatch(rf"[{_ATC_GROUPS}](\d\d([A-Z]([A-Z])?)?)?", code):
        return IdentifierCheck(True, "valid ATC group code format (not a substance level code)", code)
    return IdentifierCheck(False, f"{code!r} is not an ATC code (e.g. M03BX01)")


def validate_drugbank(text: object) -> IdentifierCheck:
    """DB + 5 digits; the legacy accessions APRD, BTD, EXPT, NUTR + 5 digits (DrugBank before 2008) pass too."""
    acc = str(text).strip().upper()
    if re.fullmatch(r"DB\d{5}", acc):
        return IdentifierCheck(True, "valid DrugBank accession format", acc)
    if re.fullmatch(r"(APRD|BTD|EXPT|NUTR|BIOD)\d{5}", acc):
        return IdentifierCheck(True, "valid legacy DrugBank accession format (pre-2008, now DBxxxxx)", acc)
    return IdentifierCheck(False, f"{acc!r} is not a DrugBank accession (DB + 5 digits)")


def validate_unii(text: object) -> IdentifierCheck:
    """FDA UNII: 10 characters, digits and capital letters."""
    unii = str(text).strip().upper()
    if re.fullmatch(r"[0-9A-Z]{10}", unii):
        return IdentifierCheck(True, "valid UNII format", unii)
    return IdentifierCheck(False, f"{unii!r} is not a UNII (10 letters and digits)")


def validate_inchikey_format(text: object) -> IdentifierCheck:
    """14 letters, hyphen, 8 letters, flag letter, version letter, hyphen, protonation letter."""
    key = str(text).strip()
    if re.fullmatch(r"[A-Z]{14}-[A-Z]{8}[SN][A-Z]-[A-Z]", key):
        return IdentifierCheck(True, "valid InChIKey format", key)
    return IdentifierCheck(False, f"{key!r} is not an InChIKey")
