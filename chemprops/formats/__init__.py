"""Every file chemprops reads or writes: one registry of formats (`register`), streaming readers and atomic
writers. batch, verify, compare and props all read and write through here.

Built-in formats: csv, tsv, smi, sdf, jsonl, json, parquet, toml, yaml, md; `chemprops.importers` adds the
published forms (wikitext and rendered infoboxes).
"""

from chemprops.formats import delimited, jsonl, parquet, recordfiles, sdf, smi  # noqa: F401 - they register
from chemprops.formats.delimited import Block, delimited_blocks, read_block
from chemprops.formats.files import (
    SMILES_NAMES,
    Input,
    Output,
    encode,
    find_column,
    input_format,
    is_file,
    is_folder_target,
    write,
)
from chemprops.formats.registry import (
    FORMATS,
    MOLBLOCK,
    READ_ERROR,
    Format,
    format_of,
    readable,
    register,
    sniff,
    writable,
)
from chemprops.formats.rows import Rows, records
from chemprops.formats.smi import split_smi_line

__all__ = [
    "FORMATS",
    "MOLBLOCK",
    "READ_ERROR",
    "SMILES_NAMES",
    "Block",
    "Format",
    "Input",
    "Output",
    "Rows",
    "delimited_blocks",
    "encode",
    "find_column",
    "format_of",
    "input_format",
    "is_file",
    "is_folder_target",
    "read_block",
    "readable",
    "records",
    "register",
    "sniff",
    "split_smi_line",
    "writable",
    "write",
]
