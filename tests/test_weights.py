import pytest

from chemprops.weights import IUPAC_2021, atomic_weight, isotope_mass, monoisotopic_mass


# Conventional values, CIAAW 2021 (Prohaska et al., Pure Appl. Chem. 94 (2022) 573, Table 3) and standard values (Table 1).
@pytest.mark.parametrize(
    "symbol, value",
    [
        ("H", 1.008),
        ("C", 12.011),
        ("N", 14.007),
        ("O", 15.999),
        ("Cl", 35.45),
        ("S", 32.06),
        ("Br", 79.904),
        ("F", 18.998403162),
        ("Na", 22.98976928),
        ("P", 30.973761998),
        ("I", 126.90447),
        ("Pb", 207.2),
    ],
)
def test_conventional_values(symbol, value):
    assert atomic_weight(symbol).value == value


def test_intervals_bracket_the_value():
    for w in IUPAC_2021.values():
        assert w.low <= w.high, w
        # conventional value in its interval or within its abridged uncertainty (O 15.999, Tl 204.38 sit just outside)
        assert w.low - 0.01 <= w.value <= w.high + 0.01, w
    assert (atomic_weight("C").low, atomic_weight("C").high) == (12.0096, 12.0116)


def test_radioactive_elements_flagged():
    assert not atomic_weight("Tc").standard and atomic_weight("Tc").value == 98
    assert atomic_weight("U").standard


def test_isotope_masses_ame():
    # AME2020 (Wang et al., Chinese Phys. C 45 (2021) 030003): 2H 2.014101778, 13C 13.003354835, 35Cl 34.968852682
    assert isotope_mass("H", 2) == pytest.approx(2.014101778, abs=1e-8)
    assert isotope_mass("C", 13) == pytest.approx(13.003354835, abs=1e-8)
    assert monoisotopic_mass("Cl") == pytest.approx(34.968852682, abs=1e-8)
