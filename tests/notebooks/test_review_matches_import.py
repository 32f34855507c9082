"""The review screen shows the mapping the import uses: one computation, the same inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmkit.prepare import PreparedObject, prepare_folder
from crmkit.review import ReviewState
from tests.sources.workbooks import write_workbook

COMPANIES = "Company Name,Website,Industry,Type\nAcme,acme.test,Software,Prospect\n"
CONTACTS_EU = (
    "First Name,Last Name,Email,Lead Status,Contact Owner\n"
    "Ann,Lee,ann@x.test,Open,ann.owner@x.test\n"
    "Bo,Berg,bo@x.test,Hot lead,ann.owner@x.test\n"
)
CONTACTS_US = (
    "Email Address,Full Name,Phone,Lifecycle\n"
    "cy@x.test,Cy Young,+1 206 555 0100,Customer\n"
    "di@x.test,Di Ross,+1 206 555 0101,Evangelist\n"
)
TICKETS = [
    ["Subject", "Description", "Priority", "Status", "Requester"],
    ["Login fails", "Cannot log in", "High", "New", "ann@x.test"],
    ["Refund", "Wants a refund", "Urgent!!", "Waiting on us", "cy@x.test"],
]


def per_file(obj: PreparedObject) -> dict[str, dict[str, object]]:
    return {p.file: p.mapping.to_json_dict() for p in (obj.parts or [obj])}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "companies.csv").write_text(COMPANIES, encoding="utf-8")
    (data / "contacts_eu.csv").write_text(CONTACTS_EU, encoding="utf-8")
    (data / "contacts_us.csv").write_text(CONTACTS_US, encoding="utf-8")
    write_workbook(data / "helpdesk.xlsx", {"Tickets": TICKETS})
    return data


@pytest.mark.parametrize("with_file", [False, True])
def test_the_review_maps_every_file_as_prepare_folder_does(
    folder: Path, tmp_path: Path, with_file: bool
) -> None:
    """Per file, with and without a mapping file, the screen's mapping is the import's."""
    mapping_file = None
    if with_file:
        mapping_file = tmp_path / "mapping.json"
        choices = {
            "version": 1,
            "contacts": {"columns": {"Lifecycle": "hs_lead_status", "Phone": None}},
            "companies": {"values": {"Type": {"Prospect": "PARTNER"}}},
        }
        mapping_file.write_text(json.dumps(choices), encoding="utf-8")
    state = ReviewState.from_folder(folder, mapping_file=mapping_file)
    prepared = prepare_folder(folder, mapping_file=mapping_file)
    assert list(state.objects) == list(prepared.objects)
    for object_type, review in state.objects.items():
        shown = {f: m.to_json_dict() for f, m in review.file_mappings().items()}
        assert shown == per_file(prepared.objects[object_type]), object_type
    contacts = state.review("contacts")
    assert contacts.file == prepared.objects["contacts"].file == "contacts_eu.csv + contacts_us.csv"
    assert set(contacts.automatic.columns) >= {"Lead Status", "Email Address", "Lifecycle"}
    assert state.review("tickets").file == "helpdesk.xlsx:Tickets"


def test_a_choice_on_a_shared_column_holds_in_every_file(folder: Path) -> None:
    """The mapping file has one section per object type: a choice reaches each file with it."""
    (folder / "contacts_us.csv").write_text(CONTACTS_US.replace("Phone", "Email"), "utf-8")
    state = ReviewState.from_folder(folder)
    state.set_property("contacts", "Email", None)
    mappings = state.review("contacts").file_mappings()
    assert mappings["contacts_eu.csv"].columns["Email"].property is None
    assert mappings["contacts_us.csv"].columns["Email"].property is None
