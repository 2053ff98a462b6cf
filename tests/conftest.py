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


CHROMIUM = "/usr/bin/chromium"  # Debian's package chromium; .ci/run installs it where it can


@pytest.fixture
def dump_dom(tmp_path):
    """The DOM a real headless Chromium builds from a page, after its scripts ran (skips where there is none)."""
    import os
    import subprocess

    if not os.path.exists(CHROMIUM):
        pytest.skip("needs Debian's chromium (apt-get install chromium): not on this machine")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000"]  # fmt: skip

    def dump(page):
        done = subprocess.run([CHROMIUM, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                              timeout=60)  # fmt: skip
        return done.stdout

    return dump
