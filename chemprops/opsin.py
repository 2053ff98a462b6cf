"""IUPAC names to structures with OPSIN (Lowe et al., J. Chem. Inf. Model. 51 (2011) 739), all in one JVM call.

The OPSIN jar comes from the py2opsin package; Java must be on PATH. We call the jar ourselves rather than
`py2opsin.py2opsin()` because that writes its temporary file into the working directory and decodes with the
terminal's encoding; one subprocess per batch keeps the cost at one JVM start (about 1 s) for any number of names.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from chemprops.errors import DependencyError

JAVA = "java"  # the executable looked up on PATH (tests point it elsewhere to simulate its absence)
JAR_PATTERN = "opsin-cli-*-jar-with-dependencies.jar"


def jar_path() -> Path:
    """The OPSIN jar bundled with py2opsin; DependencyError when py2opsin is not installed."""
    try:
        folder = Path(str(resources.files("py2opsin")))
    except (ModuleNotFoundError, TypeError) as exc:
        raise DependencyError("py2opsin is not installed (pip install 'chemprops[opsin]')") from exc
    jars = sorted(folder.glob(JAR_PATTERN))
    if not jars:
        raise DependencyError(f"py2opsin has no OPSIN jar in {folder}")
    return jars[-1]


def java_path() -> str:
    """The Java executable; DependencyError when there is none."""
    found = shutil.which(JAVA)
    if not found:
        raise DependencyError("Java is not installed (OPSIN needs a Java runtime on PATH)")
    return found


def unavailable_reason() -> str | None:
    """Why names cannot be parsed here, or None when OPSIN can run."""
    try:
        jar_path()
        java_path()
    except DependencyError as exc:
        return str(exc)
    return None


@dataclass(frozen=True)
class ParsedName:
    """OPSIN's reading of one name: a CXSMILES, or None with OPSIN's reason."""

    name: str
    smiles: str | None
    racemic: bool = False  # OPSIN's CXSMILES flag `r`: every stereocentre is racemic ("(RS)-", "rac-")
    error: str = ""


_CX_RE = re.compile(r"\s+\|(.*)\|\s*$")


def _racemic_flag(extension: str) -> bool:
    body = re.sub(r"\$[^$]*\$", "", extension)  # atom labels may hold anything; flags do not
    return "r" in [part.strip() for part in body.split(",")]


def parse_names(names: list[str], timeout: float = 600) -> list[ParsedName]:
    """Parse every name with one OPSIN run; output order follows input order."""
    java = java_path()
    jar = jar_path()
    clean = [" ".join(str(n).split()) for n in names]
    if not clean:
        return []
    with tempfile.TemporaryDirectory(prefix="chemprops-opsin-") as tmp:
        path = Path(tmp) / "names.txt"
        path.write_text("\n".join(clean) + "\n", encoding="utf-8")
        try:
            done = subprocess.run(
                [java, "-Dfile.encoding=UTF-8", "-jar", str(jar), "-oextendedsmi", str(path)],
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise DependencyError(f"OPSIN could not run: {exc}") from exc
    lines = done.stdout.decode("utf-8", errors="replace").replace("\r", "").split("\n")
    if done.returncode != 0 or len(lines) < len(clean):
        reason = " ".join(done.stderr.decode("utf-8", errors="replace").split())[:200]
        raise DependencyError(f"OPSIN failed (exit {done.returncode}): {reason}")
    errors = _errors_by_name(done.stderr.decode("utf-8", errors="replace"))
    out = []
    for name, line in zip(clean, lines):
        line = line.strip()
        if not line:
            out.append(ParsedName(name, None, error=errors.get(name, "OPSIN cannot parse this name")))
            continue
        m = _CX_RE.search(line)
        racemic = bool(m) and _racemic_flag(m.group(1))
        out.append(ParsedName(name, line, racemic))
    return out


def _errors_by_name(stderr: str) -> dict[str, str]:
    """OPSIN's one-line reasons ("X is unparsable due to ...") by name."""
    out = {}
    for line in stderr.splitlines():
        m = re.match(r"(.*?) is unparsable due to (.*)$", line)
        if m:
            out[m.group(1)] = "OPSIN: unparsable due to " + m.group(2)[:150]
    return out
