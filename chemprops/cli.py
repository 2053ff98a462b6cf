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
def _progress_bar(quiet: bool):
    """A progress line on stderr (rows, rows/s, %, ETA) when stderr is a terminal; None otherwise."""
    stream = sys.stderr
    if quiet or not stream.isatty():
        return None
    last = [0.0]

    def show(summary, fraction):
        now = summary.seconds
        if now - last[0] < 0.2:
            return
        last[0] = now
        text = f"{summary.rows:,} rows  {summary.rate:,.0f} rows/s"
        if fraction:
            eta = now * (1 - fraction) / fraction
            text += f"  {fraction:4.0%}  ETA {int(eta) // 60}:{int(eta) % 60:02d}"
        stream.write(f"\r{text}\x1b[K")
        stream.flush()

    return show


@cli.command()
@click.argument("source", metavar="INPUT")
@click.option(
    "-o", "--output", default=None, help="Output file (default: CSV on stdout); .csv .tsv .jsonl .sdf .parquet"
)
@click.option("--smiles-col", default=None, help="Column with the SMILES (default: found by name).")
@click.option("--id-col", default=None, help="Column with the identifier (SDF title line).")
@click.option("--descriptors", "-d", default="core", show_default=True, help="core, all, none or NAME,NAME,...")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(min=1), help="Worker processes.")
@click.option("--chunk-size", default=1000, show_default=True, type=click.IntRange(min=1), help="Rows per chunk.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", default="local", show_default=True, help="Dask: local or tcp://host:port.")
@click.option("--input-format", type=click.Choice(["csv", "tsv", "smi", "sdf", "jsonl", "parquet"]), default=None)
@click.option("--output-format", type=click.Choice(["csv", "tsv", "jsonl", "sdf", "parquet"]), default=None)
@click.option(
    "--time-limit", default=60.0, show_default=True, type=float, help="Seconds per molecule and step; 0: none."
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no summary line.")
@click.option("--strict", is_flag=True, help="Exit 1 when any row failed.")
@friendly_errors
def batch(source, output, smiles_col, id_col, descriptors, jobs, chunk_size, engine, scheduler, input_format,
          output_format, time_limit, quiet, strict):  # fmt: skip
    """Properties of every row of a file, streamed in chunks; rows out = rows in, in order.

    INPUT is CSV, TSV, .smi, SDF (.sdf.gz), JSON lines or Parquet, or - for stdin (CSV unless
    --input-format). Every input column is kept; failures keep their row with a message in `error`.

    Example: chemprops batch molecules.csv -o props.parquet --jobs 4
    """
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the temporary file is removed on kill
    show = _progress_bar(quiet)
    options = dict(input_format=input_format, output_format=output_format, smiles_col=smiles_col,
                   id_col=id_col, descriptors=descriptors, jobs=jobs, chunk_size=chunk_size, progress=show)  # fmt: skip
    if engine == "dask":
        from chemprops.cluster import batch as run_batch

        summary = run_batch(source, output, scheduler=scheduler, **options)
    else:
        from chemprops.batch import batch as run_batch

        summary = run_batch(source, output, time_limit=time_limit or None, **options)
    if show:
        click.echo("\r\x1b[K", nl=False, err=True)
    if not quiet:
        click.echo(
            f"chemprops batch: {summary.rows:,} rows, {summary.ok:,} ok, {summary.failed:,} failed, "
            f"{summary.seconds:.1f} s, {summary.rate:,.0f} rows/s" + (f" -> {output}" if output else ""),
            err=True,
        )
    if strict and summary.failed:
        sys.exit(1)


def main():
    cli(prog_name="chemprops")


if __name__ == "__main__":
    main()
