"""Record files: one record (a mapping of fields) or a list of records, in TOML or YAML; and Markdown tables."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Iterator
from typing import BinaryIO

from chemprops.errors import InputError, one_line
from chemprops.formats.registry import Format, register
from chemprops.formats.rows import Rows, record_chunks


def _yaml(text: str) -> object:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML ({one_line(exc, 100)})") from exc


def _toml(text: str) -> object:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"invalid TOML ({one_line(exc, 100)})") from exc


def _reader(parse: Callable[[str], object]) -> Callable[[BinaryIO, int], Iterator[Rows]]:
    def read(handle: BinaryIO, chunk_size: int) -> Iterator[Rows]:
        try:
            text = handle.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError("not UTF-8 text") from exc
        try:
            data = parse(text)
        except RecursionError as exc:
            raise InputError("nested too deeply to be a record") from exc
        except ValueError as exc:  # an integer of over 4,300 digits
            raise InputError(one_line(exc, 100)) from exc
        yield from record_chunks(data, chunk_size)

    return read


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


register(Format("toml", (".toml",), "a TOML record, or [[records]]", _reader(_toml), table=False))
register(Format("yaml", (".yaml", ".yml"), "a YAML record, or a list of records", _reader(_yaml), table=False))
register(Format("md", (".md",), "a Markdown table (written only)", encoder=_encode_markdown, plain=True))
