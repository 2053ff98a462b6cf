from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "wikipedia_chemicals.csv.gz"  # the EPA CompTox "WIKIPEDIA" list, see data/README.md

# Racemic baclofen as given by the monograph (structures/baclofen_wikipedia.txt) and PubChem CID 2284.
BACLOFEN_SMILES = "NCC(CC(=O)O)c1ccc(Cl)cc1"
BACLOFEN_INCHIKEY = "KPYSYYIEGFHWSV-UHFFFAOYSA-N"  # PubChem CID 2284


@pytest.fixture
def data_dir() -> Path:
    return DATA
