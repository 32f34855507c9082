"""Option drift over real HTTP: the analyst adds a Freshdesk ticket type to the portal.

The tickets are ``lenient_exports/freshdesk`` (a Freshdesk trial's export with custom types;
see that folder's README). The mapping file's ``options`` section says, per property, what to
do with each unmatched value: add it to the portal, map it, or leave it empty.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crmkit.errors import MappingError
from crmkit.hubspot import HubSpotClient, RetryPolicy
from crmkit.mapping import load_mapping_file
from crmkit.pipeline import ImportOptions, rollback, run_import
from crmkit.sandbox import RunningSandbox, running
from tests.support.portal import read_back

EXPORTS = Path(__file__).resolve().parent / "lenient_exports"
FAST_RETRY = RetryPolicy(max_attempts=8, base_delay_s=0.01, max_delay_s=0.05, timeout_s=5.0)
CHOICES = {
    "version": 1,
    "tickets": {
        "options": {
            "hs_ticket_category": {"Push Notifications": "add", "API / Integrations": None},
            "hs_pipeline_stage": {"OpenPending": "3"},
        }
    },
}


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningSandbox]:
    with running(tier="enterprise") as box:
        monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", box.token)
        yield box


def mapping_file(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "mapping.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def categories(box: RunningSandbox) -> list[str]:
    client = HubSpotClient(box.base_url, box.token)
    found = client.get_property("tickets", "hs_ticket_category")
    return [o["value"] for o in found["options"]]


def test_an_added_option_is_planned_made_used_and_rolled_back(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """The plan lists the new option with its rows; the import adds it before the tickets, the
    tickets carry it, the report says so; rollback archives the tickets, then removes it."""
    path = mapping_file(tmp_path, CHOICES)
    options: dict[str, Any] = {
        "data_dir": EXPORTS / "freshdesk",
        "mapping_file": path,
        "output_dir": tmp_path / "out",
        "tier": "enterprise",
        "progress": False,
        "retry": FAST_RETRY,
    }
    dry = run_import(ImportOptions(**options, dry_run=True, run_id="dry"))
    (planned,) = dry.report["schema_changes"]
    assert planned["state"] == "planned" and planned["rows"] == 2
    assert planned["value"] == "PUSH_NOTIFICATIONS" and planned["label"] == "Push Notifications"
    assert "Portal change (planned): option 'Push Notifications'" in dry.summary_text
    assert "PUSH_NOTIFICATIONS" not in categories(sandbox)  # a dry run changes nothing

    result = run_import(ImportOptions(**options, target=sandbox.base_url, run_id="drift"))
    assert result.complete, result.summary_text
    (made,) = result.report["schema_changes"]
    assert made["state"] == "added"
    assert "PUSH_NOTIFICATIONS" in categories(sandbox)
    tickets = result.report["objects"]["tickets"]
    assert tickets["landed_partial"] == 0  # every value was decided: nothing left out
    assert result.report["unmatched"] == {}
    held = read_back(
        sandbox.base_url,
        sandbox.token,
        {
            "companies": ["crmkit_import_key"],
            "contacts": ["email"],
            "tickets": ["crmkit_import_key", "subject", "hs_ticket_category", "hs_pipeline_stage"],
        },
    )
    by_subject = {p["subject"]: p for p in held.properties["tickets"].values()}
    assert by_subject["Silent push badge count wrong"]["hs_ticket_category"] == (
        "PUSH_NOTIFICATIONS"
    )
    webhook = by_subject["Webhook retries flood our endpoint"]
    assert webhook["hs_pipeline_stage"] == "3" and not webhook.get("hs_ticket_category")

    said = rollback("drift", output_dir=tmp_path / "out", target=sandbox.base_url)
    assert "Removed option 'Push Notifications' of tickets.hs_ticket_category" in said
    assert "PUSH_NOTIFICATIONS" not in categories(sandbox)


def test_an_option_is_not_removed_while_a_record_uses_it(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """A second run finds the option there (existed: never its to remove); a ticket someone
    else made with it keeps it through the first run's rollback."""
    path = mapping_file(tmp_path, CHOICES)
    base: dict[str, Any] = {
        "data_dir": EXPORTS / "freshdesk",
        "mapping_file": path,
        "target": sandbox.base_url,
        "tier": "enterprise",
        "progress": False,
        "retry": FAST_RETRY,
    }
    first = run_import(ImportOptions(**base, output_dir=tmp_path / "a", run_id="a"))
    second = run_import(ImportOptions(**base, output_dir=tmp_path / "b", run_id="b"))
    assert first.report["schema_changes"][0]["state"] == "added"
    assert second.report["schema_changes"][0]["state"] == "existed"
    client = HubSpotClient(sandbox.base_url, sandbox.token)
    outside = {
        "subject": "Made by hand in the portal",
        "hs_pipeline": "0",
        "hs_pipeline_stage": "1",
        "hs_ticket_category": "PUSH_NOTIFICATIONS",
    }
    client.batch("tickets", "create", [{"properties": outside}])
    said = rollback("a", output_dir=tmp_path / "a", target=sandbox.base_url)
    assert "Kept option 'Push Notifications' of tickets.hs_ticket_category (1 records use it)" in (
        said
    )
    assert "PUSH_NOTIFICATIONS" in categories(sandbox)


def test_read_only_options_and_unknown_choices_are_mapping_errors(tmp_path: Path) -> None:
    """``industry``'s options cannot be edited (readOnlyOptions): adding one is refused before
    anything runs, naming the closest options; a choice that is no option is refused too."""
    bad = {"version": 1, "companies": {"options": {"industry": {"Arts / Crafts": "add"}}}}
    with pytest.raises(MappingError, match=r"readOnlyOptions.*closest options"):
        load_mapping_file(mapping_file(tmp_path, bad))
    wrong = {"version": 1, "tickets": {"options": {"hs_ticket_category": {"Bug": "BUGS"}}}}
    with pytest.raises(MappingError, match="not an option of 'hs_ticket_category'"):
        load_mapping_file(mapping_file(tmp_path, wrong))
    stage = {"version": 1, "tickets": {"options": {"hs_pipeline_stage": {"OpenPending": "add"}}}}
    with pytest.raises(MappingError, match="stages or pipelines is not supported yet"):
        load_mapping_file(mapping_file(tmp_path, stage))
