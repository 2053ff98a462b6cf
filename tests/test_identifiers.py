import pytest

from chemprops.identifiers import (
    cas_check_digit,
    validate_atc,
    validate_cas,
    validate_drugbank,
    validate_inchikey_format,
    validate_pubchem_cid,
    validate_unii,
)


# CAS numbers from the CAS Registry / PubChem: baclofen 1134-47-0, water 7732-18-5, caffeine 58-08-2,
# formaldehyde 50-00-0, ethanol 64-17-5, pregabalin 148553-50-8, gabapentin 60142-96-3
@pytest.mark.parametrize(
    "cas", ["1134-47-0", "7732-18-5", "58-08-2", "50-00-0", "64-17-5", "148553-50-8", "60142-96-3"]
)
def test_valid_cas(cas):
    assert validate_cas(cas).ok


@pytest.mark.parametrize(
    "cas, message",
    [
        ("1134-47-1", "CAS check digit is 1, should be 0"),
        ("1134-74-0", "should be"),
        ("1134470", "not a CAS number"),
        ("12345678-12-3", "not a CAS number"),
    ],
)
def test_invalid_cas(cas, message):
    result = validate_cas(cas)
    assert not result.ok and message in result.message


def test_cas_check_digit_rule():
    # CAS's worked example: 7732-18-5 -> (8*1 + 1*2 + 2*3 + 3*4 + 7*5 + 7*6) % 10 = 105 % 10 = 5
    assert cas_check_digit("773218") == 5


def test_other_identifiers():
    assert validate_atc("M03BX01").ok and validate_atc("N03").ok and not validate_atc("M3BX01").ok
    assert validate_drugbank("DB00181").ok and validate_drugbank("APRD00551").ok and not validate_drugbank("DB181").ok
    assert validate_pubchem_cid("2284").ok and validate_pubchem_cid(2284.0).ok and not validate_pubchem_cid("-3").ok
    assert validate_unii("H789N3FKE8").ok and not validate_unii("H789").ok
    assert validate_inchikey_format("KPYSYYIEGFHWSV-UHFFFAOYSA-N").ok and not validate_inchikey_format("KPYSYY").ok
