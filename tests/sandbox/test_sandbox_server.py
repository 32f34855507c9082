"""The server as a whole: concurrency, persistence, start/stop, and the CLI front end."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from crmkit.errors import ConfigError
from crmkit.sandbox import SandboxOptions, running
from tests.support.sandbox_api import Api

UPSERT = "/crm/v3/objects/contacts/batch/upsert"


def _parallel(count: int, call: object) -> list[requests.Response]:
    """Run ``call(i)`` from ``count`` threads released together."""
    barrier = threading.Barrier(count)

    def go(i: int) -> requests.Response:
        barrier.wait()
        return call(i)  # type: ignore[operator]

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(go, range(count)))


def test_32_parallel_upserts_of_one_email_make_one_contact(api: Api) -> None:
    item = {"id": "same@x.com", "idProperty": "email", "properties": {"firstname": "S"}}

    def upsert(i: int) -> requests.Response:
        return requests.post(
            api.url + UPSERT, json={"inputs": [item]}, headers=api.sandbox.headers, timeout=10
        )

    answers = _parallel(32, upsert)
    assert {a.status_code for a in answers} == {200}
    news = [a.json()["results"][0]["new"] for a in answers]
    assert news.count(True) == 1
    assert len({a.json()["results"][0]["id"] for a in answers}) == 1
    assert api.sandbox.stats()["records"]["contacts"] == 1


def test_32_parallel_creates_of_one_email_one_wins(api: Api) -> None:
    def create(i: int) -> requests.Response:
        body = {"inputs": [{"properties": {"email": "race@x.com", "firstname": str(i)}}]}
        return requests.post(
            api.url + "/crm/v3/objects/contacts/batch/create",
            json=body,
            headers=api.sandbox.headers,
            timeout=10,
        )

    codes = sorted(a.status_code for a in _parallel(32, create))
    assert codes == [201] + [409] * 31


def test_data_survives_a_restart_with_a_file_db(tmp_path: Path) -> None:
    db = str(tmp_path / "sandbox.sqlite")
    with running(db=db, token="t") as sb:
        api = Api(sb)
        api.unique_property("companies")
        (company,) = api.create("companies", {"name": "Kept", "crmkit_import_key": "k1"})
        (contact,) = api.create("contacts", {"email": "kept@x.com"})
        assoc = {"inputs": [{"from": {"id": contact["id"]}, "to": {"id": company["id"]}}]}
        assert api.post("/crm/v4/associations/contacts/companies/batch/associate/default", assoc).ok
    with running(db=db, token="t") as sb:
        api = Api(sb)
        stats = sb.stats()
        assert stats["records"] == {"contacts": 1, "companies": 1, "tickets": 0, "notes": 0}
        assert stats["associations"] == 1
        item = {"id": "k1", "idProperty": "crmkit_import_key", "properties": {"name": "Kept 2"}}
        answer = api.post("/crm/v3/objects/companies/batch/upsert", {"inputs": [item]})
        (result,) = answer.json()["results"]
        assert result["id"] == company["id"] and result["new"] is False
        dup = api.post(
            "/crm/v3/objects/contacts/batch/create",
            {"inputs": [{"properties": {"email": "kept@x.com"}}]},
        )
        assert dup.status_code == 409
        (fresh,) = api.create("contacts", {"email": "new@x.com"})
        assert int(fresh["id"]) > max(int(company["id"]), int(contact["id"]))


def test_starts_and_stops_without_leaks() -> None:
    before = {t.name for t in threading.enumerate()}
    with running() as sb:
        port = int(sb.base_url.rsplit(":", 1)[1])
        assert requests.get(
            sb.base_url + "/crm/v3/objects/contacts", headers=sb.headers, timeout=5
        ).ok
    assert {t.name for t in threading.enumerate()} <= before
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/", timeout=1)


def test_given_token_and_port_in_use() -> None:
    with running(token="secret-token") as sb:
        assert sb.token == "secret-token"
        port = int(sb.base_url.rsplit(":", 1)[1])
        with pytest.raises(ConfigError), running(port=port):
            pass


@pytest.mark.parametrize(
    "bad",
    [{"tier": "platinum"}, {"fault_rate": 1.5}, {"fault_kinds": {"meteor": 1.0}}, {"window_s": 0}],
)
def test_bad_options_are_config_errors(bad: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        SandboxOptions(**bad)  # type: ignore[arg-type]


def test_cli_prints_the_url_and_stops_cleanly_on_ctrl_c() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "crmkit.cli", "sandbox", "--token", "cli-token", "--tier", "free"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line.startswith("crmkit sandbox listening on http://127.0.0.1:")
        assert "cli-token" not in line
        url = line.split(" on ", 1)[1].split()[0]
        answer = requests.get(
            url + "/crm/v3/objects/contacts",
            headers={"Authorization": "Bearer cli-token"},
            timeout=5,
        )
        assert answer.headers["X-HubSpot-RateLimit-Max"] == "100"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert "Traceback" not in err and out == ""


def test_cli_bad_tier_is_a_message_not_a_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "crmkit.cli", "sandbox", "--tier", "platinum"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert "unknown tier" in done.stderr and "Traceback" not in done.stderr
