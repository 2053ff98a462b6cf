import math

import pytest

from chemprops.descriptors import CORE, registry, select, snake_case
from chemprops.errors import InputError
from chemprops.resolve import resolve as parse


def test_every_entry_runs_on_baclofen():
    mol = parse("baclofen").mol
    for d in registry().values():
        value = d.function(mol)
        assert value is not None and not (isinstance(value, float) and math.isnan(value)), d.name
        assert d.definition and d.name == snake_case(d.name)


def test_names_are_unique_snake_case():
    names = list(registry())
    assert len(names) == len(set(names))
    assert "num_h_donors" in names and "bcut2d_mwhi" in names


def test_core_set_values():
    mol = parse("baclofen").mol
    values = {d.name: d.function(mol) for d in CORE}
    # Wildman & Crippen logP of baclofen as RDKit implements it; PubChem's XLogP3 is -1 (another method)
    assert values["logp"] == pytest.approx(1.857, abs=1e-3)
    assert values["fraction_csp3"] == pytest.approx(0.3)  # 3 sp3 carbons of 10
    assert (values["rings"], values["aromatic_rings"], values["stereocentres"]) == (1, 1, 1)


def test_select_errors():
    with pytest.raises(InputError, match="unknown descriptor 'nope'"):
        select("tpsa,nope")
    assert select("none") == []
    assert len(select("all")) > 200
