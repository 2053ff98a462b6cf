"""The format registry: one entry per file format, added with `register()`.

An entry carries everything the rest of chemprops needs to know about a format: its suffixes, its reader
(an open binary file -> chunks of rows), its writer (chunks -> bytes, or a streaming writer class), what its
structure column holds, and whether the reader gives plain `Rows`. The CLI's choices come from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from chemprops.errors import InputError

READ_ERROR = "_read_error"  # column a reader fills when a line or record cannot be read
MOLBLOCK = "molblock"  # column holding an MDL MOL block (SDF input, SDF output)


@dataclass(frozen=True)
class Format:
    """One file format. `reader(handle, chunk_size)` yields chunks (`Rows` or DataFrames) of at most
    chunk_size rows; `encoder(chunk, first, title)` gives the bytes of a chunk (with a header when first);
    `writer(handle)` is a streaming writer (`write(frame)`, `close()`) for formats that are not a byte stream;
    `begin`, `separator` and `end` frame the chunks (a JSON array). `structure`: what its structure column holds ("smiles", which
    takes InChI too, or "molblock")."""

    name: str
    suffixes: tuple[str, ...]
    description: str
    reader: Callable[[BinaryIO, int], Iterator] | None = None
    encoder: Callable[..., bytes] | None = None
    writer: Callable[[BinaryIO], object] | None = None
    begin: bytes = b""  # written before the first chunk (a JSON array's "[")
    separator: bytes = b""  # written between two non-empty chunks
    end: bytes = b""  # written after the last chunk
    structure: str = "smiles"
    plain: bool = False  # the reader gives `Rows` and the encoder takes them: no pandas needed
    table: bool = True  # one record per row (False: a record file, one record or a list)
    sniff: Callable[[str], bool] | None = None  # recognises content (first 4 kB of text) without a suffix
    sniff_last: bool = False  # a catch-all sniffer, tried after every other one

    @property
    def readable(self) -> bool:
        return self.reader is not None

    @property
    def writable(self) -> bool:
        return self.encoder is not None or self.writer is not None


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add a format; a name or suffix already taken is an error (nothing is replaced in silence)."""
    if fmt.name in FORMATS:
        raise ValueError(f"format {fmt.name!r} is already registered")
    for other in FORMATS.values():
        clash = set(fmt.suffixes) & set(other.suffixes)
        if clash:
            raise ValueError(f"format {fmt.name!r}: suffix {sorted(clash)[0]!r} already belongs to {other.name!r}")
    FORMATS[fmt.name] = fmt
    return fmt


def readable() -> list[str]:
    """Names of the formats chemprops reads, for CLI choices."""
    return [f.name for f in FORMATS.values() if f.readable]


def writable() -> list[str]:
    """Names of the formats chemprops writes, for CLI choices."""
    return [f.name for f in FORMATS.values() if f.writable]


def suffix_of(path: str | Path) -> str:
    """The suffix that names a file's format, looking through `.gz`."""
    suffixes = [s.lower() for s in Path(str(path)).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def by_suffix(path: str | Path) -> Format | None:
    suffix = suffix_of(path)
    return next((f for f in FORMATS.values() if suffix and suffix in f.suffixes), None)


def format_of(path: str | Path | None, given: str | None = None, default: str = "csv") -> Format:
    """The format named by `given`, else by the file's suffix (`.gz` looked through), else `default`.

    A `given` format that contradicts the file's suffix (`-o x.csv --format parquet`) is refused.
    """
    found = by_suffix(path) if path not in (None, "-") else None
    if given:
        if given not in FORMATS:
            raise InputError(f"unknown format {given!r}; choose from {', '.join(FORMATS)}")
        if found is not None and found.name != given:
            raise InputError(f"{path} has the suffix of {found.name}, not {given}: rename it or drop the format")
        return FORMATS[given]
    if found is not None:
        return found
    if path in (None, "-") or not suffix_of(path):
        return FORMATS[default]
    raise InputError(f"unknown file type {suffix_of(path)!r} for {path}; known: {', '.join(FORMATS)}")


def sniff(text: str) -> Format | None:
    """The first format whose sniffer accepts this text (the head of a file without a known suffix)."""
    ordered = sorted(FORMATS.values(), key=lambda f: f.sniff_last)
    return next((f for f in ordered if f.sniff is not None and f.sniff(text)), None)
