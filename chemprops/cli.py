"""The `chemprops` command line: each command parses options, calls one library function, renders."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from chemprops import formats, options, render
from chemprops.errors import ChempropsError, InputError, one_line


def friendly_errors(command):
    """Turn chemprops errors (bad input, a missing part) and unreadable files into one line on stderr and exit
    code 2, never a traceback; anything else is a bug and keeps its traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ChempropsError as exc:
            click.echo(f"Error: {one_line(exc)}", err=True)
            sys.exit(exc.exit_code)
        except OSError as exc:
            click.echo(f"Error: {one_line(exc)}", err=True)
            sys.exit(2)

    return wrapper


def _emit(rows: list[dict], output: str | None, fmt: str | None, table: str) -> None:
    """Rows to -o (format from its suffix or --format), else to the terminal: `table` text or `fmt`."""
    if output is None and fmt in (None, "table"):
        click.echo(table)
        return
    if output is not None and fmt == "table":
        raise InputError("--format table is for the terminal; give -o a file suffix or another --format")
    import pandas as pd

    formats.write(pd.DataFrame(rows), output, fmt)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="chemprops")
def cli():
    """Compute and verify chemical properties of structures."""


@cli.command()
@click.argument("queries", nargs=-1, required=True)
@options.descriptors
@options.standardize
@options.online
@options.output_format(["table", *formats.writable()], otherwise="table")
@options.output()
@options.time_limit
@friendly_errors
def props(queries, descriptors, standardize, online, fmt, output, time_limit):
    """Formula, masses, identifiers, stereo and descriptors of structures.

    QUERY is a SMILES or CXSMILES, an InChI, a file of structures (.smi, .sdf, .mol, .csv, ...), a name (built-in,
    in the bundled identifier table of 76,000 compounds, or a systematic name read by OPSIN), a CAS number, an
    InChIKey or a PubChem CID (`CID 2244`). The `source` row says where each structure came from. A query that
    names nothing gets a column with the reason, the others their results (exit code 1).

    Example: chemprops props baclofen aspirin 50-78-2 "CC(C)CC(CN)CC(=O)O" --format json
    """
    from chemprops.batch import properties_of_query

    results = properties_of_query(queries, options.with_standardize(descriptors, standardize), time_limit or None,
                                  online=online, strict=len(queries) == 1)  # fmt: skip
    failed = [r for r in results if r.error]
    for result in results:
        for problem in result.problems:
            click.echo(f"Warning: {result.name or result.smiles or 'structure'}: {problem}", err=True)
        if result.error:
            click.echo(f"Error: {result.error}", err=True)
    if fmt in ("json", "csv", "tsv") and output is None:
        click.echo(render.properties(results, fmt))
    else:
        _emit(render.property_rows(results), output, fmt, render.properties(results, "table"))
    if failed:
        sys.exit(1)


@cli.command()
@options.output_format(["table", "json", "csv", "tsv"], default="table")
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


@cli.command()
@options.output_format(["table", "json", "csv", "tsv"], default="table")
@friendly_errors
def names(fmt):
    """List the built-in records: id, name, CAS number, synonyms and the file each comes from.

    Any of these names a structure for props, verify and compare; the bundled identifier table (76,000 PubChem
    compounds) and OPSIN answer the rest.

    Example: chemprops names
    """
    from chemprops.catalog import listing

    rows = listing()
    if fmt == "json":
        click.echo(render.records_json(rows))
    elif fmt in ("csv", "tsv"):
        click.echo(render.delimited(rows, "," if fmt == "csv" else "\t").rstrip("\n"))
    else:
        import pandas as pd

        click.echo(render.horizontal_table(pd.DataFrame(rows)))


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@options.output("Record file to write (.toml, .json, .yaml); default: TOML on the terminal.")
@friendly_errors
def import_record(file, output):
    """Turn a rendered infobox text or {{Infobox drug}}/{{Drugbox}}/{{Chembox}} wikitext into a record.

    Without -o the record is printed as TOML. `chemprops verify` reads the record, or FILE itself.

    Example: chemprops import structures/baclofen_wikipedia.txt -o baclofen.toml
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
              "baclofen for the gaba set, else the first structure.")  # fmt: skip
@click.option("--series", "-s", default=None, help="Core to report R-groups on: a built-in series (gaba) or a TOML "
              "file like structures/series/gaba.toml; default: the built-in one that fits, else the set's MCS.")  # fmt: skip
@options.output("Folder to write compare.csv, similarity.csv, figures and report.html into (several files).", True)
@friendly_errors
def compare(source, reference, series, output):
    """Compare a set of structures with a reference: similarity, scaffold, R-groups, drug-likeness, CNS MPO.

    SOURCE is a built-in set (`gaba`: 22 GABA analogues) or a file of structures (CSV with a smiles column,
    .smi, SDF, ...). Prints the members nearest to the reference first; with -o, writes the tables, figures
    and report.html into that folder.

    Example: chemprops compare gaba --reference baclofen -o out/
    """
    from chemprops.compare import compare as run_compare

    result = run_compare(source, reference, series=series)
    click.echo(render.horizontal_table(result.ranked()))
    for entry, reason in result.skipped:
        click.echo(f"skipped {entry}: {reason}", err=True)
    click.echo(f"\nMCS of the set: {result.mcs_smarts} ({result.mcs_count} of {len(result.members)} structures)")
    if result.series:
        where = f" ({result.series.source})" if result.series.source != "MCS" else ""
        click.echo(
            f"R-groups on the {result.series.title}{where}: {result.series_count} of {len(result.members)} structures"
        )
    else:
        click.echo("R-groups: no series fits the set (no built-in core nor MCS in most of its structures)")
    if output:
        from chemprops import report

        paths = report.write(result, output)
        click.echo(f"Wrote {len(paths)} files to {output}: {', '.join(paths)}")


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@options.output(
    "Write every row of the report; its suffix names the format (.csv, .tsv, .json, .jsonl, .md, ...); .html: a page "
    "with a summary, the records, and the structures and values of what fails or warns."
)
@options.output_format(["table", *formats.writable()], otherwise="table")
@click.option("--identifiers", multiple=True, help="Your own table of CAS numbers/CIDs with structures, looked up "
              "before the bundled identifier table (repeatable)")  # fmt: skip
@click.option("--map", "maps", multiple=True, metavar="COLUMN=FIELD", help="The field a column holds (repeatable).")
@options.online
@options.jobs
@options.engine
@options.quiet
@friendly_errors
def verify(sources, output, fmt, identifiers, maps, online, jobs, engine, scheduler, time_limit, quiet):
    """Check stated formula, masses, identifiers, InChI, IUPAC name and stereo against the structure.

    SOURCE is a built-in name, a record file (.toml/.json/.yaml), a published form (infobox text, wikitext)
    or a table (.csv/.tsv/.jsonl/.parquet, one record per row). Exit 0 when nothing fails, 1 when a check
    fails, 2 for unreadable input.

    Example: chemprops verify baclofen records.csv -o report.csv
    """
    from chemprops.progress import progress_line
    from chemprops.verify import verify_to

    mapping = {}
    for item in maps:
        column, sep, field = item.partition("=")
        if not sep or not column or not field:
            raise InputError(f"--map takes COLUMN=FIELD, got {item!r}")
        mapping[column] = field.strip()
    terminal = fmt in (None, "table")

    def preamble(outcome) -> str:
        return f"# chemprops verify\n\n{render.summary_line(outcome)}\n\n{render.markdown_table(outcome.summary())}\n\n"

    from chemprops.resolve import pubchem_online

    online = pubchem_online(online)
    show = progress_line(quiet, "records")
    if output and str(output).lower().endswith(".html"):  # a page: summary, filterable records, what fails drawn
        _verify_page(sources, output, show, quiet, identifiers=identifiers, mapping=mapping, jobs=jobs, online=online,
                     engine_name=engine, scheduler=scheduler, time_limit=time_limit or None)  # fmt: skip
        return
    # Rows stream to the file (or to stdout for --format csv, jsonl, ...); the terminal gets tables or counts.
    target = output if output else (None if terminal else "-")
    outcome = verify_to(target, *sources, fmt=None if terminal else fmt,
                        keep=render.PER_RECORD_LIMIT + 1, preamble=preamble, identifiers=identifiers, mapping=mapping,
                        jobs=jobs, engine_name=engine, scheduler=scheduler, time_limit=time_limit or None,
                        checks=None, progress=show, online=online)  # fmt: skip
    if show:
        show.clear()
    if terminal or output:
        text = render.verify_report(outcome, style=click.style)
        click.echo(text if not (quiet and output) else render.summary_line(outcome))
    if output and not quiet:
        click.echo(f"report written to {output}")
    sys.exit(1 if outcome.failed else 0)


def _verify_page(sources, output, show, quiet, **options) -> None:
    import os

    from chemprops import verifypage
    from chemprops.verify import verify_rows

    target = Path(output)
    if any(formats.is_file(Path(s)) and Path(s).resolve() == target.resolve() for s in sources):
        raise InputError(f"the output {output} is the input; give another file name")
    collected = verifypage.Collector()
    outcome = verify_rows(*sources, write=collected.add, progress=show, **options)
    if show:
        show.clear()
    temp = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        temp.write_text(verifypage.page(outcome, collected, f"chemprops verify: {', '.join(map(str, sources))}"),
                        encoding="utf-8")  # fmt: skip
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise InputError(f"cannot write {output}: {exc.strerror or exc}") from exc
    click.echo(render.summary_line(outcome))
    if not quiet:
        click.echo(f"report written to {output}")
    sys.exit(1 if outcome.failed else 0)


@cli.command()
@click.argument("source", metavar="INPUT")
@options.output("Output file (default: CSV on the terminal); a new folder (ending in /) is a Parquet dataset.", None)
@options.output_format()
@click.option("--input-format", type=click.Choice(formats.readable()), default=None, help="Default: from the suffix.")
@click.option("--smiles-col", default=None, help="Column with the SMILES (default: found by name).")
@click.option("--id-col", default=None, help="Column with the identifier (SDF title line).")
@click.option("--name-col", default=None, help="Without a structure column: the column of names, CAS numbers or "
              "InChIKeys to resolve (built-in records, identifier table, OPSIN); adds a `source` column.")  # fmt: skip
@options.descriptors
@options.standardize
@options.jobs
@click.option(
    "--chunk-size",
    default=None,
    type=click.IntRange(min=1),
    help="Rows per chunk (default: 1,000, smaller on small inputs so that every job gets work).",
)
@options.engine
@options.quiet
@click.option("--strict", is_flag=True, help="Exit 1 when any row failed.")
@friendly_errors
def batch(source, output, fmt, input_format, smiles_col, id_col, name_col, descriptors, standardize, jobs, chunk_size, engine,
          scheduler, time_limit, quiet, strict):  # fmt: skip
    """Properties of every row of a file, streamed in chunks; rows out = rows in, in order.

    INPUT is CSV, TSV, .smi, SDF (.sdf.gz), JSON lines, JSON or Parquet, or - for stdin (CSV unless
    --input-format). Every input column is kept; failures keep their row with a message in `error`.

    Example: chemprops batch molecules.csv -o props.parquet --jobs 4
    """
    import signal

    from chemprops.batch import batch as run_batch
    from chemprops.progress import progress_line

    # kill and a closed terminal end the run through Python, so the temporary .part file is removed
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, lambda *_: sys.exit(129))
    show = progress_line(quiet)
    summary = run_batch(source, output, input_format=input_format, output_format=fmt, smiles_col=smiles_col, name_col=name_col,
                        id_col=id_col, descriptors=options.with_standardize(descriptors, standardize), jobs=jobs, chunk_size=chunk_size, engine_name=engine,
                        scheduler=scheduler, time_limit=time_limit or None, progress=show)  # fmt: skip
    if show:
        show.clear()
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
