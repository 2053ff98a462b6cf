"""Chunks of a table without pandas: `Rows`, column name -> list of cells."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from chemprops.errors import InputError

if TYPE_CHECKING:
    import pandas as pd


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

    def records(self) -> list[dict]:
        """One dict per row."""
        names = self.columns
        return [dict(zip(names, cells)) for cells in zip(*self.data.values())] if names else []

    @classmethod
    def from_records(cls, records: list[dict], start: int = 0) -> Rows:
        """Rows from dicts that may have different keys (missing cells are None)."""
        names: dict[str, None] = {}
        for record in records:
            names.update(dict.fromkeys(record))
        return cls({n: [r.get(n) for r in records] for n in names}, start)

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


def header(names: list[str]) -> list[str]:
    """Column names as pandas makes them: blanks become "Unnamed: i", repeats "name.1", "name.2"."""
    out: list[str] = []
    taken: set[str] = set()
    next_suffix: dict[str, int] = {}  # the next suffix to try for a repeated name: linear in the header's width
    for i, name in enumerate(names):
        name = name or f"Unnamed: {i}"
        base, k = name, next_suffix.get(name, 0)
        while name in taken:
            k += 1
            name = f"{base}.{k}"
        next_suffix[base] = k
        taken.add(name)
        out.append(name)
    return out


def record_chunks(data: object, chunk_size: int) -> Iterator[Rows]:
    """Rows from a parsed record file: one record (a mapping), a list of records, or {"records": [...]}."""
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        data = data["records"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise InputError("expected a record (mapping) or a list of records")
    for i in range(0, max(len(data), 1), chunk_size):
        yield Rows.from_records(data[i : i + chunk_size], i)


def records(chunk) -> list[dict]:
    """The rows of a chunk (Rows or DataFrame) as dicts."""
    if isinstance(chunk, Rows):
        return chunk.records()
    return chunk.to_dict("records")


def frames_of(rows: Iterator[dict], chunk_size: int, columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
    """DataFrames of at most chunk_size dict rows."""
    import pandas as pd

    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= chunk_size:
            yield pd.DataFrame(batch, columns=columns)
            batch = []
    if batch:
        yield pd.DataFrame(batch, columns=columns)


# A line longer than this (a 1.5 GB line hides in a 6.5 MB .gz) is not held: it is skipped with its reason.
MAX_LINE_BYTES = 64 * 2**20


class LongLine(str):
    """Stands for a line that was too long to read: its text is the reason."""


def lines(handle, limit: int | None = None) -> Iterator[str]:
    """Text lines of a binary file, line ends removed, undecodable bytes replaced; a line longer than `limit`
    bytes is read past in pieces and given as a `LongLine` holding the reason."""
    limit = limit or MAX_LINE_BYTES
    while True:
        raw = handle.readline(limit + 1)
        if not raw:
            return
        if len(raw) > limit and not raw.endswith(b"\n"):
            size = len(raw)
            while raw and not raw.endswith(b"\n"):
                raw = handle.readline(1 << 20)
                size += len(raw)
            yield LongLine(f"a line of {size:,} bytes, longer than {limit:,}: not read")
            continue
        yield raw.decode("utf-8", errors="replace").rstrip("\r\n")
