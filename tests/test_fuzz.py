"""Fuzzing (hypothesis, bounded in time): any bytes in a file of any readable format, through batch and verify
with any of their output formats, end in exit code 0, 1 or 2, never a traceback."""

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chemprops import formats
from chemprops.cli import cli

SUFFIX = {name: fmt.suffixes[0] for name, fmt in formats.FORMATS.items() if fmt.readable and fmt.suffixes}
OUTPUTS = [f".{name}" if name != "md" else ".md" for name in ("csv", "tsv", "jsonl", "json", "sdf")]

# Text that looks like each format often enough to reach past its first line: fragments of real input.
FRAGMENTS = [
    "smiles,name\n", "CCO,ethanol\n", "C1CC1(", "[Na+].[Cl-]", "|&1:1|", '"', "\n", ",", "\t", "{", "}", "[", "]",
    '{"smiles": "O"}\n', "M  END\n", "$$$$\n", ">  <name>\n", "formula = 'H2O'\n", "a: [1, 2]\n", "\x00", "\r",
    "InChI=1S/H2O/h1H2", "C" * 50, "{{Infobox drug\n| CAS_number = 50-78-2\n}}", "\ufeff", "é", "1e999",
]  # fmt: skip
text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=12).map("".join)


def no_traceback(result) -> None:
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fmt=st.sampled_from(sorted(SUFFIX)), body=text, out=st.sampled_from(OUTPUTS), binary=st.binary(max_size=64))
def test_batch_and_verify_on_any_input(tmp_path_factory, fmt, body, out, binary):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / f"in{SUFFIX[fmt]}"
    path.write_bytes(binary if fmt == "parquet" else body.encode("utf-8", "surrogatepass"))
    no_traceback(CliRunner().invoke(cli, ["batch", str(path), "-o", str(folder / f"out{out}"), "-q", "-d", "none"]))
    no_traceback(CliRunner().invoke(cli, ["verify", str(path), "-q"]))


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(query=text)
def test_props_on_any_query(query):
    no_traceback(CliRunner().invoke(cli, ["props", query, "-d", "none", "--format", "csv"]))
