"""PubChem online, against a local HTTP server on the loopback interface that answers in PUG-REST's documented
JSON formats (tests/data/pubchem/, written by hand). No test reaches the internet."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from chemprops import pubchem, verify
from chemprops.cli import cli
from chemprops.errors import DependencyError, NotFoundError
from chemprops.resolve import resolve

FIXTURES = Path(__file__).parent / "data" / "pubchem"
VONOPRAZAN_KEY = "BFDBKMOZYNOTPK-UHFFFAOYSA-N"  # PubChem CID 15981397


class Server:
    """Answers /rest/pug/compound/{namespace}/{id}/property/.../JSON from `routes` ({(namespace, id): answers});
    each answer is (HTTP status, fixture file, seconds to wait); the last answer repeats."""

    def __init__(self, routes):
        self.routes = {k: list(v) for k, v in routes.items()}
        self.requests: list[tuple[float, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server API
                outer.requests.append((time.monotonic(), self.path))
                parts = self.path.split("/")
                key = (parts[4], parts[5]) if len(parts) > 5 else None
                answers = outer.routes.get(key, [(404, "notfound.json", 0)])
                status, fixture, wait = answers.pop(0) if len(answers) > 1 else answers[0]
                time.sleep(wait)
                body = (FIXTURES / fixture).read_bytes()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/rest/pug"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def pug(monkeypatch, tmp_path):
    def start(routes):
        server = Server(routes)
        monkeypatch.setenv("CHEMPROPS_PUBCHEM_URL", server.url)
        monkeypatch.setenv("CHEMPROPS_CACHE_DIR", str(tmp_path / "cache"))
        monkeypatch.setattr(pubchem, "RETRY_PAUSE", 0.05)
        return server

    return start


def test_a_name_in_no_offline_table_is_asked_of_pubchem_once(pug):
    with pug({("name", "vonoprazan"): [(200, "vonoprazan.json", 0)]}) as server:
        found = resolve("vonoprazan", online=True)
        assert found.source == "PubChem (online): name 'vonoprazan' -> CID 15981397"
        assert found.name == "Vonoprazan" and found.record["pubchem_cid"] == "15981397"
        again = resolve("vonoprazan", online=True)  # from the disk cache
        assert len(server.requests) == 1 and again.source == found.source
        assert "/compound/name/vonoprazan/property/IsomericSMILES,InChIKey,Title/JSON" in server.requests[0][1]


def test_never_online_without_the_option(pug, monkeypatch):
    monkeypatch.delenv("CHEMPROPS_ONLINE", raising=False)
    with pug({("name", "vonoprazan"): [(200, "vonoprazan.json", 0)]}) as server:
        with pytest.raises(NotFoundError, match="add --online to ask PubChem"):
            resolve("vonoprazan")
        assert server.requests == []
        monkeypatch.setenv("CHEMPROPS_ONLINE", "1")  # the setting in the environment
        assert resolve("vonoprazan").source.startswith("PubChem (online)")


def test_not_found_is_an_answer_and_is_cached(pug):
    with pug({}) as server:
        with pytest.raises(NotFoundError, match="nor in PubChem"):
            resolve("zzqxnotachemical", online=True)
        with pytest.raises(NotFoundError):
            resolve("zzqxnotachemical", online=True)
        assert len(server.requests) == 1


def test_a_busy_server_gets_one_retry(pug):
    with pug({("name", "vonoprazan"): [(503, "busy.json", 0), (200, "vonoprazan.json", 0)]}) as server:
        assert pubchem.lookup("name", "vonoprazan")[0].inchikey == VONOPRAZAN_KEY
        assert len(server.requests) == 2
    with pug({("name", "vonoprazan"): [(503, "busy.json", 0)]}) as server:
        with pytest.raises(DependencyError, match="HTTP 503"):
            pubchem.lookup("name", "vonoprazan")
        assert len(server.requests) == 2


def test_a_request_that_hangs_times_out(pug, monkeypatch):
    monkeypatch.setattr(pubchem, "TIMEOUT", 0.3)
    with pug({("name", "vonoprazan"): [(200, "vonoprazan.json", 2)]}) as server:
        with pytest.raises(DependencyError, match="cannot be reached"):
            pubchem.lookup("name", "vonoprazan")
        assert len(server.requests) == 2  # the first try and its one retry


def test_at_most_five_requests_a_second(pug):
    names = [f"compound{i}" for i in range(6)]
    with pug({}) as server:
        for name in names:
            pubchem.lookup("name", name)
        times = [t for t, _ in server.requests]
        assert len(times) == 6
        assert min(b - a for a, b in zip(times, times[1:])) >= pubchem.MIN_INTERVAL - 0.02
        assert times[-1] - times[0] >= 5 * pubchem.MIN_INTERVAL - 0.05


def test_verify_asks_pubchem_for_a_cas_number_in_no_offline_table(pug):
    record = {"name": "vonoprazan", "smiles": "CNCc1cc(-c2ccccc2F)n(S(=O)(=O)c2cccnc2)c1", "cas": "881681-00-1"}
    with pug({("name", "881681-00-1"): [(200, "vonoprazan.json", 0)]}) as server:
        offline = verify(record).set_index("check").loc["cas"]
        assert offline["status"] == "unverified" and "--online asks PubChem" in offline["message"]
        assert server.requests == []
        online = verify(record, online=True).set_index("check").loc["cas"]
        assert online["status"] == "pass" and "PubChem (online)" in online["message"]
        wrong = verify({**record, "smiles": "CC(=O)Oc1ccccc1C(=O)O"}, online=True).set_index("check").loc["cas"]
        assert wrong["status"] == "fail" and "Vonoprazan" in wrong["message"]


def test_the_cli_option(pug):
    with pug({("name", "vonoprazan"): [(200, "vonoprazan.json", 0)]}):
        result = CliRunner().invoke(cli, ["props", "vonoprazan", "--online", "--format", "json", "-d", "none"])
        assert result.exit_code == 0, result.output
        row = json.loads(result.output)[0]
        assert row["inchikey"] == VONOPRAZAN_KEY and row["source"].startswith("PubChem (online)")
        result = CliRunner().invoke(cli, ["props", "vonoprazan", "--offline"])
        assert result.exit_code == 2 and "add --online" in result.output


def test_identifiers_go_to_their_own_namespace(pug):
    routes = {
        ("cid", "15981397"): [(200, "vonoprazan.json", 0)],
        ("inchikey", VONOPRAZAN_KEY): [(200, "vonoprazan.json", 0)],
    }
    with pug(routes) as server:
        assert resolve("CID 15981397", online=True).source == "PubChem (online): CID 15981397 -> CID 15981397"
        assert resolve(VONOPRAZAN_KEY, online=True).source.startswith("PubChem (online): InChIKey")
        paths = [p for _, p in server.requests]
        assert "/compound/cid/15981397/property/" in paths[0] and f"/compound/inchikey/{VONOPRAZAN_KEY}/" in paths[1]


def test_batch_never_asks_pubchem(pug, monkeypatch, tmp_path):
    monkeypatch.setenv("CHEMPROPS_ONLINE", "1")
    source = tmp_path / "names.csv"
    source.write_text("drug\nvonoprazan\n")
    with pug({("name", "vonoprazan"): [(200, "vonoprazan.json", 0)]}) as server:
        result = CliRunner().invoke(cli, ["batch", str(source), "--name-col", "drug", "-d", "none", "-q"])
        assert result.exit_code == 0 and "not a name in the catalog or identifier table" in result.stdout
        assert server.requests == []


def test_an_unwritable_cache_is_a_one_line_error(pug, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pug({("name", "vonoprazan"): [(200, "vonoprazan.json", 0)]}):
        monkeypatch.setenv("CHEMPROPS_CACHE_DIR", str(blocker / "cache"))
        with pytest.raises(DependencyError, match="cannot be cached"):
            pubchem.lookup("name", "vonoprazan")
