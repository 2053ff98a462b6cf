"""Tabular input and output for batches: one registry entry per format, streaming in chunks.

A reader turns an open binary file into DataFrames of at most `chunk_size` rows, every value kept as read
(text formats as strings, so nothing is reformatted on the way out). A line or record that cannot be read
still becomes a row, with its reason in the `_read_error` column, so that rows out = rows in.

The text formats (CSV, TSV, .smi) are read with the standard library's `csv` module into `Rows`, plain
columns of strings; a batch from CSV to CSV or TSV then runs without importing pandas (half a second of
start-up), and `Rows.frame()` gives the DataFrame everything else takes. Both write the same bytes.

An encoder turns a computed chunk into bytes (CSV, TSV, JSON lines, SDF); Parquet is written by a
`pyarrow.parquet.ParquetWriter`. `Output` writes to a temporary file beside the target and renames it on
success only, so an interrupted run never leaves a truncated file under the output's name.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from chemprops.errors import InputError, one_line

if TYPE_CHECKING:
    import pandas as pd

csv.field_size_limit(2**31 - 1)  # the csv module's default (131,072 characters) is short for a MOL block or a note

READ_ERROR = "_read_error"  # column a reader fills when a line or record cannot be read
MOLBLOCK = "molblock"  # column holding an MDL MOL block (SDF input, SDF output)

# Column names taken as the SMILES column when --smiles-col is not given, in order of preference.
SMILES_NAMES = ("smiles", "canonical_smiles", "isomeric_smiles", "cxsmiles", "smiles_string", "smi", "structure")


# --- plain chunks ----------------------------------------------------------------------------------------
@dataclass
class Rows:
    """A chunk of a table without pandas: column name -> cells, the first row's number, computed dtypes.

    Read cells are strings. Computed columns hold Python values and have a pandas dtype name in `dtypes`
    (others are text), so that `frame()` and the CSV encoder give what the DataFrame route gives.
    """

    data: dict[str, list]
    start: int = 0  # row number of the first row in the whole input (the DataFrame index)
    dtypes: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return list(self.data)

    def __len__(self) -> int:
        return len(next(iter(self.data.values()), ()))

    def frame(self) -> pd.DataFrame:
        """The same chunk as a DataFrame: text as `str`, computed columns in their dtype (object if not)."""
        import pandas as pd

        index = pd.RangeIndex(self.start, self.start + len(self))
        out = {}
        for name, values in self.data.items():
            series = pd.Series(values, index=index, dtype="object")
            try:
                out[name] = series.astype(self.dtypes.get(name, "str"))
            except (TypeError, ValueError):
                out[name] = series
        return pd.DataFrame(out, index=index)


def _header(names: list[str]) -> list[str]:
    """Column names as pandas makes them: blanks become "Unnamed: i", repeats "name.1", "name.2"."""
    out: list[str] = []
    for i, name in enumerate(names):
        name = name or f"Unnamed: {i}"
        base, k = name, 0
        while name in out:
            k += 1
            name = f"{base}.{k}"
        out.append(name)
    return out


# --- readers ----------------------------------------------------------------------------------------------
def _read_delimited(sep: str) -> Callable[[BinaryIO, int], Iterator[Rows]]:
    """CSV or TSV with a header. A line with more fields than the header keeps its row (the first fields)
    with the reason in `_read_error`; a short or blank line is padded with empty cells."""

    def read(handle: BinaryIO, chunk_size: int) -> Iterator[Rows]:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="replace", newline="")
        try:
            yield from _parse_delimited(text, sep, chunk_size)
        finally:
            try:
                text.detach()  # the caller closes the file, not this wrapper
            except ValueError:  # already closed: the run was interrupted
                pass

    return read


def _parse_delimited(
    text: Iterable[str],
    sep: str,
    chunk_size: int,
    columns: list[str] | None = None,
    first_line: int = 0,
    at_end: bool = True,
) -> Iterator[Rows]:
    """Rows from the lines of a delimited table: its header first, unless `columns` are given (a block of
    a file that starts after `first_line` lines). `at_end`: the text ends where the file ends."""
    record_lines: list[str] = []  # the physical lines of the record being read

    def lines():
        for line in text:
            record_lines.append(line)
            yield line

    reader = csv.reader(lines(), delimiter=sep)
    try:
        if columns is None:
            header = next(reader, None)
            if header is None:
                return
            record_lines.clear()
            columns = _header(header)
        width = len(columns)
        rows: list[list[str]] = []
        errors: list[str] = []
        start = 0
        last: list[str] = []
        for record in reader:
            last, record_lines[:] = record_lines[:], []
            if len(record) > width:
                extra = one_line(sep.join(record[width:]), 60)
                errors.append(
                    f"line {first_line + reader.line_num}: {len(record)} fields where the header has {width} "
                    f"(extra: {extra!r})"
                )
                record = record[:width]
            else:
                errors.append("")
                if len(record) < width:
                    record = record + [""] * (width - len(record))
            rows.append(record)
            if len(rows) >= chunk_size:
                yield _rows(columns, rows, errors, start)
                start += len(rows)
                rows, errors = [], []
        # A quote opened and never closed swallows the rest of the file into the last field; the lenient
        # reader takes it, the strict one says so.
        if at_end and last and _ends_inside_quotes(last, sep):
            opened = first_line + reader.line_num - len(last) + 1
            raise InputError(
                f"cannot read the table: a quoted field opened on line {opened} is not closed before the end of the file"
            )
        if rows or start == 0:  # a header without rows still gives its columns
            yield _rows(columns, rows, errors, start)
    except csv.Error as exc:
        raise InputError(f"cannot read the table: line {first_line + reader.line_num}: {one_line(exc)}") from exc


def _ends_inside_quotes(lines: list[str], sep: str) -> bool:
    try:
        list(csv.reader(lines, delimiter=sep, strict=True))
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


# --- blocks of a delimited file, for a cluster ------------------------------------------------------------
@dataclass(frozen=True)
class Block:
    """Bytes [begin, end) of a delimited file, whole records after the header; `lines` come before it."""

    path: str
    sep: str
    begin: int
    end: int
    lines: int
    last: bool


# Where universal newlines end a line (LF, CRLF or a lone CR), as the local reader's text layer splits them.
_LINE_END = re.compile(rb"(?<=\n)|(?<=\r)(?!\n)")


def _physical_lines(handle: BinaryIO) -> Iterator[bytes]:
    """The file's lines with their ends, byte for byte, split as universal newlines split them."""
    rest = b""
    while piece := handle.read(1 << 22):
        parts = _LINE_END.split(rest + piece)
        rest = parts.pop()
        if parts and parts[-1].endswith(b"\r"):  # a CR at the end of a piece may be the start of a CRLF
            rest = parts.pop() + rest
        yield from parts
    if rest:
        yield rest


def delimited_blocks(path: str, sep: str, size: int) -> tuple[list[str], list[Block]]:
    """The header's columns and the file cut into blocks of about `size` bytes at record ends, found by the
    same csv parser as the local reader runs (one pass on the client), so that a cluster reading each block on
    its own gets the local engine's rows and line numbers, quoted line breaks and stray quotes included."""
    total = os.path.getsize(path)
    consumed = 0  # bytes of the lines the parser has taken

    with open(path, "rb") as handle:

        def text():
            nonlocal consumed
            for raw in _physical_lines(handle):
                consumed += len(raw)
                yield raw.decode("utf-8", errors="surrogateescape")

        reader = csv.reader(text(), delimiter=sep)
        try:
            header = next(reader, [])
            if header and header[0].startswith("\ufeff"):  # the BOM, as utf-8-sig drops it
                header[0] = header[0][1:]
            columns = _header(header)
            blocks: list[Block] = []
            begin, lines = consumed, reader.line_num
            for _ in reader:
                if consumed - begin >= size:
                    blocks.append(Block(path, sep, begin, consumed, lines, consumed >= total))
                    begin, lines = consumed, reader.line_num
        except csv.Error as exc:
            raise InputError(f"cannot read the table: line {reader.line_num}: {one_line(exc)}") from exc
    if begin < total or not blocks:
        blocks.append(Block(path, sep, begin, total, lines, True))
    return columns, blocks


def read_block(block: Block, columns: list[str]) -> pd.DataFrame:
    """One block as a DataFrame of text, `_read_error` always present (empty where the line was read)."""
    with open(block.path, "rb") as handle:
        handle.seek(block.begin)
        data = handle.read(block.end - block.begin).decode("utf-8", errors="replace")
    lines = io.StringIO(data, newline="")
    parts = list(_parse_delimited(lines, block.sep, max(1, len(data)), columns, block.lines, block.last))
    rows = parts[0] if parts else Rows({c: [] for c in columns})
    rows.data.setdefault(READ_ERROR, [""] * len(rows))
    return rows.frame()  # indexed from 0 in each block, as dask's own readers index partitions


def _rows(columns: list[str], rows: list[list[str]], errors: list[str], start: int) -> Rows:
    cells = list(zip(*rows)) if rows else [()] * len(columns)
    data = {name: list(values) for name, values in zip(columns, cells)}
    if any(errors):
        data[READ_ERROR] = errors
    return Rows(data, start)


def _lines(handle: BinaryIO) -> Iterator[str]:
    for raw in handle:
        yield raw.decode("utf-8", errors="replace").rstrip("\r\n")


def _chunks(rows: Iterator[dict], chunk_size: int, columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
    import pandas as pd

    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= chunk_size:
            yield pd.DataFrame(batch, columns=columns)
            batch = []
    if batch:
        yield pd.DataFrame(batch, columns=columns)


def split_smi_line(line: str) -> tuple[str, str]:
    """SMILES (with its CXSMILES `|...|` extension, if any) and the name after it.

    >>> split_smi_line("C[C@H](N)C(=O)O |&1:1| alanine")
    ('C[C@H](N)C(=O)O |&1:1|', 'alanine')
    """
    text = line.strip()
    parts = text.split(None, 1)
    smiles, rest = (parts + ["", ""])[:2]
    if rest.startswith("|"):
        end = rest.find("|", 1)
        if end > 0:
            smiles, rest = f"{smiles} {rest[: end + 1]}", rest[end + 1 :].strip()
    return smiles, rest


def _read_smi(handle: BinaryIO, chunk_size: int) -> Iterator[Rows]:
    smiles: list[str] = []
    names: list[str] = []
    start = 0
    for number, line in enumerate(_lines(handle)):
        text, name = split_smi_line(line)
        if number == 0 and text.lower() == "smiles":
            continue  # a header line
        smiles.append(text)
        names.append(name)
        if len(smiles) >= chunk_size:
            yield Rows({"smiles": smiles, "name": names}, start)
            start += len(smiles)
            smiles, names = [], []
    if smiles:
        yield Rows({"smiles": smiles, "name": names}, start)


def _read_jsonl(handle: BinaryIO, chunk_size: int) -> Iterator[pd.DataFrame]:
    def rows():
        for line in _lines(handle):
            try:
                value = json.loads(line)
            except ValueError as exc:
                yield {READ_ERROR: f"not a JSON line: {one_line(exc, 120)}"}
                continue
            yield value if isinstance(value, dict) else {READ_ERROR: "JSON line is not an object"}

    yield from _chunks(rows(), chunk_size)


def _sdf_record(lines: list[str]) -> dict:
    """One SDF record: its title as `name`, its data items, and its MOL block."""
    end = next((i for i, line in enumerate(lines) if line.startswith("M  END")), None)
    if end is None:
        return {"name": lines[0].strip() if lines else "", MOLBLOCK: "\n".join(lines), READ_ERROR: "no M  END line"}
    row = {"name": lines[0].strip(), MOLBLOCK: "\n".join(lines[: end + 1]) + "\n"}
    field, values = None, []
    for line in lines[end + 1 :]:
        if line.startswith(">"):
            if field is not None:
                row[field] = "\n".join(values).strip("\n")
            m = re.search(r"<([^>]*)>", line)
            field, values = (m.group(1) if m else line[1:].strip()), []
        elif field is not None:
            values.append(line)
    if field is not None:
        row[field] = "\n".join(values).strip("\n")
    return row


def _read_sdf(handle: BinaryIO, chunk_size: int) -> Iterator[pd.DataFrame]:
    def rows():
        record: list[str] = []
        for line in _lines(handle):
            if line.startswith("$$$$"):
                yield _sdf_record(record)
                record = []
            else:
                record.append(line)
        if any(line.strip() for line in record):
            yield _sdf_record(record)

    yield from _chunks(rows(), chunk_size)


def _read_parquet(handle: BinaryIO, chunk_size: int) -> Iterator[pd.DataFrame]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(handle)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a file that is not Parquet
        raise InputError(f"not a Parquet file: {one_line(exc)}") from exc
    for batch in parquet.iter_batches(batch_size=chunk_size):
        yield batch.to_pandas()


# --- encoders ---------------------------------------------------------------------------------------------
def _encode_delimited(sep: str) -> Callable[[pd.DataFrame | Rows, bool], bytes]:
    def encode(frame: pd.DataFrame | Rows, first: bool) -> bytes:
        if isinstance(frame, Rows):
            cells = [_text_cells(values, frame.dtypes.get(name, "str")) for name, values in frame.data.items()]
            if all(c is not None for c in cells):
                out = io.StringIO()
                writer = csv.writer(out, delimiter=sep, lineterminator="\n")  # what pandas' to_csv uses
                if first:
                    writer.writerow(frame.columns)
                writer.writerows(zip(*cells))
                return out.getvalue().encode("utf-8")
            frame = frame.frame()  # a value pandas would convert its own way: let pandas write it
        return frame.to_csv(sep=sep, header=first, index=False, lineterminator="\n").encode("utf-8")

    return encode


_MAX_EXACT_INT = 2**53  # larger integers do not survive the trip through float64 unchanged


def _text_cells(values: list, dtype: str) -> list[str] | None:
    """The cells of one column as `DataFrame.to_csv` writes that column in its dtype (missing values as
    empty cells, floats in shortest round-trip form, "True"/"False"); None when a value is not of the
    column's type, as pandas then converts or keeps it its own way."""
    out = []
    if dtype == "float64":
        for v in values:
            kind = type(v)
            if v is None:
                out.append("")
            elif isinstance(v, float):  # numpy's float64 too
                out.append(repr(float(v)) if v == v else "")
            elif kind is int and -_MAX_EXACT_INT <= v <= _MAX_EXACT_INT:
                out.append(repr(float(v)))
            else:
                return None
    elif dtype == "Int64":
        for v in values:
            kind = type(v)
            if v is None:
                out.append("")
            elif kind is int:
                out.append(str(v))
            else:
                return None
    elif dtype == "boolean":
        for v in values:
            if v is None:
                out.append("")
            elif type(v) is bool:
                out.append("True" if v else "False")
            else:
                return None
    else:  # text ("str") and object columns holding text
        for v in values:
            if type(v) is str:
                out.append(v)
            elif v is None:
                out.append("")
            else:
                return None
    return out


def _encode_jsonl(frame: pd.DataFrame, first: bool) -> bytes:
    if frame.empty:
        return b""
    text = frame.to_json(orient="records", lines=True, force_ascii=False, double_precision=15)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


EMPTY_MOLBLOCK = "\n     chemprops\n\n  0  0  0  0  0  0  0  0  0  0999 V2000\nM  END\n"


def _sd_value(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value) or type(value).__name__ == "NAType":
        return ""
    return str(value)


def _encode_sdf(frame: pd.DataFrame, first: bool, title: str | None = None) -> bytes:
    out = io.StringIO()
    fields = [c for c in frame.columns if c != MOLBLOCK]
    title = title if title in frame.columns else ("name" if "name" in frame.columns else None)
    blocks = frame[MOLBLOCK] if MOLBLOCK in frame.columns else [""] * len(frame)
    for block, (_, row) in zip(blocks, frame.iterrows()):
        block = block if isinstance(block, str) and "M  END" in block else EMPTY_MOLBLOCK
        lines = block.rstrip("\n").split("\n")
        if title:
            lines[0] = _sd_value(row[title]).replace("\n", " ")
        out.write("\n".join(lines) + "\n")
        for name in fields:
            value = _sd_value(row[name])
            out.write(f">  <{name}>\n{value}\n\n" if value else f">  <{name}>\n\n")
        out.write("$$$$\n")
    return out.getvalue().encode("utf-8")


# --- the registry -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Format:
    """One input/output format: its name, file suffixes, reader and encoder (None when not supported)."""

    name: str
    suffixes: tuple[str, ...]
    reader: Callable[[BinaryIO, int], Iterator[pd.DataFrame | Rows]] | None
    encoder: Callable[..., bytes] | None
    description: str
    plain: bool = False  # the reader gives Rows, and the encoder takes them


    @property
    def structure(self) -> str:
        """What the reader's structure column holds: SMILES or MOL blocks."""
        return "molblock" if self.name == "sdf" else "smiles"


FORMATS: dict[str, Format] = {
    f.name: f
    for f in [
        Format("csv", (".csv",), _read_delimited(","), _encode_delimited(","), "comma-separated, with a header", True),
        Format("tsv", (".tsv", ".tab"), _read_delimited("\t"), _encode_delimited("\t"), "tab-separated", True),
        Format("smi", (".smi", ".smiles", ".ism", ".cxsmi"), _read_smi, None, "SMILES[ name] per line", True),
        Format("sdf", (".sdf", ".sd", ".mol"), _read_sdf, _encode_sdf, "MDL SD file (.sdf.gz too)"),
        Format("jsonl", (".jsonl", ".ndjson", ".json"), _read_jsonl, _encode_jsonl, "one JSON object per line"),
        Format("parquet", (".parquet", ".pq"), _read_parquet, None, "Apache Parquet"),
    ]
}
OUTPUT_FORMATS = ("csv", "tsv", "jsonl", "sdf", "parquet")


def format_of(path: str | Path, given: str | None = None, default: str = "csv") -> Format:
    """The format named by `given`, else by the file's suffix (`.gz` looked through), else `default`."""
    if given:
        if given not in FORMATS:
            raise InputError(f"unknown format {given!r}; choose from {', '.join(FORMATS)}")
        return FORMATS[given]
    if str(path) == "-":
        return FORMATS[default]
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    suffix = suffixes[-1] if suffixes else ""
    for fmt in FORMATS.values():
        if suffix in fmt.suffixes:
            return fmt
    if not suffix:
        return FORMATS[default]
    raise InputError(f"unknown file type {suffix!r} for {path}; give --input-format or --output-format")


class Input:
    """An open input file (or stdin): its format, chunks and how far reading has got."""

    def __init__(self, path: str | Path, fmt: str | None = None, chunk_size: int = 1000):
        self.path = str(path)
        self.format = format_of(path, fmt)
        self.chunk_size = max(1, int(chunk_size))
        self.size: int | None = None
        if self.path == "-":
            self._raw = sys.stdin.buffer
        else:
            try:
                self._raw = open(self.path, "rb")  # noqa: SIM115 - closed by close()
                self.size = os.fstat(self._raw.fileno()).st_size
            except OSError as exc:
                raise InputError(f"cannot read {self.path}: {exc.strerror or exc}") from exc
        self.handle: BinaryIO = self._raw
        if self.path.lower().endswith(".gz"):
            self.handle = gzip.open(self._raw, "rb")  # type: ignore[assignment]
        if self.format.reader is None:
            raise InputError(f"cannot read {self.format.name} input")

    def _scan_columns(self) -> list[str] | None:
        """Every field name of an SDF or JSON-lines file (records may differ), read once before the chunks."""
        if self.format.name not in ("sdf", "jsonl") or self.size is None:
            return None
        names: dict[str, None] = {"name": None} if self.format.name == "sdf" else {}
        with open(self.path, "rb") as raw:
            handle = gzip.open(raw, "rb") if self.path.lower().endswith(".gz") else raw
            for line in _lines(handle):
                if self.format.name == "sdf":
                    if line.startswith(">"):
                        m = re.search(r"<([^>]*)>", line)
                        names[m.group(1) if m else line[1:].strip()] = None
                    continue
                try:
                    value = json.loads(line)
                except ValueError:
                    continue
                if isinstance(value, dict):
                    names.update(dict.fromkeys(value))
        return list(names) + ([MOLBLOCK] if self.format.name == "sdf" else [])

    def chunks(self, plain: bool = False) -> Iterator[pd.DataFrame | Rows]:
        """DataFrames of at most chunk_size rows, in input order, all with the same columns; with `plain`,
        `Rows` where the format's reader gives them (CSV, TSV, .smi)."""
        columns = self._scan_columns()
        try:
            for chunk in self.format.reader(self.handle, self.chunk_size):
                if isinstance(chunk, Rows):
                    if plain:
                        yield chunk
                        continue
                    chunk = chunk.frame()
                if columns is None:
                    columns = [c for c in chunk.columns if c != READ_ERROR]
                keep = columns + ([READ_ERROR] if READ_ERROR in chunk.columns else [])
                if list(chunk.columns) != keep:
                    chunk = chunk.reindex(columns=keep)
                yield chunk
        except (OSError, EOFError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read {self.path}: {one_line(exc)}") from exc

    @property
    def fraction(self) -> float | None:
        """Share of the file read so far (None for stdin)."""
        if not self.size:
            return None
        try:
            return min(1.0, self._raw.tell() / self.size)
        except (OSError, ValueError):
            return None

    def close(self) -> None:
        if self._raw is not sys.stdin.buffer:
            self._raw.close()

    def __enter__(self) -> Input:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def find_column(columns: list[str], wanted: str | None, what: str = "SMILES", names=SMILES_NAMES) -> str:
    """The column named `wanted`, else the first of `names` present (any case); InputError listing columns."""
    listing = ", ".join(map(str, columns)) or "(none)"
    if wanted is not None:
        if wanted in columns:
            return wanted
        raise InputError(f"no column {wanted!r}; the columns are: {listing}")
    lower = {str(c).lower(): c for c in columns}
    for name in names:
        if name in lower:
            return lower[name]
    option = "--smiles-col" if what == "SMILES" else "--id-col"
    raise InputError(f"no {what} column found; the columns are: {listing}; name one with {option}")


def encode(frame: pd.DataFrame | Rows, first: bool, fmt: str, title: str | None = None) -> bytes | pd.DataFrame:
    """What a worker returns for one chunk: bytes (with a header when first), or the frame for Parquet."""
    if isinstance(frame, Rows) and not FORMATS[fmt].plain:
        frame = frame.frame()
    if fmt == "parquet":
        return frame
    if fmt == "sdf":
        return _encode_sdf(frame, first, title)
    return FORMATS[fmt].encoder(frame, first)


# --- output -----------------------------------------------------------------------------------------------
class Output:
    """Chunks appended to a temporary file beside `path`, renamed to `path` by `commit()` (stdout: `-`)."""

    def __init__(self, path: str | Path | None, fmt: str | None = None, title: str | None = None):
        self.path = None if path in (None, "-") else Path(path)
        self.format = format_of(self.path or "-", fmt)
        if self.format.name not in OUTPUT_FORMATS:
            raise InputError(f"cannot write {self.format.name}; output formats: {', '.join(OUTPUT_FORMATS)}")
        if self.format.name == "parquet" and self.path is None:
            raise InputError("Parquet output needs -o FILE")
        self.title = title
        self._first = True
        self._parquet = None
        self._schema = None
        if self.path is None:
            self.temp = None
            self._handle = sys.stdout.buffer
        else:
            if self.path.is_dir():
                raise InputError(f"{self.path} is a folder; give a file name")
            self.temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.part")
            try:
                self._handle = open(self.temp, "wb")  # noqa: SIM115 - closed by commit()/abort()
            except OSError as exc:
                raise InputError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
            if self.path.name.lower().endswith(".gz"):
                self._handle = gzip.open(self._handle, "wb")

    def encode(self, frame: pd.DataFrame | Rows, first: bool) -> bytes | pd.DataFrame:
        return encode(frame, first, self.format.name, self.title)

    def write(self, payload: bytes | pd.DataFrame) -> None:
        if isinstance(payload, bytes):
            self._handle.write(payload)
            if self.path is None:
                self._handle.flush()
        else:
            self._write_parquet(payload)
        self._first = False

    def _write_parquet(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._parquet is None:
            table = pa.Table.from_pandas(frame, preserve_index=False)
            # A column with no value in the first chunk has no type yet: take text.
            fields = [f.with_type(pa.string()) if pa.types.is_null(f.type) else f for f in table.schema]
            self._schema = pa.schema(fields, metadata=table.schema.metadata)
            self._parquet = pq.ParquetWriter(self._handle, self._schema)
        try:
            table = pa.Table.from_pandas(frame, schema=self._schema, preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise InputError(f"a later chunk does not fit the Parquet schema: {one_line(exc)}") from exc
        self._parquet.write_table(table)

    @property
    def first(self) -> bool:
        return self._first

    def commit(self) -> None:
        """Finish the file and give it its name."""
        if self._parquet is not None:
            self._parquet.close()
        if self.path is None:
            self._handle.flush()
            return
        self._handle.close()
        os.replace(self.temp, self.path)

    def abort(self) -> None:
        """Drop the temporary file; the output's name is left untouched."""
        if self.path is None:
            return
        try:
            self._handle.close()
        except Exception:  # noqa: BLE001 - closing a half-written file may fail; it is deleted anyway
            pass
        try:
            os.unlink(self.temp)
        except FileNotFoundError:
            pass
