"""The portal answers, but not as hoped: one object type keeps failing with 5xx, the import-key
property exists in a shape crmkit cannot use, HubSpot refuses a value crmkit thought valid."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from crmkit.hubspot import HubSpotClient
from crmkit.sandbox import running
from crmkit.schema import IMPORT_KEY_PROPERTY, import_key_definition
from tests.failures.export import TICKETS, write_export
from tests.support.cli import CliRunner, import_args
from tests.support.journal import journal_keys as planned_keys
from tests.support.journal import journal_states
from tests.support.portal import portal_keys
from tests.support.stub_server import Canned, Seen, hubspot_error, misbehaving


def errors_csv(run_dir: Path) -> list[dict[str, str]]:
    with (run_dir / "errors.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_persistent_5xx_for_tickets_is_reported_honestly_and_resumed(
    cli: CliRunner, export: Path, tmp_path: Path
) -> None:
    """Every ticket write answers 503: companies and contacts land, tickets end 'sent' with
    the server's reason in errors.csv, the report says incomplete (exit 1); a resume once the
    portal is healthy sends them again and completes without duplicates."""
    out = tmp_path / "out"
    run_dir = out / "runs" / "t5xx"
    sick = {"on": True}

    def rule(seen: Seen) -> Canned | None:
        if sick["on"] and seen.path.startswith("/crm/v3/objects/tickets/batch/"):
            return hubspot_error(503, "SERVICE_UNAVAILABLE", "Tickets are having a bad day")
        return None

    with (
        running(tier="enterprise") as box,
        misbehaving(rule, upstream=box.base_url, upstream_token=box.token) as proxy,
    ):
        ran = cli(*import_args(export, proxy.base_url, out, "t5xx"), token="tok")
        assert ran.code == 1, ran.err
        report = json.loads((run_dir / "report.json").read_text())
        assert report["status"] == "incomplete"
        tickets = report["objects"]["tickets"]
        assert tickets["created"] == 0 and tickets["failed"] == TICKETS
        assert report["objects"]["contacts"]["failed"] == 0
        assert report["requests"]["server_errors"] >= 1
        assert journal_states(run_dir)["sent"] == TICKETS
        rows = [r for r in errors_csv(run_dir) if r["stage"] == "import"]
        assert len(rows) == TICKETS and all("bad day" in r["message"] for r in rows)
        assert "--resume t5xx" in ran.out + ran.err

        sick["on"] = False
        resumed = cli(*import_args(None, proxy.base_url, out, "t5xx"), token="tok")
        assert resumed.code == 0, resumed.err + resumed.out
        assert portal_keys(box.base_url, box.token) == planned_keys(run_dir)
        report = json.loads((run_dir / "report.json").read_text())
        assert report["associations"]["failed"] == 0


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param({"hasUniqueValue": False}, "unique", id="not-unique"),
        pytest.param(
            {"type": "number", "fieldType": "number", "hasUniqueValue": True},
            "number",
            id="number-type",
        ),
    ],
)
def test_an_unusable_import_key_property_is_refused_before_any_write(
    cli: CliRunner, export: Path, tmp_path: Path, change: dict[str, Any], expected: str
) -> None:
    """crmkit_import_key exists already on companies, but not unique (or as a number): a
    one-line error naming the property before a single record is written."""
    with running(tier="enterprise") as box:
        with HubSpotClient(box.base_url, box.token) as client:
            definition = {**import_key_definition("companies"), **change}
            client.create_property("companies", definition)
        before = box.stats()["requests"]["by_endpoint"]
        ran = cli(*import_args(export, box.base_url, tmp_path / "out", "key"), token=box.token)
        after = box.stats()
    assert ran.code == 2, ran.err
    assert len(ran.err_lines) == 1 and "Traceback" not in ran.err
    assert IMPORT_KEY_PROPERTY in ran.err and expected in ran.err
    writes = {e: n for e, n in after["requests"]["by_endpoint"].items() if "/batch/" in e}
    assert writes == {e: n for e, n in before.items() if "/batch/" in e} == {}
    assert sum(after["records"].values()) == 0


def test_a_value_the_portal_refuses_fails_that_record_only(cli: CliRunner, tmp_path: Path) -> None:
    """The portal's schema (as read) lists a company type 'Distributor' that its writes then
    refuse (a stale or inconsistent portal): that company fails with HubSpot's reason in
    errors.csv, every other record and link lands, and the run says incomplete."""
    data = write_export(
        tmp_path / "data", extra_company=["Odd One Ltd", "odd.example", "Distributor"]
    )
    extra_option = {
        "label": "Distributor",
        "value": "DISTRIBUTOR",
        "displayOrder": 9,
        "hidden": False,
    }

    def with_distributor(upstream: str, token: str) -> Canned:
        with HubSpotClient(upstream, token) as client:
            results = client.properties("companies")
        for prop in results:
            if prop["name"] == "type":
                prop["options"] = [*prop["options"], extra_option]
        return Canned(200, {"results": results})

    out = tmp_path / "out"
    with running(tier="enterprise") as box:

        def rule(seen: Seen) -> Canned | None:
            if seen.method == "GET" and seen.path.startswith("/crm/v3/properties/companies"):
                return with_distributor(box.base_url, box.token)
            return None

        with misbehaving(rule, upstream=box.base_url, upstream_token=box.token) as proxy:
            ran = cli(*import_args(data, proxy.base_url, out, "option"), token="tok")
        held = portal_keys(box.base_url, box.token)
    run_dir = out / "runs" / "option"
    assert ran.code == 1, ran.err
    report = json.loads((run_dir / "report.json").read_text())
    assert report["objects"]["companies"]["failed"] == 1
    refused = [r for r in errors_csv(run_dir) if r["stage"] == "import"]
    assert len(refused) == 1
    assert refused[0]["file"] == "companies.csv" and refused[0]["category"] == "INVALID_OPTION"
    assert "DISTRIBUTOR" in refused[0]["message"]
    expected = planned_keys(run_dir)
    odd = refused[0]["key"]
    expected["companies"].pop(odd)
    assert held == expected
