"""report.py: the files a comparison writes, self-contained HTML, escaped names, clustering."""

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
    assert "<img " not in page and 'src="data:' not in page  # figures inline as SVG, not PNG images
    assert page.count("<svg") >= 22 + 2  # 22 structures, the BOILED-Egg and the heatmap (and the R-groups)
    assert '<meta name="viewport"' in page
    bare = re.sub(r"xmlns(:\w+)?=['\"][^'\"]*['\"]", "", page)
    assert "http://" not in bare and "https://" not in bare and "<link" not in page
    assert "gabapentin" in page and "4.69" in page


def test_the_page_reads_like_a_report(written):
    _, paths = written
    page = paths["report.html"].read_text(encoding="utf-8")
    headers = re.findall(r"<th>([^<]*)</th>", page)
    assert {"Tanimoto, Morgan", "CNS MPO (0–6)", "Molar mass (g/mol)", "R at C3", "Acid head"} <= set(headers)
    assert not [h for h in headers if "_" in h]  # no snake_case column names
    first = re.search(r"<tbody><tr([^>]*)>(.*?)</tr>", page, re.S).group(0)
    assert 'class="ref"' in first and "reference" in first and "baclofen" in first and "<td>0</td>" not in first
    assert page.count("✓ pass") + page.count("✗ fail") == 22 * 4 and "✗ fail" in page  # GABA fails Ghose (MW < 160)
    assert ">0.6875<" not in page and ">0.69<" in page  # two decimals for Tanimoto
    cards = re.findall(r'<figure class="mol[^"]*">.*?</figure>', page, re.S)
    assert len(cards) == 22 and "baclofen" in cards[0] and "phenibut" in cards[3] and "Tanimoto 0.70" in cards[3]
    for section in ("Structures", "BOILED-Egg", "Similarity (Morgan, clustered)", "R-groups on the GABA backbone",
                    "Drug-likeness and CNS rules", "Descriptors"):  # fmt: skip
        assert f">{section}</h2>" in page


def test_a_set_without_a_series_has_no_series_sections(tmp_path):
    result = compare("tests/data/five_drugs.csv")
    page = report.write(result, tmp_path)["report.html"].read_text(encoding="utf-8")
    assert "R-groups on" not in page and "Acid head" not in page and "R at C3" not in page
    assert "No series fits the set" in page and page.count("<figure") == 5


def test_a_member_without_rule_values_has_no_point_and_no_label(written):
    import dataclasses

    result, _ = written
    rules = result.rules.copy()
    rules.loc[rules["name"] == "GHB", ["wlogp", "tpsa_sp"]] = float("nan")  # as when its rules step was cut
    fig = report.egg_figure(dataclasses.replace(result, rules=rules))
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "GHB" not in texts and "GABA" in texts and len(texts) == 19


def test_an_mcs_series_gets_its_section_with_the_labelled_core(tmp_path):
    from tests.test_compare import SULFONAMIDES

    (tmp_path / "set.csv").write_text(SULFONAMIDES)
    page = report.write(compare(str(tmp_path / "set.csv")), tmp_path / "out")["report.html"].read_text()
    assert "R-groups on the maximum common substructure</h2>" in page and '<figure class="core"><svg' in page
    assert "<th>R1</th>" in page and "<th>R2</th>" in page and "<th>Class</th>" not in page  # no class stated


def test_structures_are_aligned_on_the_reference_core(written):
    from rdkit import Chem

    result, _ = written
    chosen = report.ranked_members(result)
    assert [m.name for m, _ in chosen][:4] == ["baclofen", "arbaclofen", "(S)-baclofen", "phenibut"]
    mols = report.depictions(result, [m for m, _ in chosen])
    core = Chem.MolFromSmarts(result.series.core)
    ref = mols[0].GetConformer()
    ref_hit = mols[0].GetSubstructMatch(core)
    aligned = 0
    for mol in mols:
        hit = mol.GetSubstructMatch(core)
        if hit:
            here = mol.GetConformer()
            # the chain C4-C3-C2-C1 where the reference has it (within 0.6 bond: a ring bends gabapentin's)
            pairs = zip(hit[1:5], ref_hit[1:5])
            aligned += max((here.GetAtomPosition(a) - ref.GetAtomPosition(b)).Length() for a, b in pairs) < 0.6
    assert aligned == 19  # every member with the GABA backbone


def test_egg_labels_neither_overlap_nor_cross(written):
    result, _ = written
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    fig = report.egg_figure(result)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    notes = fig.axes[0].texts
    texts = [t.get_text() for t in notes]
    assert "baclofen, arbaclofen, (S)-baclofen" in texts  # one point, one label
    assert len(texts) == 20  # 22 members, 3 at one point
    for note in notes:
        note.update_positions(renderer)
    boxes = [Text.get_window_extent(t, renderer) for t in notes]  # the text alone, not its leader line
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not boxes[i].overlaps(boxes[j]), (texts[i], texts[j])
    lines = [(t.xy, t.xyann) for t in notes]
    for i in range(len(lines)):
        for j in range(i + 1, len(lines)):
            assert not report._cross(*lines[i], *lines[j]), (texts[i], texts[j])
    stars = [c for c in fig.axes[0].collections if c.get_label().startswith("reference")]
    assert len(stars) == 1 and stars[0].get_label() == "reference: baclofen"


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
    ET.fromstring(paths["boiled_egg.svg"].read_bytes())  # the label text escaped: still well-formed XML
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
    # the egg labels the reference and the 40 nearest, inside the axes (not over the WLOGP scale)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    fig = report.egg_figure(result)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    frame = ax.get_window_extent(renderer)
    assert len(ax.texts) <= report.MAX_EGG_LABELS + 1
    for note in ax.texts:
        note.update_positions(renderer)
        box = Text.get_window_extent(note, renderer)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, note.get_text()


def test_a_real_browser_runs_no_script_from_the_input(tmp_path, dump_dom):
    source = tmp_path / "hostile.csv"
    source.write_text(
        "name,smiles,class\n\"<script>document.title='pwned'</script>\",NCCCC(=O)O,endogenous\n"
        "\"<img src=x onerror=document.title='pwned'>\",NCC(CC(=O)O)c1ccc(Cl)cc1,GABA-B agonist\n"
        "GHB,OCCCC(=O)O,\"<script>document.title='pwned'</script>\"\n"
    )
    paths = report.write(compare(str(source)), tmp_path / "out")
    dom = dump_dom(paths["report.html"])
    title = re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
    assert title == "chemprops compare: &lt;script&gt;document.title='pwned'&lt;/script&gt;"  # the script did not run
    assert "<img " not in dom  # the member named <img ...> is text, not an element
    assert dom.count("<svg") >= 3 + 2 and 'aria-label="BOILED-Egg plot"' in dom
    assert "Nearest to the reference" in dom and dom.count("<table>") >= 4


def test_egg_label_columns_stand_beyond_every_point_labelled_or_not():
    # 60 members: only the reference and the nearest MAX_EGG_LABELS are labelled; the rest are plotted too
    rows = [{"name": f"m{i}", "tpsa_sp": 20.0 + (i * 37) % 140, "wlogp": -2.0 + (i * 13) % 8} for i in range(60)]
    table = pd.DataFrame(rows)
    spots = report.egg_labels(table, "m0", 0.3, 5.0, (-4.0, 8.0))
    lowest, highest = table["tpsa_sp"].min(), table["tpsa_sp"].max()
    assert spots and all(s.label_x < lowest if s.side == "left" else s.label_x > highest for s in spots)
