"""`chemprops compare`: ranked table on the terminal, files in -o DIR, one-line errors."""

from click.testing import CliRunner

from chemprops.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_compare_gaba(tmp_path):
    out = tmp_path / "out"
    result = run("compare", "gaba", "--reference", "baclofen", "-o", str(out))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["rank", "name", "class"]
    assert lines[2].split()[:2] == ["0", "baclofen"]
    names = [line.split()[1] for line in lines[2:24]]
    assert names.index("phenibut") < names.index("pregabalin")
    assert f"to {out}" in lines[-1]
    for name in (
        "compare.csv",
        "similarity.csv",
        "structures.svg",
        "structures.png",
        "similarity_heatmap.png",
        "boiled_egg.png",
        "boiled_egg.svg",
        "report.html",
    ):
        assert (out / name).stat().st_size > 0


def test_compare_a_file_with_a_bad_row(tmp_path):
    source = tmp_path / "mine.smi"
    source.write_text("NCC(CC(=O)O)c1ccc(Cl)cc1 baclofen\nC1CC( broken\nNCC(CC(=O)O)c1ccccc1 phenibut\n")
    result = CliRunner().invoke(cli, ["compare", str(source), "-o", str(tmp_path / "o")])
    assert result.exit_code == 0
    assert "skipped mine.smi:2 broken: cannot parse SMILES" in result.output  # CliRunner mixes stderr in
    assert (tmp_path / "o" / "report.html").exists()


def test_compare_errors_are_one_line(tmp_path):
    result = run("compare", "nothing-here", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert result.output == "Error: 'nothing-here' is neither a built-in set (gaba) nor a file\n"
    result = run("compare", "gaba", "--reference", "C1CC(", "-o", str(tmp_path))
    assert result.exit_code == 2 and result.output.startswith("Error: ") and result.output.count("\n") == 1


def test_compare_without_output_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("compare", "gaba")
    assert result.exit_code == 0 and "MCS of the set" in result.output
    assert list(tmp_path.iterdir()) == []


def test_compare_a_set_without_a_series(tmp_path):
    result = run("compare", "tests/data/five_drugs.csv", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0].split()
    assert header == ["rank", "name", "tanimoto_morgan", "tanimoto_maccs", "cns_mpo", "boiled_egg"]
    assert "R-groups: no series fits the set" in result.output
    page = (tmp_path / "report.html").read_text()
    assert "R-groups on" not in page and "acid_head" not in (tmp_path / "compare.csv").read_text()


def test_compare_with_a_series_named(tmp_path):
    result = run("compare", "tests/data/five_drugs.csv", "--series", "gaba")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].split()[-2:] == ["r_c3", "acid_head"]
    assert "R-groups on the GABA backbone (structures/series/gaba.toml): 1 of 5 structures" in result.output
    result = run("compare", "gaba", "--series", "no-such-series")
    assert result.exit_code == 2
    assert result.output == "Error: 'no-such-series' is neither a built-in series (gaba) nor a file\n"


def test_a_reference_outside_the_set_that_names_nothing_lists_the_members():
    from chemprops.cli import cli

    result = CliRunner().invoke(cli, ["compare", "gaba", "-r", "zzqxnotachemical"])
    assert result.exit_code == 2
    assert "the set's members: GABA, baclofen, arbaclofen" in result.output
