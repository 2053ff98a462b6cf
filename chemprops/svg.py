"""RDKit's SVG drawings made small for inlining in a page: the same picture in about a third of the bytes."""

from __future__ import annotations

import re

_DECIMALS = re.compile(r"(\d\.\d)\d+")
_STROKE = re.compile(
    r"style='fill:none;(?:fill-rule:evenodd;)?stroke:(#[0-9A-Fa-f]{6});stroke-width:([\d.]+px);stroke-linecap:butt;"
    r"stroke-linejoin:miter;(?:stroke-miterlimit:10;)?stroke-opacity:1;?'"
)
_TEXT = re.compile(
    r"style='font-size:(\d+px);font-style:normal;font-weight:normal;fill-opacity:1;stroke:none;"
    r"font-family:sans-serif;text-anchor:start;fill:(#[0-9A-Fa-f]{6})'"
)


def compact(svg: str) -> str:
    """Coordinates to 0.1 px, the per-path style of plain strokes and labels as attributes (defaults dropped),
    no classes."""
    svg = re.sub(r" class='[^']*'", "", svg)
    svg = _STROKE.sub(r"fill='none' stroke='\1' stroke-width='\2'", svg)
    svg = _TEXT.sub(r"font-size='\1' font-family='sans-serif' fill='\2'", svg)
    return _DECIMALS.sub(r"\1", svg)
