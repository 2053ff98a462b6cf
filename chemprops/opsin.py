"""IUPAC names to structures with OPSIN (Lowe et al., J. Chem. Inf. Model. 51 (2011) 739), all in one JVM call.

The OPSIN jar comes from the py2opsin package; Java must be on PATH. We call the jar ourselves rather than
`py2opsin.py2opsin()` because that writes its temporary file into the working directory and decodes with the
terminal's encoding; one subprocess per batch keeps the cost at one JVM start (about 1 s) for any number of names.
"""

from __future__ import annotations

import atexit
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from chemprops.errors import DependencyError

JAVA = "java"  # the executable looked up on PATH (tests point it elsewhere to simulate its absence)
# OPSIN parses one name at a time: a small heap, the serial collector and the quick (C1) compiler start faster
# and finish sooner on a batch of 15,000 names (6.1 s, 110 MB) than the JVM's defaults (7.2 s, 475 MB here).
JVM_OPTIONS = ("-Xms32m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
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


class Run:
    """One OPSIN process working through a batch of names in the background (outputs go to files, so a
    large batch never blocks on a full pipe); `result()` waits for it."""

    def __init__(self, names: list[str], timeout: float = 600):
        java, jar = java_path(), jar_path()
        self.names = [" ".join(str(n).split()) for n in names]
        self.timeout = timeout
        self._tmp = tempfile.TemporaryDirectory(prefix="chemprops-opsin-")
        folder = Path(self._tmp.name)
        (folder / "names.txt").write_text("\n".join(self.names) + "\n", encoding="utf-8")
        self._out, self._err = open(folder / "out.txt", "wb"), open(folder / "err.txt", "wb")  # noqa: SIM115
        try:
            self._proc = subprocess.Popen(
                [
                    java,
                    *JVM_OPTIONS,
                    "-Dfile.encoding=UTF-8",
                    "-jar",
                    str(jar),
                    "-oextendedsmi",
                    str(folder / "names.txt"),
                ],
                stdout=self._out,
                stderr=self._err,
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
        except OSError as exc:
            self._close()
            raise DependencyError(f"OPSIN could not run: {exc}") from exc
        atexit.register(self.stop)

    def done(self) -> bool:
        """Whether the JVM has finished (its result is then ready without waiting)."""
        return self._proc.poll() is not None

    def stop(self) -> None:
        """End the JVM if it still runs (Ctrl-C, an error, the end of the program): no Java process outlives us."""
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()

    def _close(self) -> None:
        self._out.close()
        self._err.close()

    def result(self) -> list[ParsedName]:
        try:
            code = self._proc.wait(timeout=self.timeout)
        except BaseException as exc:  # Ctrl-C while waiting: the JVM goes too
            if not isinstance(exc, subprocess.TimeoutExpired):
                self.stop()
                raise
            self._proc.kill()
            self._close()
            self._tmp.cleanup()
            raise DependencyError(f"OPSIN took longer than {self.timeout:.0f} s") from exc
        atexit.unregister(self.stop)
        self._close()
        folder = Path(self._tmp.name)
        stdout = (folder / "out.txt").read_bytes().decode("utf-8", errors="replace")
        stderr = (folder / "err.txt").read_bytes().decode("utf-8", errors="replace")
        self._tmp.cleanup()
        lines = stdout.replace("\r", "").split("\n")
        if code != 0 or len(lines) < len(self.names):
            raise DependencyError(f"OPSIN failed (exit {code}): {' '.join(stderr.split())[:200]}")
        errors = _errors_by_name(stderr)
        out = []
        for name, line in zip(self.names, lines):
            line = line.strip()
            if not line:
                out.append(ParsedName(name, None, error=errors.get(name, "OPSIN cannot parse this name")))
                continue
            m = _CX_RE.search(line)
            out.append(ParsedName(name, line, bool(m) and _racemic_flag(m.group(1))))
        return out


def _die_with_parent() -> None:
    """In the JVM's process before it starts: ask Linux to kill it when chemprops dies (PR_SET_PDEATHSIG)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG (prctl(2))
    except (OSError, AttributeError):
        pass


def start(names: list[str], timeout: float = 600) -> Run:
    """Start parsing a batch of names; DependencyError when Java or py2opsin is missing."""
    return Run(names, timeout)


def parse_names(names: list[str], timeout: float = 600) -> list[ParsedName]:
    """Parse every name with one OPSIN run; output order follows input order."""
    return start(names, timeout).result() if names else []


def _errors_by_name(stderr: str) -> dict[str, str]:
    """OPSIN's one-line reasons ("X is unparsable due to ...") by name."""
    out = {}
    for line in stderr.splitlines():
        m = re.match(r"(.*?) is unparsable due to (.*)$", line)
        if m:
            out[m.group(1)] = "OPSIN: unparsable due to " + m.group(2)[:150]
    return out
