"""CSV and TSV, read and written with the standard library's `csv` module; blocks of a file for a cluster.

A line with more fields than the header keeps its row (its first fields) with the reason in `_read_error`;
a short or blank line is padded with empty cells; a quote opened and never closed is a one-line error.
From CSV/TSV to CSV/TSV the whole run works on plain `Rows`: pandas is never imported.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from chemprops.errors import InputError, one_line
from chemprops.formats.registry import READ_ERROR, Format, register
from chemprops.formats.rows import MAX_LINE_BYTES, Rows
from chemprops.formats.rows import header as _header

if TYPE_CHECKING:
    import pandas as pd

# The csv module's default (131,072 characters) is short for a MOL block or a note; a field longer than a line
# may be (a quote never closed) is a broken file, said as such, before it fills the memory.
csv.field_size_limit(MAX_LINE_BYTES)


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
    long_lines: dict[int, str] = {}  # line number -> why it was not read (longer than MAX_LINE_BYTES)
    readline = getattr(text, "readline", None)

    def lines():
        if readline is None:
            yield from _kept(text, record_lines)
            return
        number = first_line
        while line := readline(MAX_LINE_BYTES + 1):
            number += 1
            if len(line) > MAX_LINE_BYTES and not line.endswith(("\n", "\r")):
                size, quotes = len(line), line.count('"')
                while line and not line.endswith(("\n", "\r")):  # read past the rest, a piece at a time
                    line = readline(1 << 20)
                    size += len(line)
                    quotes += line.count('"')
                long_lines[number] = f"line {number}: {size:,} characters, longer than {MAX_LINE_BYTES:,}: not read"
                line = '"\n' if quotes % 2 else "\n"  # the quote state it leaves, so the next lines parse as they would
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
            elif long_lines and min(long_lines) <= first_line + reader.line_num:
                # the record holds a line that was not read (it may go on over the next lines, inside quotes)
                mine = [n for n in long_lines if n <= first_line + reader.line_num]
                errors.append("; ".join(long_lines.pop(n) for n in sorted(mine)))
                record = [""] * width
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


def _kept(text: Iterable[str], record_lines: list[str]) -> Iterator[str]:
    for line in text:
        record_lines.append(line)
        yield line


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


def read_block(block: Block, columns: list[str]) -> Rows:
    """One block as `Rows` of text, `_read_error` always present (empty where the line was read)."""
    with open(block.path, "rb") as handle:
        handle.seek(block.begin)
        data = handle.read(block.end - block.begin).decode("utf-8", errors="replace")
    lines = io.StringIO(data, newline="")
    parts = list(_parse_delimited(lines, block.sep, max(1, len(data)), list(columns), block.lines, block.last))
    rows = parts[0] if parts else Rows({c: [] for c in columns})
    rows.data.setdefault(READ_ERROR, [""] * len(rows))
    return rows


def _rows(columns: list[str], rows: list[list[str]], errors: list[str], start: int) -> Rows:
    cells = list(zip(*rows)) if rows else [()] * len(columns)
    data = {name: list(values) for name, values in zip(columns, cells)}
    if any(errors):
        data[READ_ERROR] = errors
    return Rows(data, start)


def _encode_delimited(sep: str) -> Callable[[pd.DataFrame | Rows, bool], bytes]:
    def encode(frame: pd.DataFrame | Rows, first: bool, title: str | None = None) -> bytes:
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


register(Format("csv", (".csv",), "comma-separated, with a header", _read_delimited(","), _encode_delimited(","),
                plain=True))  # fmt: skip
register(Format("tsv", (".tsv", ".tab"), "tab-separated, with a header", _read_delimited("\t"),
                _encode_delimited("\t"), plain=True))  # fmt: skip
