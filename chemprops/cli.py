"""The `chemprops` command line: each command parses options, calls one library function, renders."""

from __future__ import annotations

import functools
import sys

import click

from chemprops import render
from chemprops.errors import ChempropsError, one_line


def friendly_errors(command):
    """Turn chemprops errors into one line on stderr and exit code 2, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ChempropsError as exc:
            click.echo(f"Error: {one_line(exc)}", err=True)
            sys.exit(exc.exit_code)
        except (OSError, ValueError, KeyError) as exc:
            click.echo(f"Error: {one_line(exc)}", err=True)
            sys.exit(2)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="chemprops")
def cli():
    """Compute and verify chemical properties of structures."""


@cli.command()
@click.argument("queries", nargs=-1, required=True)
@click.option("--descriptors", "-d", default="core", show_default=True, help="core, all, none or NAME,NAME,...")
@click.option("--format", "fmt", type=click.Choice(render.FORMATS), default="table", show_default=True)
@friendly_errors
def props(queries, descriptors, fmt):
    """Formula, masses, identifiers, stereo and descriptors of structures.

    QUERY is a SMILES or CXSMILES, an InChI, a MOL/SDF/SMILES file, a built-in name or a CAS number.

    Example: chemprops props baclofen "CC(C)CC(CN)CC(=O)O" --format json
    """
    from chemprops.properties import of_structure
    from chemprops.structure import parse_many

    results = [of_structure(s, descriptors) for q in queries for s in parse_many(q)]
    click.echo(render.properties(results, fmt))


@cli.command()
@click.option("--format", "fmt", type=click.Choice(render.FORMATS), default="table", show_default=True)
@click.option("--group", type=click.Choice(["core", "all"]), default="all", show_default=True)
@friendly_errors
def descriptors(fmt, group):
    """List the descriptor registry: name, units, definition.

    Example: chemprops descriptors --group core
    """
    import pandas as pd

    from chemprops.descriptors import select

    frame = pd.DataFrame(
        [{"name": d.name, "units": d.units, "group": d.group, "definition": d.definition} for d in select(group)]
    )
    if fmt == "json":
        click.echo(render.records_json(frame.to_dict("records")))
    elif fmt in ("csv", "tsv"):
        click.echo(render.delimited(frame.to_dict("records"), "," if fmt == "csv" else "\t").rstrip("\n"))
    else:
        click.echo(render.horizontal_table(frame))


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Record file to write (.toml, .json, .yaml).")
@friendly_errors
def import_record(file, output):
    """Turn a rendered infobox text or {{Infobox drug}}/{{Drugbox}}/{{Chembox}} wikitext into a record.

    Without -o the record is printed as TOML. `chemprops verify` reads the record, or FILE itself.

    Example: chemprops import baclofen_wikipedia.txt -o baclofen.toml
    """
    from chemprops.importers import import_file, write_record

    text = write_record(import_file(file), output)
    if output:
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@cli.command()
@click.argument("source")
@click.option("--reference", "-r", default=None, help="Member to compare with (name, synonym or CAS); default: "
              "baclofen for the gaba set, else the first structure.")
@click.option("--output", "-o", "outdir", default="compare_out", show_default=True, type=click.Path(file_okay=False),
              help="Folder for compare.csv, similarity.csv, figures and report.html.")
@friendly_errors
def compare(source, reference, outdir):
    """Compare a set of structures with a reference: similarity, scaffold, R-groups, drug-likeness, CNS MPO.

    SOURCE is a built-in set (`gaba`: 22 GABA analogues) or a CSV (with a smiles column), SMILES or SDF file.
    Prints the members nearest to the reference first and writes the tables, figures and report.html.

    Example: chemprops compare gaba --reference baclofen -o out/
    """
    from chemprops import report
    from chemprops.compare import compare as run_compare

    result = run_compare(source, reference)
    paths = report.write(result, outdir)
    click.echo(render.horizontal_table(result.ranked()))
    for entry, reason in result.skipped:
        click.echo(f"skipped {entry}: {reason}", err=True)
    click.echo(f"\nMCS of the set: {result.mcs_smarts} ({result.mcs_count} of {len(result.members)} structures)")
    click.echo(f"Wrote {len(paths)} files to {outdir}: {', '.join(paths)}")
@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the full report: .csv, .json or .md")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--identifiers", multiple=True, help="Offline table of CAS numbers/CIDs with structures (repeatable)")
@click.option(
    "--jobs", "-j", type=click.IntRange(1), default=None, help="Worker processes (default: cores, big inputs)"
)
@friendly_errors
def verify(sources, output, fmt, identifiers, jobs):
    """Check stated formula, masses, identifiers, InChI, IUPAC name and stereo against the structure.

    SOURCE is a built-in name, a record file (.toml/.json/.yaml) or a table (.csv/.tsv/.jsonl/.parquet,
    one record per row). Exit 0 when nothing fails, 1 when a check fails, 2 for unreadable input.

    Example: chemprops verify baclofen records.csv -o report.csv
    """
    from chemprops.errors import InputError
    from chemprops.verify import summary
    from chemprops.verify import verify as run

    if output and not output.lower().endswith(render.REPORT_SUFFIXES):
        raise InputError(f"cannot write {output}: the report must end in .csv, .json or .md")
    report = run(*sources, identifiers=identifiers, jobs=jobs)
    table = summary(report)
    if output:
        render.write_report(report, output, table)
    click.echo(render.verify_report(report, fmt, table, style=click.style))
    if output and fmt == "table":
        click.echo(f"report written to {output}")
    sys.exit(1 if (report["status"] == "fail").any() else 0)


def main():
    cli(prog_name="chemprops")


if __name__ == "__main__":
    main()
