"""Options shared by the commands, as decorators (as sqlite-utils does): one spelling, one default, one help."""

from __future__ import annotations

import click

from chemprops import formats
from chemprops.engine import DEFAULT_TIME_LIMIT, ENGINES


def output(
    help_text: str = "Output file; its suffix names the format (default: the terminal).", folder: bool | None = False
):
    """-o/--output: a file (folder=False), a folder (True: a command that writes several files) or either (None)."""
    kind = click.Path(file_okay=folder is not True, dir_okay=folder is not False)
    return click.option("-o", "--output", default=None, type=kind, help=help_text)


def output_format(choices: list[str] | None = None, default: str | None = None, otherwise: str = "csv"):
    """--format: the output format; without it, the suffix of -o names it, else `otherwise`."""
    names = choices or formats.writable()
    text = (
        f"Output format (default: {default})."
        if default
        else f"Output format (default: from the suffix of -o, else {otherwise})."
    )
    return click.option("--format", "fmt", type=click.Choice(names), default=default, help=text)


def jobs(function):
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=None,
        help="Worker processes (default: every core, up to 8).",
    )(function)


def quiet(function):
    return click.option("--quiet", "-q", is_flag=True, help="No progress line, no summary line.")(function)


def descriptors(function):
    return click.option(
        "--descriptors", "-d", default="core", show_default=True, help="core, all, none or NAME,NAME,..."
    )(function)


def online(function):
    return click.option(
        "--online/--offline",
        default=None,
        help="Ask PubChem (PUG-REST) for what no offline table has: names, CAS numbers, CIDs (at most 5 requests a "
        "second, answers cached). Default: the CHEMPROPS_ONLINE setting, else offline.",
    )(function)


def standardize(function):
    return click.option(
        "--standardize",
        is_flag=True,
        help="Add the parent compound's columns (salts and solvents stripped, neutralised; ChEMBL Structure "
        "Pipeline): parent_smiles, parent_inchikey, parent_formula, parent_molar_mass, components.",
    )(function)


def with_standardize(spec: str, on: bool):
    """The descriptor selection, with the parent's columns when --standardize is on."""
    if not on:
        return spec
    from chemprops.descriptors import STANDARDIZE, select

    return [d.name for d in select(spec)] + [d.name for d in STANDARDIZE]


def time_limit(function):
    return click.option(
        "--time-limit",
        default=DEFAULT_TIME_LIMIT,
        show_default=True,
        type=click.FloatRange(min=0),
        help="Seconds per molecule and step on the local engine; 0: none.",
    )(function)


def engine(function):
    """--engine, --scheduler and --time-limit: where many molecules run, and for how long each may."""
    function = time_limit(function)
    function = click.option("--scheduler", default="local", show_default=True, help="Dask: local or tcp://host:port.")(
        function
    )
    return click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True)(function)
