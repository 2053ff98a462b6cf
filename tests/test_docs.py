"""Every example in README.md and docs/*.md is run here, so the documentation cannot drift from the code.

Fenced blocks, by their info string:

- ```console: each line `$ chemprops ARGS` is run with click's CliRunner from the repository root; the lines after
  it, up to the next `$ ` line, are what it prints (stdout and stderr as they interleave). A line `...` stands for
  any number of lines. Run times and rates (`0.0 s`, `125 rows/s`) and trailing spaces are not compared. Files
  named by `-o`/`--output` are written under a temporary folder, and printed back under the name the example gave.
- ```python: executed in a fresh namespace from the repository root; ```python no-run is shown, not run (a cluster
  address, say).
- ```bash, ```text and the rest are not run (installation, cluster set-up, file contents).
"""

from __future__ import annotations

import re
import shlex
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from chemprops.cli import cli

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DOC_PAGES = ("verify.md", "batch.md", "compare.md", "performance.md", "conventions.md")
README_MAX_LINES = 200
FENCE = re.compile(r"^(\s*)(`{3,})\s*(\S*)\s*(.*)$")
OUTPUT_OPTIONS = ("-o", "--output")
# A path that climbs out of the repository's folders (a parent folder, then a name) or into this machine's
# workspace: a user's clone has neither.
OUTSIDE = re.compile(r"(?<![.\w])\.\./(?=\w)|(?<![\w.])/wor[k]/")
SCRIPT_SUFFIXES = (".py", ".md", ".sh", ".toml", ".txt", ".yml", ".yaml")


@dataclass
class Block:
    page: Path
    line: int  # 1-based line of the block's first content line
    language: str
    options: str
    lines: list[str]


@dataclass
class Command:
    where: str
    args: list[str]
    expected: list[str]


def blocks(page: Path) -> list[Block]:
    """The fenced code blocks of a markdown page."""
    found, current, fence, indent = [], None, "", ""
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
        match = FENCE.match(line)
        if current is None and match:
            indent, fence = match.group(1), match.group(2)
            current = Block(page, number + 1, match.group(3).lower(), match.group(4), [])
        elif current is not None and line.strip() == fence:
            found.append(current)
            current = None
        elif current is not None:  # a block inside a list item is indented like its fence
            current.lines.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
    assert current is None, f"{page.name}: a code block opened at line {current.line - 1} is never closed"
    return found


def where(page: Path, line: int) -> str:
    return f"{page.relative_to(ROOT)}:{line}"


def console_commands() -> list[Command]:
    commands = []
    for page in PAGES:
        for block in blocks(page):
            if block.language != "console":
                continue
            for offset, line in enumerate(block.lines):
                if line.startswith("$ "):
                    commands.append(Command(where(page, block.line + offset), shlex.split(line[2:]), []))
                elif commands and offset:
                    commands[-1].expected.append(line)
                else:
                    raise ValueError(f"{where(page, block.line)}: a console block must start with a `$ ` line")
    return commands


def python_blocks() -> list[Block]:
    return [block for page in PAGES for block in blocks(page) if block.language == "python"]


def normalise(text: str) -> list[str]:
    """Lines without what legitimately varies from run to run: times, rates, trailing spaces, blank ends."""
    text = re.sub(r"\b\d[\d,]*(?:\.\d+)? s\b", "<N> s", text)
    text = re.sub(r"\b\d[\d,]*(?:\.\d+)? rows/s\b", "<N> rows/s", text)
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line-by-line equality, where an expected line `...` stands for any number of actual lines."""
    parts, part = [], []
    for line in expected:
        if line == "...":
            parts.append(part)
            part = []
        else:
            part.append(line)
    parts.append(part)
    if len(parts) == 1:
        return expected == actual
    first, *middle, last = parts
    if actual[: len(first)] != first or len(actual) < len(first) + len(last):
        return False
    if last and actual[len(actual) - len(last) :] != last:
        return False
    position, end = len(first), len(actual) - len(last)
    for part in middle:  # earliest match of each literal part, in order, between the fixed ends
        for start in range(position, end - len(part) + 1):
            if actual[start : start + len(part)] == part:
                position = start + len(part)
                break
        else:
            return False
    return True


def redirect_outputs(args: list[str], folder: Path) -> tuple[list[str], dict[str, str]]:
    """Arguments with every -o/--output path moved under folder, and the moved paths mapped back to the given ones."""
    args, moved = list(args), {}
    for index, arg in enumerate(args):
        name, equals, value = arg.partition("=")
        if equals and name in OUTPUT_OPTIONS:
            target = str(folder / value) + ("/" if value.endswith("/") else "")
            args[index], moved[target] = f"{name}={target}", value
        elif arg in OUTPUT_OPTIONS and index + 1 < len(args):
            value = args[index + 1]
            target = str(folder / value) + ("/" if value.endswith("/") else "")
            args[index + 1], moved[target] = target, value
    return args, moved


@pytest.mark.parametrize("command", console_commands(), ids=lambda command: command.where)
def test_console_example(command, tmp_path, monkeypatch):
    assert command.args[:1] == ["chemprops"], f"{command.where}: console examples run chemprops only"
    monkeypatch.chdir(ROOT)
    args, moved = redirect_outputs(command.args[1:], tmp_path)
    result = CliRunner().invoke(cli, args, prog_name="chemprops")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        pytest.fail("".join(traceback.format_exception(result.exception)))
    output = result.output
    for target, given in sorted(moved.items(), key=lambda item: -len(item[0])):
        output = output.replace(target, given)
    expected, actual = normalise("\n".join(command.expected)), normalise(output)
    if not matches(expected, actual):
        assert "\n".join(actual) == "\n".join(expected), f"{command.where}: `{shlex.join(command.args)}`"


@pytest.mark.parametrize(
    "block", [b for b in python_blocks() if b.options != "no-run"], ids=lambda block: where(block.page, block.line)
)
def test_python_example(block, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # what an example writes to a temporary folder
    code = compile("\n".join(block.lines), where(block.page, block.line), "exec")
    exec(code, {"__name__": "__docs__"})


@pytest.mark.parametrize(
    "expected, actual, result",
    [
        (["a", "b"], ["a", "b"], True),
        (["a", "b"], ["a", "b", "c"], False),
        (["a", "...", "d"], ["a", "b", "c", "d"], True),
        (["a", "...", "d"], ["a", "d"], True),
        (["a", "...", "c", "...", "e"], ["a", "b", "c", "d", "e"], True),
        (["a", "...", "x", "...", "e"], ["a", "b", "c", "d", "e"], False),
        (["a", "...", "d"], ["a", "b", "c"], False),
        (["...", "c"], ["a", "b", "c"], True),
        (["a", "..."], ["a", "b", "c"], True),
        (["a", "...", "a"], ["a"], False),
    ],
)
def test_ellipsis_stands_for_any_lines(expected, actual, result):
    assert matches(expected, actual) is result


def test_run_times_and_rates_are_not_compared():
    assert normalise("batch: 4 rows, 0.0 s, 125 rows/s  \n\n") == normalise("batch: 4 rows, 12.3 s, 1,399 rows/s")
    assert normalise("4 rows") != normalise("5 rows")


def test_code_blocks_say_what_they_are():
    """Every block names its language, so that none is silently skipped; `no-run` is the only option."""
    for page in PAGES:
        for block in blocks(page):
            assert block.language, f"{where(page, block.line - 1)}: a code block without a language"
            if block.language == "python":
                assert block.options in ("", "no-run"), f"{where(page, block.line - 1)}: unknown option"


def test_every_command_has_an_example_in_the_readme():
    readme = [c for c in console_commands() if c.where.startswith("README.md:")]
    shown = {c.args[1] for c in readme if len(c.args) > 1}
    assert set(cli.commands) <= shown, f"commands without a README example: {sorted(set(cli.commands) - shown)}"


def test_readme_is_short_and_links_every_page():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= README_MAX_LINES
    for page in DOC_PAGES:
        assert (ROOT / "docs" / page).is_file(), f"docs/{page} is missing"
        assert f"(docs/{page})" in readme, f"README.md does not link docs/{page}"


def test_relative_links_resolve():
    for page in PAGES:
        text = re.sub(r"^\s*(`{3,}).*?^\s*\1\s*$", "", page.read_text(encoding="utf-8"), flags=re.S | re.M)
        text = re.sub(r"`[^`]*`", "", text)  # links are in the prose, not in code
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if "://" not in target:
                assert (page.parent / target).exists(), f"{page.relative_to(ROOT)}: broken link {target}"


def test_no_path_outside_the_repository():
    """README, docs, tests and benchmarks name files inside the repository only."""
    scripts = [path for path in (ROOT / "benchmarks").glob("*") if path.suffix in SCRIPT_SUFFIXES]  # not data/
    files = [*PAGES, *(ROOT / "tests").rglob("*.py"), *(ROOT / "tests").rglob("*.md"), *scripts]
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            found = OUTSIDE.search(line)
            assert found is None, f"{path.relative_to(ROOT)}:{number} names a path outside: {line.strip()}"
