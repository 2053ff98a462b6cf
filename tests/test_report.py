"""report.py: the files a comparison writes, self-contained HTML, escaped names, clustering."""

import base64
import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from chemprops import report
from chemprops.compare import compare

PNG = b"\x89PNG\r\n\x1a\n"
EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("gaba")
    result = compare("gaba", reference="baclofen")
    return result, report.write(result, out)


def test_every_file_is_written_and_readable(written):
    result, paths = written
    expected = {
        "compare.csv",
        "similarity.csv",
        "similarity_maccs.csv",
        "structures.svg",
        "structures.png",
        "similarity_heatmap.png",
        "similarity_heatmap.svg",
        "boiled_egg.png",
        "boiled_egg.svg",
        "report.html",
    }
    assert set(paths) == expected
    for name, path in paths.items():
        data = path.read_bytes()
        if name.endswith(".png"):
            assert data.startswith(PNG)
        elif name.endswith(".svg"):
            assert ET.fromstring(data).tag.endswith("svg")
    table = pd.read_csv(paths["compare.csv"])
    assert list(table["name"][:3]) == ["baclofen", "arbaclofen", "(S)-baclofen"]
    for column in (
        "name",
        "tanimoto_morgan",
        "lipinski",
        "veber",
        "ghose",
        "egan",
        "cns_mpo",
        "boiled_egg",
        "r_c3",
        "logp",
        "tpsa",
        "molar_mass",
    ):
        assert column in table.columns
    matrix = pd.read_csv(paths["similarity.csv"], index_col=0)
    assert matrix.shape == (22, 22) and matrix.loc["phenibut", "baclofen"] == pytest.approx(0.7, abs=1e-4)


def test_html_is_self_contained(written):
    _, paths = written
    page = paths["report.html"].read_text(encoding="utf-8")
    sources = re.findall(r'src="([^"]+)"', page)
    assert len(sources) == 3 and all(s.startswith("data:image/png;base64,") for s in sources)
    assert base64.b64decode(sources[0].split(",", 1)[1]).startswith(PNG)
    assert "http://" not in page and "https://" not in page and "<link" not in page
    assert "gabapentin" in page and "4.69" in page


def test_structure_grid_highlights_the_core(written):
    result, _ = written
    atoms = report.core_atoms(result)
    by_name = dict(zip(result.names, atoms))
    assert len(by_name["GABA"]) == 7  # the whole of GABA is the MCS
    assert len(by_name["saclofen"]) == 7  # backbone with its sulfonic acid head (N, 4 C... S, =O, O)
    assert by_name["GHB"] == ()  # no amine: nothing to highlight


def test_clustering_puts_the_baclofens_together(written):
    result, _ = written
    order = report.cluster_order(result.similarity["morgan"])
    positions = sorted(order.index(n) for n in ("baclofen", "arbaclofen", "(S)-baclofen"))
    assert positions[2] - positions[0] == 2  # adjacent leaves
    assert sorted(order) == sorted(result.names)


def test_names_are_escaped(tmp_path):
    source = tmp_path / "evil.csv"
    source.write_text(f'name,smiles\n"{EVIL}",NCCCC(=O)O\nbaclofen,NCC(CC(=O)O)c1ccc(Cl)cc1\n"a&b",OCCCC(=O)O\n')
    result = compare(str(source), reference=EVIL)
    paths = report.write(result, tmp_path / "out")
    page = paths["report.html"].read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "a&amp;b" in page and "a&b" not in page
    ET.fromstring(paths["structures.svg"].read_bytes())  # legend text escaped: still well-formed XML


@pytest.mark.slow
def test_figures_stay_bounded_for_a_large_set(tmp_path):
    # 160 real structures of the EPA list: every member in the tables, the nearest 60 drawn, no clustered heatmap
    from tests.conftest import CORPUS

    corpus = pd.read_csv(CORPUS, dtype=str, keep_default_na=False)
    sample = corpus[corpus["smiles"].str.len().between(10, 40)].drop_duplicates("name").sample(160, random_state=3)
    source = tmp_path / "set.csv"
    sample[["name", "smiles"]].to_csv(source, index=False)
    result = compare(str(source))
    paths = report.write(result, tmp_path / "out")
    assert "similarity_heatmap.png" not in paths and len(result.table()) == len(result.members)
    assert "Not drawn for" in paths["report.html"].read_text()
    assert sum(p.stat().st_size for p in paths.values()) < 20_000_000
