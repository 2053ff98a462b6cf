"""A progress line on the terminal (rows, rows/s, %, ETA) for every long command; nothing when piped."""

from __future__ import annotations

import sys


def progress_line(quiet: bool, what: str = "rows"):
    """A callback `show(summary, fraction)` writing one updating line on stderr, or None when stderr is not a
    terminal or `quiet`; `clear()` on the callback removes the line."""
    stream = sys.stderr
    if quiet or not stream.isatty():
        return None
    last = [0.0]

    def show(summary, fraction=None):
        now = summary.seconds
        if now - last[0] < 0.2:
            return
        last[0] = now
        text = f"{summary.rows:,} {what}  {summary.rate:,.0f} {what}/s"
        if fraction:
            eta = now * (1 - fraction) / fraction
            text += f"  {fraction:4.0%}  ETA {int(eta) // 60}:{int(eta) % 60:02d}"
        stream.write(f"\r{text}\x1b[K")
        stream.flush()

    def clear():
        stream.write("\r\x1b[K")
        stream.flush()

    show.clear = clear
    return show
