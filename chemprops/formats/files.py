"""Open files of any registered format: `Input` reads chunks, `Output` writes them atomically.

`Output` writes to a temporary file beside the target and renames it on success only, so an interrupted run
never leaves a truncated file under the output's name. A folder target (`results/`) is a Parquet dataset, one
file per chunk, written the same way; a folder that already holds files is refused, never emptied.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from chemprops.errors import InputError, one_line
from chemprops.formats.registry import FORMATS, MOLBLOCK, READ_ERROR, Format, by_suffix, format_of, sniff, suffix_of
from chemprops.formats.rows import Rows, lines

if TYPE_CHECKING:
    import pandas as pd

# Column names taken as the SMILES column when none is named, in order of preference.
SMILES_NAMES = ("smiles", "canonical_smiles", "isomeric_smiles", "cxsmiles", "smiles_string", "smi", "structure")


def is_file(path: Path) -> bool:
    """Path.is_file() that says False for a long SMILES mistaken for a path (ENAMETOOLONG) too."""
    try:
        return path.is_file()
    except OSError:
        return False


# Suffixes that say only "text": such a file (or one without a suffix) is recognised by its content.
TEXT_SUFFIXES = ("", ".txt", ".text", ".inchi")


def input_format(path: str | Path, given: str | None = None) -> Format:
    """The format of an input file: named, else by suffix, else (plain text) by its content."""
    if given or str(path) == "-" or by_suffix(path) is not None or suffix_of(path) not in TEXT_SUFFIXES:
        return format_of(path, given)
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096).decode("utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    found = sniff(head)
    if found is None:
        known = ", ".join(f.name for f in FORMATS.values() if f.readable)
        raise InputError(f"cannot read {path}: unknown file type (readable: {known})")
    return found


class Input:
    """An open input file (or stdin): its format, chunks and how far reading has got."""

    def __init__(self, path: str | Path, fmt: str | None = None, chunk_size: int = 1000):
        self.path = str(path)
        if self.path != "-" and Path(self.path).is_dir():
            raise InputError(f"cannot read {self.path}: is a directory")
        self.format = input_format(self.path, fmt)
        if self.format.reader is None:
            raise InputError(f"cannot read {self.format.name} input")
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
        elif self.size:
            head = self._raw.read(4)
            self._raw.seek(0)
            if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # a UTF-16 byte-order mark
                self._raw.close()
                raise InputError(f"cannot read {self.path}: it is UTF-16 text; save it as UTF-8")

    def _scan_columns(self) -> list[str] | None:
        """Every field name of an SDF or JSON-lines file (records may differ), read once before the chunks."""
        if self.format.name not in ("sdf", "jsonl") or self.size is None:
            return None
        names: dict[str, None] = {"name": None} if self.format.name == "sdf" else {}
        with open(self.path, "rb") as raw:
            handle = gzip.open(raw, "rb") if self.path.lower().endswith(".gz") else raw
            for line in lines(handle):
                if self.format.name == "sdf":
                    if line.startswith(">"):
                        m = re.search(r"<([^>]*)>", line)
                        names[m.group(1) if m else line[1:].strip()] = None
                    continue
                try:
                    value = json.loads(line)
                except (ValueError, RecursionError):  # the reader gives this line its row and reason
                    continue
                if isinstance(value, dict):
                    names.update(dict.fromkeys(value))
        return list(names) + ([MOLBLOCK] if self.format.name == "sdf" else [])

    def chunks(self, plain: bool = False) -> Iterator[pd.DataFrame | Rows]:
        """Chunks of at most chunk_size rows, in input order, all with the same columns: DataFrames, or with
        `plain`, `Rows` where the format's reader gives them (CSV, TSV, .smi, JSON and record files)."""
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
        except InputError as exc:
            raise InputError(f"cannot read {self.path}: {exc}") from exc
        except (OSError, EOFError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read {self.path}: {one_line(exc)}") from exc

    def estimated_rows(self, sample_bytes: int = 1 << 20) -> int | None:
        """About how many rows the input holds, from its size and the rows in its first MB (exact for a file
        that small, and for Parquet); None when unknown (stdin, a JSON array)."""
        if self.size is None or self.format.name == "json" or not os.path.isfile(self.path):
            return None  # a pipe or device: reading ahead would take the rows away
        if self.format.name == "parquet":
            import pyarrow.parquet as pq

            try:
                return pq.ParquetFile(self.path).metadata.num_rows
            except Exception:  # noqa: BLE001 - unreadable: the reader says why, with its row
                return None
        gz = self.path.lower().endswith(".gz")
        total = self.size
        try:
            with open(self.path, "rb") as raw:
                if gz and self.size >= 4:
                    raw.seek(-4, os.SEEK_END)  # gzip's trailer: the uncompressed size modulo 4 GiB (RFC 1952)
                    total = max(int.from_bytes(raw.read(4), "little"), self.size)
                    raw.seek(0)
                head = (gzip.open(raw) if gz else raw).read(sample_bytes)
        except (OSError, EOFError):
            return None
        marker = b"\n$$$$" if self.format.name == "sdf" else b"\n"
        rows = head.count(marker) - (1 if self.format.table and self.format.name in ("csv", "tsv") else 0)
        if len(head) < sample_bytes:
            return max(rows + (0 if head.endswith(b"\n") or not head.strip() else 1), 0)
        return max(1, int(total * max(rows, 1) / len(head)))

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
    raise InputError(f"no {what} column found; the columns are: {listing}; name the {what} column")


def encode(chunk: pd.DataFrame | Rows, first: bool, fmt: str, title: str | None = None) -> bytes | pd.DataFrame:
    """What a worker returns for one chunk: bytes (with a header when first), or the frame for a format with
    a streaming writer (Parquet)."""
    found = FORMATS[fmt]
    if isinstance(chunk, Rows) and not found.plain:
        chunk = chunk.frame()
    if found.encoder is None:
        return chunk
    return found.encoder(chunk, first, title)


def is_folder_target(path: str | Path | None) -> bool:
    """An output named with a trailing slash, or an existing folder: a dataset of one file per chunk."""
    if path in (None, "-"):
        return False
    return str(path).endswith(("/", os.sep)) or Path(path).is_dir()


class Output:
    """Chunks appended to a temporary file beside `path`, renamed to `path` by `commit()` (stdout: `-`)."""

    def __init__(self, path: str | Path | None, fmt: str | None = None, title: str | None = None, inputs=()):
        self.folder = is_folder_target(path)
        self.path = None if path in (None, "-") else Path(path)
        if self.folder:
            self.format = format_of(None, fmt, default="parquet")
            if self.format.name != "parquet":
                raise InputError(f"{path} is a folder: only a Parquet dataset is written to a folder")
            if self.path.is_dir() and any(self.path.iterdir()):
                raise InputError(f"{self.path} is a folder that is not empty; give a new or empty folder")
        else:
            self.format = format_of(self.path or "-", fmt)
        if not self.format.writable:
            names = ", ".join(f.name for f in FORMATS.values() if f.writable)
            raise InputError(f"cannot write {self.format.name}; output formats: {names}")
        if self.format.writer is not None and self.path is None:
            raise InputError(f"{self.format.name} output needs a file name (-o FILE)")
        for source in [inputs] if isinstance(inputs, (str, Path)) else inputs:
            if self.path is not None and source not in (None, "-") and is_file(Path(str(source))):
                if Path(str(source)).resolve() == self.path.resolve():
                    raise InputError(f"the output {self.path} is the input; give another file name")
        self.title = title
        self.in_place = False
        self._raw = None
        self._first = True
        self._wrote = False
        self._stream = None
        self._parts = 0
        if self.path is None:
            self.temp = None
            self._handle = sys.stdout.buffer
        elif self.folder:
            self.temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.part")
            try:
                self.temp.mkdir()
            except OSError as exc:
                raise InputError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
            self._handle = None
        else:
            # A symbolic link is followed (the link stays, its target is replaced); a device or FIFO
            # (/dev/null, a named pipe) is written in place: renaming a file over it would replace it.
            target = self.path.resolve() if self.path.is_symlink() else self.path
            self.in_place = target.exists() and not target.is_file()
            self.target = target
            self.temp = target if self.in_place else target.with_name(f".{target.name}.{os.getpid()}.part")
            try:
                self._raw = open(self.temp, "wb")  # noqa: SIM115 - closed by commit()/abort()
            except OSError as exc:
                raise InputError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
            self._handle = self._raw
            if self.path.name.lower().endswith(".gz"):
                self._handle = gzip.open(self._raw, "wb")
        if self._handle is not None and self.format.begin:
            self._handle.write(self.format.begin)

    def encode(self, chunk: pd.DataFrame | Rows, first: bool) -> bytes | pd.DataFrame:
        return encode(chunk, first, self.format.name, self.title)

    def write(self, payload: bytes | pd.DataFrame) -> None:
        """Append one encoded chunk (bytes, or a frame for a streaming writer)."""
        if isinstance(payload, bytes):
            if payload:
                if self._wrote and self.format.separator:
                    self._handle.write(self.format.separator)
                self._handle.write(payload)
                self._wrote = True
            if self.path is None:
                self._handle.flush()
        elif self.folder:
            writer = self.format.writer(open(self.temp / f"part.{self._parts}.parquet", "wb"))  # noqa: SIM115
            writer.write(payload)
            writer.close()
            writer.handle.close()
            self._parts += 1
        else:
            if self._stream is None:
                self._stream = self.format.writer(self._handle)
            self._stream.write(payload)
        self._first = False

    def write_chunk(self, chunk: pd.DataFrame | Rows) -> None:
        """Encode and append one chunk."""
        self.write(self.encode(chunk, self._first))

    @property
    def first(self) -> bool:
        return self._first

    def commit(self) -> None:
        """Finish the file and give it its name."""
        if self._stream is not None:
            self._stream.close()
        if self._handle is not None and self.format.end:
            self._handle.write(self.format.end)
        if self.path is None:
            self._handle.flush()
            return
        if self.folder:
            if self.path.is_dir():
                self.path.rmdir()  # empty, checked at the start
            os.replace(self.temp, self.path)
            return
        # Close the gzip layer, then the file under it, and let either fail loudly: a full disk must not end
        # in a truncated file renamed into place.
        try:
            if self._handle is not self._raw:
                self._handle.close()
            self._raw.flush()
            if not self.in_place:
                os.fsync(self._raw.fileno())
            self._raw.close()
        except OSError as exc:
            raise InputError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
        if not self.in_place:
            os.replace(self.temp, self.target)

    def abort(self) -> None:
        """Drop the temporary file; the output's name is left untouched."""
        if self.path is None:
            return
        if self.folder:
            for part in self.temp.glob("part.*.parquet"):
                part.unlink(missing_ok=True)
            try:
                self.temp.rmdir()
            except OSError:
                pass
            return
        for handle in (self._handle, self._raw):
            try:
                handle.close()
            except Exception:  # noqa: BLE001 - closing a half-written file may fail; it is deleted anyway
                pass
        if self.in_place:
            return
        try:
            os.unlink(self.temp)
        except FileNotFoundError:
            pass


def write(
    chunk: pd.DataFrame | Rows, path: str | Path | None, fmt: str | None = None, preamble: str = "", inputs=()
) -> None:
    """Write one whole table to `path` (stdout when None) in its format; `preamble` is text before a
    Markdown table (a title and a summary); an output that is one of `inputs` is refused."""
    out = Output(path, fmt, inputs=inputs)
    try:
        if preamble and out.format.name == "md":
            out.write(preamble.encode("utf-8"))
        out.write(out.encode(chunk, True))
        out.commit()
    except BaseException:
        out.abort()
        raise
