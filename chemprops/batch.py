"""Batches: properties of every row of a table, streamed in chunks, on local processes or a Dask cluster.

One chunk function, `compute_chunk`, turns a chunk of input rows (a DataFrame, or `formats.Rows` read from a
text file) into the same rows with the computed columns (the stable names of `chemprops props`) and `error`
added. `batch()` (a file to a file) and `compute()` (the Python API) run it through `chemprops.engine` on
either engine, so they give the same rows. pandas is imported only when a DataFrame is in play: a batch
from CSV to CSV runs on plain lists, and starts as fast as a bare RDKit script.

Nothing is lost: rows out = rows in, in input order. A row that cannot be parsed keeps its input values and
gets a one-line message in `error`; RDKit's log is blocked, so its complaints go to `error`, not stderr.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from rdkit import Chem, rdBase

from chemprops import engine, formats, properties
from chemprops.descriptors import select
from chemprops.engine import DEFAULT_TIME_LIMIT, Summary, Watch
from chemprops.errors import ChempropsError, InputError, ParseError, one_line
from chemprops.resolve import resolve_many, resolve_names
from chemprops.structure import Structure, parse_cell

if TYPE_CHECKING:
    import pandas as pd

ERROR = "error"
SOURCE = "source"  # where a name's structure came from (batch --name-col)
INPUT_PREFIX = "input_"  # an input column whose name a computed column takes is kept under this prefix


@dataclass(frozen=True)
class Settings:
    """What the chunk function needs: where the structure is and what to compute."""

    structure: str = "smiles"  # input column holding the structure
    kind: str = "smiles"  # "smiles" (SMILES/CXSMILES), "molblock" or "name" (resolved: `resolve_names`)
    descriptors: tuple[str, ...] = field(default_factory=lambda: tuple(d.name for d in select("core")))
    molblock: bool = False  # add a `molblock` column (SDF output from SMILES)
    columns: tuple[str, ...] = ()  # the input's columns (to read a `formats.Block`)

    @property
    def chosen(self):
        return _chosen(self.descriptors)

    def computed_columns(self) -> list[str]:
        extra = [formats.MOLBLOCK] if self.molblock and self.kind != "molblock" else []
        source = [SOURCE] if self.kind == "name" else []
        return properties.columns(self.chosen) + [ERROR] + source + extra


def settings_for(
    columns: Iterable[str],
    kind: str = "smiles",
    smiles_col: str | None = None,
    descriptors: str | list[str] | None = "core",
    molblock: bool = False,
    name_col: str | None = None,
) -> Settings:
    """Settings for input with these columns; InputError (listing the columns) when the SMILES one is missing,
    unless `name_col` names a column of names, CAS numbers or InChIKeys to resolve instead."""
    columns = [c for c in columns if c != formats.READ_ERROR]
    chosen = tuple(d.name for d in select(descriptors))
    if kind == "molblock":
        structure = formats.find_column(columns, smiles_col or formats.MOLBLOCK)
    else:
        try:
            structure = formats.find_column(columns, smiles_col)
        except InputError as exc:
            if smiles_col is not None:
                raise
            if name_col is None:
                raise InputError(f"{exc}, or give --name-col for a column of names, CAS numbers or InChIKeys") from exc
            structure, kind = formats.find_column(columns, name_col, "name"), "name"
    return Settings(structure, kind, chosen, molblock, tuple(columns))


@lru_cache(maxsize=16)
def _chosen(names: tuple[str, ...]):
    return select(list(names))


@lru_cache(maxsize=16)
def _dtypes(names: tuple[str, ...]) -> dict[str, str]:
    """Column dtypes from a reference molecule (L-alanine): integers stay integers when a row fails."""
    row, _ = properties.values(Chem.MolFromSmiles("C[C@H](N)C(=O)O"), _chosen(names))
    out = {}
    for name, value in row.items():
        if isinstance(value, bool):
            out[name] = "boolean"
        elif isinstance(value, int):
            out[name] = "Int64"
        elif isinstance(value, float):
            out[name] = "float64"
        elif isinstance(value, str):
            out[name] = "str"
        else:
            out[name] = "object"
    return out


def compute_chunk(
    frame: pd.DataFrame | formats.Rows | formats.Block,
    settings: Settings,
    skip: dict[int, dict[str, str]] | None = None,
    watch: Watch | None = None,
) -> pd.DataFrame | formats.Rows:
    """The input rows with the computed columns and `error` added, same index, same order, same kind.

    `skip` maps a row's position to {step: message} for steps not to run ("*" fails the whole row);
    `watch` records progress for the time-limit watchdog.
    """
    if isinstance(frame, formats.Block):  # a block of a CSV file, read where the task runs (a Dask worker)
        frame = formats.read_block(frame, settings.columns)
    plain = isinstance(frame, formats.Rows)
    source = frame.data if plain else frame
    n = len(frame)
    texts = list(source[settings.structure]) if settings.structure in source else [None] * n
    read_errors = list(source[formats.READ_ERROR]) if formats.READ_ERROR in source else None
    sources = None
    if settings.kind == "name":  # names, CAS numbers, InChIKeys: the structure each names, or why none
        found = resolve_names(texts)
        sources = [f.source if not isinstance(f, str) else "" for f in found]
        texts = [f.mol if not isinstance(f, str) else None for f in found]
        read_errors = [
            f if isinstance(f, str) else (read_errors[i] if read_errors else "") for i, f in enumerate(found)
        ]
    columns, errors, blocks = compute_rows(texts, settings, read_errors, skip, watch)
    computed: dict[str, list] = {**columns, ERROR: errors}
    if sources is not None:
        computed[SOURCE] = sources
    if blocks is not None:
        computed[formats.MOLBLOCK] = blocks
    dtypes = {**_dtypes(settings.descriptors), ERROR: "str", SOURCE: "str", formats.MOLBLOCK: "str"}
    renamed = _renamed(list(source), computed)
    if plain:
        kept = {renamed.get(c, c): v for c, v in frame.data.items() if c != formats.READ_ERROR}
        return formats.Rows({**kept, **computed}, frame.start, {**frame.dtypes, **dtypes})
    import pandas as pd

    out = formats.Rows(computed, dtypes=dtypes).frame()  # each column in its dtype, as the plain route writes it
    out.index = frame.index
    kept = frame.drop(columns=[formats.READ_ERROR], errors="ignore").rename(columns=renamed)
    return pd.concat([kept, out], axis=1)


def _renamed(columns: list[str], computed: dict) -> dict[str, str]:
    """New names of the input columns that a computed column takes: `input_<name>`, prefixed again while that
    is taken too (an input may already hold `input_formula`), so no column is lost or doubled."""
    taken = set(columns) | set(computed)
    out = {}
    for column in columns:
        if column in computed:
            name = f"{INPUT_PREFIX}{column}"
            while name in taken:
                name = f"{INPUT_PREFIX}{name}"
            taken.add(name)
            out[column] = name
    return out


def compute_rows(
    texts: list,
    settings: Settings,
    read_errors: list | None = None,
    skip: dict[int, dict[str, str]] | None = None,
    watch: Watch | None = None,
) -> tuple[dict[str, list], list[str], list[str] | None]:
    """The computed columns (name -> values), the error of each row and, when asked, MOL blocks: the
    per-molecule loop of `compute_chunk`, on plain lists."""
    chosen = settings.chosen
    names = properties.columns(chosen)
    n = len(texts)
    columns: dict[str, list] = {name: [None] * n for name in names}
    errors = [""] * n
    blocks = [""] * n if settings.molblock and settings.kind != "molblock" else None
    mark = watch.step if watch is not None else None
    with rdBase.BlockLogs():
        for i, text in enumerate(texts):
            if read_errors is not None and isinstance(read_errors[i], str) and read_errors[i]:
                errors[i] = read_errors[i]
                continue
            row_skip = skip.get(i) if skip else None
            if row_skip and "*" in row_skip:
                errors[i] = row_skip["*"]
                continue
            if watch is not None:
                watch.row(i)
                watch.step(-1)
            try:
                mol = text if isinstance(text, Chem.Mol) else parse_cell(text, settings.kind)
            except ParseError as exc:
                errors[i] = one_line(exc)
                continue
            except Exception as exc:  # noqa: BLE001 - any parser failure is this row's message
                errors[i] = f"cannot parse: {one_line(exc)}"
                continue
            row, problems = properties.values(mol, chosen, row_skip, mark, own=True)
            for name in names:
                columns[name][i] = row[name]
            if problems:
                errors[i] = "; ".join(problems)
            if blocks is not None:
                try:
                    blocks[i] = Chem.MolToMolBlock(mol)
                except Exception as exc:  # noqa: BLE001
                    errors[i] = "; ".join(filter(None, [errors[i], f"molblock: {one_line(exc)}"]))
    if watch is not None:
        watch.idle()
    for d in chosen:
        if d.name not in properties.BASE_COLUMNS:
            columns[d.name] = properties.rounded(columns[d.name])
    return columns, errors, blocks


def failed(frame: pd.DataFrame | formats.Rows) -> int:
    """Rows of a computed chunk with an error."""
    if isinstance(frame, formats.Rows):
        return sum(1 for e in frame.data[ERROR] if e)
    return int((frame[ERROR].fillna("") != "").sum())


@dataclass(frozen=True)
class BatchTask:
    """The engine's task for a batch: compute a chunk, count its failures, encode it for the output."""

    settings: Settings
    fmt: str | None = None  # output format: results are encoded to it (None: the computed chunks)
    title: str | None = None  # column for the SDF title line

    @property
    def steps(self) -> list[str]:
        return properties.steps(self.settings.chosen)

    def __call__(self, chunk, skip, watch):
        return compute_chunk(chunk, self.settings, skip, watch)

    def count(self, result) -> tuple[int, int]:
        return len(result), failed(result)

    def encode(self, result, first: bool):
        return formats.encode(result, first, self.fmt, self.title) if self.fmt else result


MAX_CHUNK = 1000  # rows: large enough that a chunk's fixed cost (about a millisecond) vanishes
MIN_CHUNK = 50
CHUNKS_PER_WORKER = 4  # on a small input: enough chunks that no worker idles long while another finishes


def auto_chunk_size(rows: int | None, jobs: int) -> int:
    """Rows per chunk from the input's size: MAX_CHUNK on big inputs; on small ones a size that gives every
    worker CHUNKS_PER_WORKER chunks (1,000 rows on 2 jobs: 8 chunks of 125), so both cores stay busy."""
    if rows is None:
        return MAX_CHUNK
    return max(MIN_CHUNK, min(MAX_CHUNK, -(-rows // (max(1, jobs) * CHUNKS_PER_WORKER))))


def _chunks_for(source: str, input_format: str | None, chunk_size: int | None, engine_name: str, plain: bool,
                jobs: int):  # fmt: skip
    """The input reader and its chunks: for Dask, a CSV/TSV file is cut into blocks that the workers read."""
    reader = formats.Input(source, input_format, chunk_size or MAX_CHUNK)
    if chunk_size is None:
        chunk_size = reader.chunk_size = auto_chunk_size(reader.estimated_rows(), jobs)
    if engine_name == "dask" and reader.format.name in ("csv", "tsv") and source != "-":
        sep = "," if reader.format.name == "csv" else "\t"
        columns, blocks = formats.delimited_blocks(source, sep, max(1024, chunk_size * 100))
        return reader, columns, iter(blocks)
    chunks = reader.chunks(plain=plain)
    first = next(chunks, None)
    if first is None:
        return reader, None, iter(())
    return reader, list(first.columns), _chain(first, chunks)


def _chain(first, rest):
    yield first
    yield from rest


def batch(
    source: str,
    output: str | None = None,
    *,
    input_format: str | None = None,
    output_format: str | None = None,
    smiles_col: str | None = None,
    id_col: str | None = None,
    descriptors: str | list[str] | None = "core",
    jobs: int | None = None,
    chunk_size: int | None = None,
    engine_name: str = "local",
    scheduler: str | None = "local",
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    progress: Callable[[Summary, float | None], None] | None = None,
    name_col: str | None = None,
) -> Summary:
    """Read `source` in chunks, compute, write `output` (stdout when None; a folder: a Parquet dataset) through
    a temporary file, on the local engine or on Dask. `chunk_size` None: from the input's size (auto_chunk_size).
    `name_col`: without a structure column, the column of names, CAS numbers or InChIKeys to resolve (offline)."""
    writer = formats.Output(output, output_format, title=id_col, inputs=source)
    out_format = writer.format.name
    try:
        workers = engine.default_jobs() if jobs is None else jobs
        reader, columns, chunks = _chunks_for(source, input_format, chunk_size, engine_name, writer.format.plain,
                                              workers)  # fmt: skip
        with reader:
            if columns is None:
                settings = Settings(descriptors=tuple(d.name for d in select(descriptors)))
            else:
                kind = reader.format.structure
                settings = settings_for(columns, kind, smiles_col, descriptors, out_format == "sdf", name_col)
            if id_col is not None:
                formats.find_column(columns or [], id_col, "id")
            read = [0, False]  # rows read so far, all read

            def counted():
                for chunk in chunks:
                    read[0] += len(chunk) if not isinstance(chunk, formats.Block) else 0
                    yield chunk
                read[1] = True

            def report(summary: Summary) -> None:
                # Share done: rows written over the total, known once all is read, else estimated from the
                # bytes read (unknown while the reader's buffer holds the end of the file).
                if not progress:
                    return
                share = reader.fraction
                total = read[0] if read[1] else (read[0] / share if share and share < 1 else None)
                progress(summary, min(1.0, summary.rows / total) if total else None)

            task = BatchTask(settings, out_format, id_col)
            if columns is None:
                writer.write(writer.encode(compute_chunk(formats.Rows({"smiles": []}), settings), True))
                summary = Summary()
            else:
                summary = engine.run(counted(), task, writer.write, engine=engine_name, jobs=jobs,
                                     time_limit=time_limit, scheduler=scheduler, progress=report)  # fmt: skip
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    return summary


# --- properties of a few structures, each under the time limit -----------------------------------------------
@dataclass(frozen=True)
class PropertiesTask:
    """The engine's task for `props`: the values of each molecule of a chunk, step by step under the watch."""

    descriptors: tuple[str, ...]

    @property
    def steps(self) -> list[str]:
        return properties.steps(_chosen(self.descriptors))

    def __call__(self, mols: list, skip, watch):
        chosen = _chosen(self.descriptors)
        out = []
        with rdBase.BlockLogs():
            for i, mol in enumerate(mols):
                row_skip = (skip or {}).get(i)
                if row_skip and "*" in row_skip:
                    out.append((None, [row_skip["*"]]))
                    continue
                if watch is not None:
                    watch.row(i)
                out.append(properties.values(mol, chosen, row_skip, watch.step if watch else None))
        if watch is not None:
            watch.idle()
        return out

    def count(self, result) -> tuple[int, int]:
        return len(result), sum(bool(problems) for _, problems in result)

    def encode(self, result, first: bool):
        return result


def properties_of_structures(
    structures: list, descriptors: str | list[str] | None = "core", time_limit: float | None = DEFAULT_TIME_LIMIT
) -> list[properties.Properties]:
    """`Properties` of each structure, computed in a worker under the per-step time limit: a molecule that hangs or
    crashes a step (a 20,000-atom chain overflows RDKit's SMILES writer) keeps its other values, with the reason."""
    chosen = select(descriptors)
    if not structures:
        return []
    parts: list = []
    task = PropertiesTask(tuple(d.name for d in chosen))
    engine.run([[s.mol for s in structures]], task, parts.append, jobs=1, time_limit=time_limit)
    out = [properties.from_values(row, chosen, s.name, problems) for s, (row, problems) in zip(structures, parts[0])]
    for result, structure in zip(out, structures):
        result.source = structure.source
    return out


def properties_of_query(
    queries: Sequence[str],
    descriptors: str | list[str] | None = "core",
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    *,
    online: bool | None = None,
    strict: bool = False,
) -> list[properties.Properties]:
    """Properties of what each query names (see `resolve_many`), in query order; a query that names nothing gives
    a result with only its `error` (or raises it, when `strict`), and the others are still computed."""
    slots: list = []
    for query in queries:
        try:
            slots.extend(resolve_many(query, online))
        except ChempropsError as exc:
            if strict:
                raise
            slots.append(properties.Properties.failed(query, one_line(exc)))
    found = [s for s in slots if isinstance(s, Structure)]
    computed = iter(properties_of_structures(found, descriptors, time_limit))
    return [next(computed) if isinstance(s, Structure) else s for s in slots]


# --- the Python API ---------------------------------------------------------------------------------------
def compute(
    data,
    descriptors: str | list[str] | None = "core",
    *,
    jobs: int | None = 1,
    smiles_col: str | None = None,
    chunk_size: int | None = None,
    time_limit: float | None = None,
    engine_name: str = "local",
    scheduler: str | None = "local",
) -> pd.DataFrame:
    """Properties of SMILES (a string, a list, a Series) or of a DataFrame's SMILES column, as a DataFrame.

    Same chunk function, columns and engines as `chemprops batch`; rows out = rows in, failures in `error`.

    >>> compute(["CCO", "C1CC1("])["error"].tolist()
    ['', "cannot parse SMILES 'C1CC1(': SMILES syntax error"]
    """
    import pandas as pd

    if isinstance(data, str):
        data = [data]
    if isinstance(data, pd.Series):
        data = data.to_frame(name=data.name if data.name is not None else "smiles")
    if not isinstance(data, pd.DataFrame):
        data = pd.DataFrame({"smiles": list(data)})
    settings = settings_for(data.columns, smiles_col=smiles_col, descriptors=descriptors)
    workers = engine.default_jobs() if jobs is None else jobs
    chunk_size = max(1, int(chunk_size)) if chunk_size else auto_chunk_size(len(data), workers)
    chunks = (data.iloc[i : i + chunk_size] for i in range(0, len(data), chunk_size))
    parts: list[pd.DataFrame] = []
    engine.run(chunks, BatchTask(settings), parts.append, engine=engine_name, jobs=jobs, time_limit=time_limit,
               scheduler=scheduler)  # fmt: skip
    if not parts:
        return compute_chunk(data.iloc[:0], settings)
    return pd.concat(parts)
