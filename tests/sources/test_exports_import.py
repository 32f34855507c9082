"""A Salesforce data export (folder or zip) and an owner column land whole over HTTP, with
their links by id and their owners; owners that do not resolve are reported, never guessed."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from crmkit.sandbox import RunningSandbox, running
from tests.sources.sources_support import (
    imported,
    planned_keys,
    planned_links,
    portal_notes,
    read_portal,
)

SALESFORCE = Path(__file__).parent / "fixtures" / "salesforce"
ZENDESK = Path(__file__).parent / "fixtures" / "zendesk"
ZENDESK_CSV = Path(__file__).parents[1] / "realworld" / "exports" / "zendesk" / "tickets.csv"
OWNERS = (
    {"email": "dana@corp.test", "firstName": "Dana", "lastName": "Whitfield"},
    {"email": "sam.a@corp.test", "firstName": "Sam", "lastName": "Lee"},
    {"email": "sam.b@corp.test", "firstName": "Sam", "lastName": "Lee"},
    {"email": "raj@corp.test", "firstName": "Raj", "lastName": "Patel"},
    {"email": "agent.kim@corp.test", "firstName": "Kim", "lastName": "Agent"},
)


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningSandbox]:
    with running(tier="enterprise") as box:
        box.add_owners(*OWNERS)
        monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", box.token)
        yield box


def _owner_ids(box: RunningSandbox) -> dict[str, str]:
    from crmkit.hubspot import HubSpotClient

    return {o["email"]: o["id"] for o in HubSpotClient(box.base_url, box.token).owners()}


@pytest.mark.parametrize("packed", [False, True], ids=["folder", "zip"])
def test_a_salesforce_export_lands_whole_with_links_and_owners(
    sandbox: RunningSandbox, tmp_path: Path, packed: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    """Account/Contact/Lead/Case by their file names, links by AccountId and ContactId, owners
    by OwnerId through User.csv; Note.csv becomes notes on their records."""
    source = SALESFORCE
    if packed:
        source = tmp_path / "WE_00D5g000004ABCD_1.zip"
        with zipfile.ZipFile(source, "w") as zf:
            for path in SALESFORCE.glob("*.csv"):
                zf.write(path, path.name)
    code, report, plan = imported(source, tmp_path / "out", sandbox.base_url)
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "contacts ← Lead.csv: Salesforce Lead (lifecycle stage lead)" in printed
    assert "owners ← User.csv" in printed
    assert "notes ← Note.csv: Salesforce Note" in printed
    objects = report["objects"]
    assert {t: (o["rows"], o["created"], o["rejected"]) for t, o in objects.items()} == {
        "companies": (2, 2, 0),
        "contacts": (4, 4, 0),
        "tickets": (2, 2, 0),
        "notes": (1, 1, 0),
    }
    state = read_portal(sandbox.base_url, sandbox.token)
    assert state.counts == planned_keys(plan)
    assert state.links == planned_links(plan)
    assert {
        ("contacts", "maria.garcia@northwind.test", "companies", "company:id:0015g00000NwTrdAAB"),
        ("contacts", "ada@bluebird.test", "companies", "company:id:0015g00000BlBrdAAC"),
        ("tickets", "ticket:id:5005g00000XyZaBAAV", "contacts", "maria.garcia@northwind.test"),
        ("tickets", "ticket:id:5005g00000XyZbBAAV", "companies", "company:id:0015g00000BlBrdAAC"),
    } <= state.links
    maria = next(r for r in plan.records["contacts"] if r.key == "maria.garcia@northwind.test")
    assert maria.source_rows == [("Contact.csv", 2)]
    notes = portal_notes(sandbox.base_url, sandbox.token)
    assert set(notes) == {"note:id:salesforce:0025g00000AbCdEAAV"}
    note = notes["note:id:salesforce:0025g00000AbCdEAAV"]
    assert note["body"] == "Call\n\nWants a quote for Q3."
    assert note["when"].startswith("2024-03-01T10:00:00")
    assert len(note["linked"]) == 1 and next(iter(note["linked"]))[0] == "contacts"
    petra = next(r for r in plan.records["contacts"] if r.key == "petra@greenfield.test")
    assert petra.properties["lifecyclestage"] == "lead"
    dana = _owner_ids(sandbox)["dana@corp.test"]
    owned = {r.key for t in plan.records for r in plan.records[t]
             if r.properties.get("hubspot_owner_id") == dana}  # fmt: skip
    assert owned == {
        "company:id:0015g00000NwTrdAAB",
        "maria.garcia@northwind.test",
        "petra@greenfield.test",
        "ticket:id:5005g00000XyZaBAAV",
    }
    found = {(i.file, i.row, i.category) for i in plan.issues if "OWNER" in i.category}
    assert found == {
        ("Account.csv", 3, "COULD_NOT_FIND_OWNER"),  # Old Timer is no portal owner
        ("Contact.csv", 4, "COULD_NOT_FIND_OWNER"),
        ("Contact.csv", 3, "MULTIPLE_OWNERS_FOUND"),  # two portal owners are named Sam Lee
        ("Case.csv", 3, "MULTIPLE_OWNERS_FOUND"),
    }
    assert report["errors_by_category"] == {}  # warnings only: every record landed


def test_an_owner_column_resolves_by_email_and_by_name(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "contacts.csv").write_text(
        "Email,First Name,Contact Owner\n"
        "a@x.test,Ann,raj@corp.test\n"
        "b@x.test,Bo,  dana   WHITFIELD \n"
        "c@x.test,Cy,Sam Lee\n"
        "d@x.test,Di,Nobody Here\n"
        "e@x.test,Ed,\n",
        encoding="utf-8",
    )
    code, report, plan = imported(folder, tmp_path / "out", sandbox.base_url)
    assert code == 0
    ids = _owner_ids(sandbox)
    owner = {r.key: r.properties.get("hubspot_owner_id") for r in plan.records["contacts"]}
    assert owner == {
        "a@x.test": ids["raj@corp.test"],
        "b@x.test": ids["dana@corp.test"],
        "c@x.test": None,
        "d@x.test": None,
        "e@x.test": None,
    }
    issues = {i.row: (i.category, i.column) for i in plan.issues if "OWNER" in i.category}
    assert issues == {
        4: ("MULTIPLE_OWNERS_FOUND", "Contact Owner"),
        5: ("COULD_NOT_FIND_OWNER", "Contact Owner"),
    }
    assert report["objects"]["contacts"]["created"] == 5


def test_a_zendesk_export_lands_whole_with_links_and_owners(
    sandbox: RunningSandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """organizations.json (API pages), users.json and tickets.json (NDJSON): links by
    organization_id and requester_id, assignees through the agents in users.json."""
    code, report, plan = imported(ZENDESK, tmp_path / "out", sandbox.base_url)
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "companies ← organizations.json: Zendesk organizations" in printed
    assert {t: (o["rows"], o["created"]) for t, o in report["objects"].items()} == {
        "companies": (2, 2),
        "contacts": (3, 3),  # the agent and the admin are owners, not contacts
        "tickets": (3, 3),
        "notes": (1, 1),  # the agent's reply; the first comment is the ticket's description
    }
    notes = portal_notes(sandbox.base_url, sandbox.token)
    assert [n["body"] for n in notes.values()] == ["Fixed the depot cache; please check again."]
    assert next(iter(notes.values()))["when"].startswith("2024-04-02T16:40:00")
    assert any("2 agent/admin user(s) are owners" in n for n in report["sources"]["notes"])
    state = read_portal(sandbox.base_url, sandbox.token)
    assert state.counts == planned_keys(plan)
    assert state.links == planned_links(plan)
    assert {
        ("contacts", "priya@nimbus.test", "companies", "company:id:361"),
        ("tickets", "ticket:id:7001", "contacts", "priya@nimbus.test"),
        ("tickets", "ticket:id:7003", "contacts", "jo@gmail.test"),
        ("tickets", "ticket:id:7002", "companies", "company:id:362"),
    } <= state.links
    companies = {r.key: r.properties for r in plan.records["companies"]}
    assert companies["company:id:362"]["domain"] == "orchard.test"  # first of domain_names
    assert "website" not in companies["company:id:362"]  # url is the API's, not a web site
    kim = _owner_ids(sandbox)["agent.kim@corp.test"]
    tickets = {r.key: r.properties for r in plan.records["tickets"]}
    assert tickets["ticket:id:7001"]["hubspot_owner_id"] == kim
    assert [(i.file, i.row, i.category) for i in plan.issues if "OWNER" in i.category] == [
        ("tickets.json", 2, "COULD_NOT_FIND_OWNER")  # the admin is no portal owner
    ]


def test_a_zendesk_csv_ticket_export_is_placed_by_its_headers(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(ZENDESK_CSV, folder / "export-2024-04-05-1507-1234567-7f3e.csv")
    code, report, _plan = imported(folder, tmp_path / "out", sandbox.base_url)
    assert code == 0
    assert report["sources"]["sources"][0]["role"] == "tickets"
    tickets = report["objects"]["tickets"]
    assert tickets["rows"] == tickets["created"] + tickets["rejected"] + tickets["duplicates"]
    assert tickets["created"] > 0


def test_a_rerun_creates_no_note_twice_and_rollback_archives_them(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    from crmkit.cli import main

    code, report, _ = imported(SALESFORCE, tmp_path / "out", sandbox.base_url)
    assert code == 0 and report["objects"]["notes"]["created"] == 1
    again = main(["import", "--data", str(SALESFORCE), "--target", sandbox.base_url,
                  "--tier", "enterprise", "--output", str(tmp_path / "out"), "--run-id", "r2",
                  "--no-progress"])  # fmt: skip
    assert again == 0
    assert len(portal_notes(sandbox.base_url, sandbox.token)) == 1
    assert main(["rollback", "r1", "--output", str(tmp_path / "out"), "--yes"]) == 0
    assert portal_notes(sandbox.base_url, sandbox.token) == {}


def test_a_column_a_mapping_file_sends_to_hubspot_owner_id_is_resolved_not_refused(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """The issue's "'Jane Smith' is not one of the allowed options of hubspot_owner_id": a
    mapping file naming the owner property gets the names and emails resolved instead."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "contacts.csv").write_text(
        "Email,First Name,Rep\na@x.test,Ann,raj@corp.test\nb@x.test,Bo,Dana Whitfield\n"
        "c@x.test,Cy,Sam Lee\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        '{"version": 1, "contacts": {"columns": {"Rep": "hubspot_owner_id"}}}', encoding="utf-8"
    )
    code, report, plan = imported(
        folder, tmp_path / "out", sandbox.base_url, "--mapping", str(mapping)
    )
    assert code == 0
    assert report["objects"]["contacts"]["created"] == 3
    ids = _owner_ids(sandbox)
    owner = {r.key: r.properties.get("hubspot_owner_id") for r in plan.records["contacts"]}
    assert owner == {"a@x.test": ids["raj@corp.test"], "b@x.test": ids["dana@corp.test"],
                     "c@x.test": None}  # fmt: skip
    assert [i.category for i in plan.issues if "OWNER" in i.category] == ["MULTIPLE_OWNERS_FOUND"]
