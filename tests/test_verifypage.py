"""verify's HTML page: summary, records, what fails drawn, every input text escaped."""

import re

from click.testing import CliRunner

from chemprops.cli import cli
from chemprops.verifypage import compact_svg, marked, structure_svg
from tests.conftest import DATA


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_the_page_has_the_summary_the_records_and_the_failing_structures(tmp_path):
    out = tmp_path / "report.html"
    result = run("verify", str(DATA / "verify_mixed.csv"), "-o", str(out), "-q")
    assert result.exit_code == 1 and "4 records" in result.output
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and '<meta name="viewport"' in page
    assert "<h2>By check and status</h2>" in page and 'id="status"' in page and 'id="q"' in page
    details = re.findall(r"<details.*?</details>", page, re.S)
    assert len(details) == 3  # ammonium (warn), bad baclofen (fail), broken (fail); baclofen passes
    bad = next(d for d in details if "bad baclofen" in d)
    assert "<svg" in bad and "<mark>" in bad  # drawn, and the differing part of stated vs computed marked
    assert "http://" not in re.sub(r"xmlns(:\w+)?='[^']*'", "", page)  # nothing fetched


def test_every_text_from_the_input_is_escaped(tmp_path):
    source = tmp_path / "hostile.csv"
    source.write_text('id,smiles,formula\n"<script>alert(1)</script>",CCO,"<img src=x onerror=alert(2)>"\n')
    out = tmp_path / "report.html"
    assert run("verify", str(source), "-o", str(out), "-q").exit_code == 1
    page = out.read_text()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script>") == 1  # the page's own filter


def test_the_page_refuses_to_overwrite_its_input(tmp_path):
    source = tmp_path / "recs.html"
    source.write_text("smiles,formula\nO,H2O\n")
    result = run("verify", str(source), "-o", str(source))
    assert result.exit_code == 2 and "is the input" in result.output


def test_marked_difference_and_compact_drawing():
    assert marked("C10H13ClNO2", "C10H12ClNO2") == ("C10H1<mark>3</mark>ClNO2", "C10H1<mark>2</mark>ClNO2")
    assert marked("a<b", "a<b") == ("a&lt;b", "a&lt;b")
    svg = structure_svg("NCC(CC(=O)O)c1ccc(Cl)cc1")  # baclofen
    assert svg.startswith("<svg") and "class=" not in svg and len(svg) < 6000
    assert compact_svg("<path d='M 1.23456,2.5' />") == "<path d='M 1.2,2.5' />"
    assert "not drawn" in structure_svg("C" * 300)


def test_a_real_browser_runs_no_script_from_the_input(tmp_path, dump_dom):
    source = tmp_path / "hostile.csv"
    source.write_text(
        'id,smiles,formula\n"<script>document.title=\'pwned\'</script>",CCO,"<img src=x onerror=document.title=1>"\n'
    )
    out = tmp_path / "report.html"
    run("verify", str(source), "-o", str(out), "-q")
    dom = dump_dom(out)
    assert "<title>chemprops verify" in dom and "pwned" not in dom.split("</title>")[0]
    assert "<svg" in dom and "By check and status" in dom and 'id="records"' in dom
