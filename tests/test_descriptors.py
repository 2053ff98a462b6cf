import math

import pytest

from chemprops.descriptors import CORE, registry, select, snake_case
from chemprops.errors import InputError
from chemprops.resolve import resolve as parse


def test_every_entry_runs_on_baclofen():
    mol = parse("baclofen").mol
    for d in registry().values():
        value = d.compute(mol)
        assert value is not None and not (isinstance(value, float) and math.isnan(value)), d.name
        assert d.definition and d.name == snake_case(d.name)


def test_names_are_unique_snake_case():
    names = list(registry())
    assert len(names) == len(set(names))
    assert "num_h_donors" in names and "bcut2d_mwhi" in names


def test_core_set_values():
    mol = parse("baclofen").mol
    values = {d.name: d.compute(mol) for d in CORE}
    # Wildman & Crippen logP of baclofen as RDKit implements it; PubChem's XLogP3 is -1 (another method)
    assert values["logp"] == pytest.approx(1.857, abs=1e-3)
    assert values["fraction_csp3"] == pytest.approx(0.3)  # 3 sp3 carbons of 10
    assert (values["rings"], values["aromatic_rings"], values["stereocentres"]) == (1, 1, 1)


def test_select_errors():
    with pytest.raises(InputError, match="unknown descriptor 'nope'"):
        select("tpsa,nope")
    assert select("none") == []
    assert len(select("all")) > 200


@pytest.mark.slow
def test_every_value_of_all_equals_rdkits_own_function():
    # The plan shares intermediates (E-state indices, the characteristic polynomial, Crippen contributions,
    # VSA bins, fragment and alert catalogs) but must give RDKit's numbers: every column of `-d all`, through
    # the batch path, against Descriptors.CalcMolDescriptors on a fresh molecule, for 2,000+ real molecules
    # (the EPA CompTox records of tests/data/wikipedia_chemicals.csv.gz).
    import pandas as pd
    from rdkit import Chem, rdBase
    from rdkit.Chem import Descriptors

    from chemprops.batch import Settings, compute_rows
    from chemprops.descriptors import RDKIT_NAMES
    from tests.conftest import DATA

    frame = pd.read_csv(DATA / "wikipedia_chemicals.csv.gz", dtype=str, keep_default_na=False)
    smiles = [s for s in frame["smiles"] if s][:2300]
    settings = Settings(descriptors=tuple(d.name for d in select("all")))
    columns, errors, _ = compute_rows(smiles, settings)
    assert set(RDKIT_NAMES.values()) == {name for name, _ in Descriptors._descList}
    compared = mismatches = 0
    with rdBase.BlockLogs():
        for i, text in enumerate(smiles):
            mol = Chem.MolFromSmiles(text)
            if mol is None or columns["formula"][i] is None:
                continue
            expected = Descriptors.CalcMolDescriptors(mol)
            compared += 1
            for column, rdkit_name in RDKIT_NAMES.items():
                ours, theirs = columns[column][i], expected[rdkit_name]
                if theirs is None or (isinstance(theirs, float) and math.isnan(theirs)):
                    ok = ours is None or (isinstance(ours, float) and math.isnan(ours))
                else:
                    ok = ours is not None and math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-300)
                if not ok:
                    mismatches += 1
                    assert mismatches < 5, f"{text}: {column} = {ours!r}, RDKit {rdkit_name} = {theirs!r}"
    assert compared >= 2000 and mismatches == 0
