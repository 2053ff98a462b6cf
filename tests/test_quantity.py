import pytest

from chemprops.errors import ParseError
from chemprops.quantity import parse_quantity


@pytest.mark.parametrize(
    "text, value, decimals",
    [
        ("213.661 g/mol", 213.661, 3),
        ("213.66", 213.66, 2),
        (213.661, 213.661, 3),
        (214, 214.0, 0),
        ("194.080376 Da", 194.080376, 6),
        ("213.660 g·mol⁻¹", 213.66, 3),
        ("0.213661 kDa", 213.661, 3),
    ],
)
def test_parse_quantity(text, value, decimals):
    q = parse_quantity(text)
    assert q.value == pytest.approx(value) and q.decimals == decimals


@pytest.mark.parametrize("text", ["heavy", "213.661 furlongs", float("nan")])
def test_parse_quantity_rejects(text):
    with pytest.raises(ParseError):
        parse_quantity(text)


@pytest.mark.parametrize("text", ["1e-999999999", "1e400", "9" * 200])
def test_implausible_masses_are_refused_not_formatted(text):
    # "1e-999999999" asked for a billion decimals (9 GB of report)
    with pytest.raises(ParseError):
        parse_quantity(text)
