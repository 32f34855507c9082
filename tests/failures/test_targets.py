"""Mistakes in what the user points crmkit at — the target URL, the output folder, the run id —
end with one clear line (exit 2), quickly, without a traceback and without the token."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from crmkit.sandbox import running
from tests.support.cli import CliRunner, free_port, import_args
from tests.support.stub_server import Canned, Seen, misbehaving

TOKEN = "pat-na1-secret-9f8e7d6c"
LOGIN_PAGE = (
    "<!DOCTYPE html><html><head><title>Corporate proxy - sign in</title></head>"
    "<body><form action='/login'><input name='user'></form></body></html>"
)


def always(answer: Canned) -> Callable[[Seen], Canned]:
    return lambda _seen: answer


def check_one_line(ran_err: str, code: int) -> str:
    lines = [line for line in ran_err.splitlines() if line.strip()]
    assert code == 2, ran_err
    assert len(lines) == 1 and lines[0].startswith("crmkit: "), ran_err
    assert "Traceback" not in ran_err and TOKEN not in ran_err
    return lines[0]


def test_nothing_listening_at_the_target(cli: CliRunner, export: Path, tmp_path: Path) -> None:
    """A typo'd port on loopback: 'cannot reach' the URL, connection refused, no noise."""
    target = f"http://127.0.0.1:{free_port()}"
    ran = cli(*import_args(export, target, tmp_path / "out", "typo"), token=TOKEN)
    line = check_one_line(ran.err, ran.code)
    assert target in line and "refused" in line
    assert "HTTPConnectionPool" not in line and "Max retries" not in line


def test_https_to_a_plain_http_server(
    cli: CliRunner, export: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """https:// against the (plain http) sandbox: a TLS failure is not retried (the client
    logs every retry it schedules), and the message suggests http://."""
    caplog.set_level(logging.INFO, logger="crmkit.hubspot")
    with running() as box:
        target = box.base_url.replace("http://", "https://")
        ran = cli(*import_args(export, target, tmp_path / "out", "tls"), token=TOKEN)
        requests_seen = box.stats()["requests"]["total"]
    line = check_one_line(ran.err, ran.code)
    assert "TLS" in line and "http://" in line and "HTTPSConnectionPool" not in line
    assert requests_seen == 0
    assert "retrying in" not in caplog.text


@pytest.mark.parametrize("path", ["/crm/v3", "/crm/v3/objects/contacts", "/crm/"])
def test_target_with_an_api_path(cli: CliRunner, export: Path, tmp_path: Path, path: str) -> None:
    """The URL of an endpoint instead of the base URL: refused before any request, with the
    base URL to use instead."""
    with running() as box:
        ran = cli(*import_args(export, box.base_url + path, tmp_path / "out", "path"), token=TOKEN)
        requests_seen = box.stats()["requests"]["total"]
    line = check_one_line(ran.err, ran.code)
    assert box.base_url in line and "without" in line
    assert requests_seen == 0


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        pytest.param(Canned(200, LOGIN_PAGE, "text/html"), "HTML page", id="login-page-200"),
        pytest.param(Canned(200, "OK", "text/plain"), "not JSON", id="text-200"),
        pytest.param(Canned(502, LOGIN_PAGE, "text/html"), "HTML page", id="proxy-502-html"),
        pytest.param(Canned(404, LOGIN_PAGE, "text/html"), "HTML page", id="website-404"),
    ],
)
def test_a_server_that_is_not_the_api(
    cli: CliRunner, export: Path, tmp_path: Path, answer: Canned, expected: str
) -> None:
    """A proxy, login page or web site answering instead of HubSpot's JSON API: one line that
    says so and names the target; no HTML soup in the message, no retry storm."""
    with misbehaving(always(answer)) as proxy:
        ran = cli(*import_args(export, proxy.base_url, tmp_path / "out", "html"), token=TOKEN)
        calls = len(proxy.log)
    line = check_one_line(ran.err, ran.code)
    assert expected in line and proxy.base_url in line
    assert "<html" not in line.lower() and "<form" not in line
    if answer.status < 500:
        assert calls == 1, "an answer that is not the API is not retried"


def test_output_folder_not_writable(cli: CliRunner, export: Path, tmp_path: Path) -> None:
    """--output names a file (or a folder without write permission): one line naming it."""
    blocker = tmp_path / "out.txt"
    blocker.write_text("not a folder")
    ran = cli("import", "--data", str(export), "--dry-run", "--output", str(blocker))
    line = check_one_line(ran.err, ran.code)
    assert str(blocker) in line
    if os.geteuid() != 0:  # root writes anywhere: the permission case only means something else
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        ran = cli("import", "--data", str(export), "--dry-run", "--output", str(locked))
        assert str(locked) in check_one_line(ran.err, ran.code)


def test_run_id_that_exists_and_resume_of_an_unknown_run(
    cli: CliRunner, export: Path, tmp_path: Path
) -> None:
    """A second run with the --run-id of a finished run is refused; --resume of a run that
    never was names the folder it looked in."""
    out = tmp_path / "out"
    with running(tier="enterprise") as box:
        first = cli(*import_args(export, box.base_url, out, "same"), token=box.token)
        assert first.code == 0, first.err
        again = cli(*import_args(export, box.base_url, out, "same"), token=box.token)
        assert "finished" in check_one_line(again.err, again.code) and "--run-id" in again.err
        unknown = cli(*import_args(None, box.base_url, out, "nosuch"), token=box.token)
        line = check_one_line(unknown.err, unknown.code)
        assert "nosuch" in line and str(out) in line
