"""PubChem's PUG-REST, asked only when the user says so (`--online`, CHEMPROPS_ONLINE=1): which compound a name,
CAS number, InChIKey or CID names. As PubChem asks of its users: at most 5 requests a second (across the
processes of a run: a lock file holds the time of the last request), one retry after a pause on a busy server
(HTTP 503/504, a time-out), every answer, a "not found" included, cached on disk so that a second run asks nothing.

Settings: CHEMPROPS_PUBCHEM_URL (the service's base URL; tests point it at a local server),
CHEMPROPS_CACHE_DIR (default: $XDG_CACHE_HOME/chemprops or ~/.cache/chemprops).
"""

from __future__ import annotations

import fcntl
import hashlib
import http.client
import json
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from chemprops.errors import DependencyError

BASE_URL = "https://pubchem.ncbi.nlm.nih.gov/rest/pug"
PROPERTIES = "IsomericSMILES,InChIKey,Title"
MIN_INTERVAL = 0.2  # seconds between requests: PubChem's usage policy allows 5 a second
TIMEOUT = 15.0  # seconds for one request
RETRY_PAUSE = 2.0  # seconds before the one retry
NAMESPACES = {"name": "name", "cas": "name", "inchikey": "inchikey", "cid": "cid"}  # CAS numbers are synonyms


@dataclass(frozen=True)
class Compound:
    cid: int
    smiles: str
    inchikey: str
    title: str


def base_url() -> str:
    return os.environ.get("CHEMPROPS_PUBCHEM_URL", BASE_URL).rstrip("/")


def cache_dir() -> Path:
    root = os.environ.get("CHEMPROPS_CACHE_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return Path(root) / ("" if os.environ.get("CHEMPROPS_CACHE_DIR") else "chemprops") / "pubchem"


def _url(kind: str, value: str) -> str:
    quoted = urllib.parse.quote(str(value).strip(), safe="")
    return f"{base_url()}/compound/{NAMESPACES[kind]}/{quoted}/property/{PROPERTIES}/JSON"


def _wait_turn(folder: Path) -> None:
    """Sleep until MIN_INTERVAL has passed since the last request of any process sharing the cache folder."""
    with open(folder / "last-request", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        text = handle.read().strip()
        try:
            last = float(text) if text else 0.0
        except ValueError:  # a file another program wrote over: wait one interval
            last = time.time()
        pause = last + MIN_INTERVAL - time.time()
        if pause > 0:
            time.sleep(min(pause, MIN_INTERVAL))
        handle.seek(0)
        handle.truncate()
        handle.write(repr(time.time()))
        handle.flush()


def _fetch(url: str, folder: Path) -> dict:
    """The JSON answer of `url` ({} for PubChem's "not found"), with one retry on a busy server."""
    for attempt in (1, 2):
        _wait_turn(folder)
        request = urllib.request.Request(url, headers={"User-Agent": "chemprops (https://pypi.org/project/chemprops)"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
                return json.loads(answer.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            if exc.code == 404:  # PUGREST.NotFound: a name PubChem does not know (an answer: cached)
                return {}
            if exc.code == 400:  # PUGREST.BadRequest: a query PubChem cannot read; not cached
                raise DependencyError(f"PubChem cannot read the query of {url} (HTTP 400)") from exc
            if exc.code in (429, 500, 502, 503, 504) and attempt == 1:
                time.sleep(RETRY_PAUSE)
                continue
            raise DependencyError(f"PubChem answered HTTP {exc.code} for {url}") from exc
        except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException) as exc:
            if attempt == 1:
                time.sleep(RETRY_PAUSE)
                continue
            raise DependencyError(f"PubChem cannot be reached ({getattr(exc, 'reason', exc)})") from exc
        except ValueError as exc:
            raise DependencyError(f"PubChem's answer to {url} is not JSON") from exc
    return {}


def lookup(kind: str, value: str) -> list[Compound]:
    """The compounds PubChem gives for a name, CAS number, InChIKey or CID (best match first), from the cache
    when it has the answer; DependencyError when PubChem cannot be reached."""
    url = _url(kind, value)
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        cached = folder / (hashlib.sha256(url.encode("utf-8")).hexdigest() + ".json")
        data = None
        if cached.is_file():
            try:
                data = json.loads(cached.read_text(encoding="utf-8"))
            except ValueError:  # a cache file cut short: asked again
                data = None
        if data is None:
            data = _fetch(url, folder)
            partial = cached.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            partial.write_text(json.dumps(data), encoding="utf-8")
            partial.replace(cached)
    except OSError as exc:
        raise DependencyError(f"PubChem's answers cannot be cached in {folder}: {exc.strerror or exc}") from exc
    out = []
    for item in data.get("PropertyTable", {}).get("Properties", []):
        smiles = item.get("SMILES") or item.get("IsomericSMILES") or item.get("CanonicalSMILES") or ""
        if item.get("CID") and smiles:
            out.append(Compound(int(item["CID"]), smiles, item.get("InChIKey", ""), item.get("Title", "")))
    return out
