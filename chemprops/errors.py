"""Errors that carry the offending input; the CLI turns each into one line and exit code 2."""

from __future__ import annotations


class ChempropsError(Exception):
    """Base of every error chemprops raises on purpose."""

    exit_code = 2


class ParseError(ChempropsError, ValueError):
    """A structure, formula or record that cannot be read."""

    def __init__(self, message: str, text: str | None = None):
        super().__init__(message)
        self.text = text


class FormulaError(ParseError):
    """A molecular formula that cannot be parsed."""


class NotFoundError(ChempropsError, LookupError):
    """A name, CAS number or file that is not known."""


class AmbiguousError(NotFoundError):
    """A name or identifier that several structures carry: never resolved by a guess."""


class InputError(ChempropsError):
    """Unreadable input: a missing file, a wrong column, an unknown format."""


class DependencyError(ChempropsError):
    """An optional part (Java, OPSIN, Dask, matplotlib) is not installed."""


def one_line(text: object, limit: int = 300) -> str:
    """Collapse any message onto one line, shortened to `limit` characters."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
