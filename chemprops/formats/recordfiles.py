"""Record files: one record (a mapping of fields) or a list of records, in TOML or YAML; and Markdown tables."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterator
from typing import BinaryIO

from chemprops.errors import InputError, one_line
from chemprops.formats.registry import Format, register
from chemprops.formats.rows import Rows


def _rows(data: object, chunk_size: int) -> Iterator[Rows]:
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        data = data["records"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise InputError("expected a record (mapping) or a list of records")
    for i in range(0, max(len(data), 1), chunk_size):
        yield Rows.from_records(data[i : i + chunk_size], i)


def _text(handle: BinaryIO) -> str:
    try:
        return handle.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("not UTF-8 text") from exc


def _read_toml(handle: BinaryIO, chunk_size: int) -> Iterator[Rows]:
    try:
        data = tomllib.loads(_text(handle))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"invalid TOML ({one_line(exc, 100)})") from exc
    yield from _rows(data, chunk_size)


def _read_yaml(handle: BinaryIO, chunk_size: int) -> Iterator[Rows]:
    import yaml

    try:
        data = yaml.safe_load(_text(handle))
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML ({one_line(exc, 100)})") from exc
    yield from _rows(data, chunk_size)


def _md_cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).replace("|", "\\|").replace("\n", " ")


def _encode_markdown(chunk, first: bool, title: str | None = None) -> bytes:
    """A Markdown (GFM) table: the header row with the first chunk."""
    if isinstance(chunk, Rows):
        columns, rows = chunk.columns, list(zip(*chunk.data.values()))
    else:
        columns, rows = list(chunk.columns), list(chunk.itertuples(index=False))
    lines = ["| " + " | ".join(map(str, columns)) + " |", "|" + "---|" * len(columns)] if first else []
    lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


register(Format("toml", (".toml",), "a TOML record, or [[records]]", _read_toml, table=False))
register(Format("yaml", (".yaml", ".yml"), "a YAML record, or a list of records", _read_yaml, table=False))
register(Format("md", (".md",), "a Markdown table (written only)", encoder=_encode_markdown, plain=True))
