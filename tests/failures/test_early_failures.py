"""A run that fails before anything could be written (the portal fails while crmkit reads its
schema, a CSV cannot be read) must not leave a half-made run behind: the message must not
promise a resume that cannot work, and the same --run-id must work once the cause is fixed."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmkit.sandbox import running
from tests.failures.export import write_export
from tests.support.cli import CliRunner, import_args
from tests.support.stub_server import Canned, Seen, hubspot_error, misbehaving


def test_portal_failing_while_its_schema_is_read(
    cli: CliRunner, export: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """GET /crm/v3/properties/contacts keeps answering 503 (plan stage): exit 2, one line, no
    'resume' advice; once the portal is healthy the same run id imports everything."""
    out = tmp_path / "out"
    sick = {"on": True}

    def rule(seen: Seen) -> Canned | None:
        if sick["on"] and seen.path.startswith("/crm/v3/properties/contacts"):
            return hubspot_error(503, "SERVICE_UNAVAILABLE", "properties are resting")
        return None

    with (
        running(tier="enterprise") as box,
        misbehaving(rule, upstream=box.base_url, upstream_token=box.token) as proxy,
    ):
        ran = cli(*import_args(export, proxy.base_url, out, "early"), token="tok")
        assert ran.code == 2, ran.err
        assert "resting" in ran.err and "--resume" not in ran.err + caplog.text
        sick["on"] = False
        again = cli(*import_args(export, proxy.base_url, out, "early"), token="tok")
    assert again.code == 0, again.err


@pytest.mark.parametrize("broken", ["companies.csv", "tickets.csv"])
def test_unreadable_csv_in_a_real_run(
    cli: CliRunner, tmp_path: Path, broken: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A real (not dry) run whose CSV cannot be read: one line, and once the file is fixed the
    same run id is accepted (nothing was sent, so there is nothing to resume)."""
    data = write_export(tmp_path / "data")
    good = (data / broken).read_bytes()
    (data / broken).write_bytes(b"\x00\x01\x02binary\x00" * 50)
    out = tmp_path / "out"
    with running(tier="enterprise") as box:
        ran = cli(*import_args(data, box.base_url, out, "csv"), token=box.token)
        assert ran.code == 2 and len(ran.err_lines) == 1, ran.err
        assert broken in ran.err and "--resume" not in ran.err + caplog.text
        (data / broken).write_bytes(good)
        again = cli(*import_args(data, box.base_url, out, "csv"), token=box.token)
    assert again.code == 0, again.err
