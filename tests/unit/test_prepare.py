"""crmkit.prepare on the demo data and on small folders: dirt found row by row, rows accounted."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from crmkit.errors import ConfigError
from crmkit.prepare import EMAILS_IN_TEXT, PHONES_IN_TEXT, Prepared, prepare_folder, prepare_object
from crmkit.schema import PropertyOption, Schema

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def demo() -> Prepared:
    return prepare_folder(DATA)


def planted() -> list[dict[str, Any]]:
    return list(json.loads((DATA / "planted_dirt.json").read_text(encoding="utf-8")))


def test_demo_dirt_is_found_exactly_row_by_row(demo: Prepared) -> None:
    """Every planted problem with a category is reported on its row, and nothing else is."""
    expected = {(d["file"], d["row"], d["category"]) for d in planted() if d["category"]}
    found = {(i.file, i.row, i.category) for i in demo.issues}
    assert found == expected
    severities = {(d["file"], d["row"]): d["severity"] for d in planted() if d["category"]}
    for issue in demo.issues:
        assert issue.severity == severities[(issue.file, issue.row)], issue


@pytest.mark.parametrize("object_type", ["companies", "contacts", "tickets"])
def test_every_source_row_is_accounted_for(demo: Prepared, object_type: str) -> None:
    """rows = kept + rejected, with no row both kept and rejected and none lost."""
    obj = demo.objects[object_type]
    kept = set(obj.frame.index)
    assert obj.rows == len(obj.frame) + obj.rejected
    assert not kept & obj.rejected_rows
    assert kept | obj.rejected_rows == set(range(2, obj.rows + 2))
    assert obj.file == f"{object_type}.csv"
    unreadable = {i.row for i in obj.issues if i.severity == "dropped"}
    unreadable -= {i.row for i in obj.issues if i.category == "INVALID_OPTION"}
    bad = len(obj.rejected_rows | unreadable)
    assert obj.quality["score"] == pytest.approx(1 - bad / obj.rows, abs=1e-4)


def test_warnings_keep_their_rows(demo: Prepared) -> None:
    """Both copies of the duplicated contact stay for the planner to merge."""
    rows = {d["row"] for d in planted() if d["kind"] == "duplicate_email_case"}
    assert len(rows) == 2
    assert rows <= set(demo.objects["contacts"].frame.index)


def test_demo_maps_with_no_override_and_keeps_linking_columns(demo: Prepared) -> None:
    """Properties plus the ``_`` columns the planner links with."""
    contacts = demo.objects["contacts"].frame
    tickets = demo.objects["tickets"].frame
    assert {"email", "firstname", "company", "_company_name", "_source_id"} <= set(contacts)
    assert {"subject", "hs_ticket_priority", "_contact_email", EMAILS_IN_TEXT} <= set(tickets)
    assert {"name", "_source_id"} <= set(demo.objects["companies"].frame)
    assert not [c for c in tickets.columns if " " in c]


def test_requesters_named_only_in_the_body_are_extracted(demo: Prepared) -> None:
    """The email (and phone) written in a ticket's body is in its ``_…_in_text`` lists."""
    frame = demo.objects["tickets"].frame
    items = [d for d in planted() if d["kind"] in {"email_in_text", "phone_in_text"}]
    assert items
    for item in items:
        emails = re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", item["value"])
        assert frame.at[item["row"], EMAILS_IN_TEXT] == emails
        if item["kind"] == "phone_in_text" or "Tel:" in item["value"]:
            assert len(frame.at[item["row"], PHONES_IN_TEXT]) == 1
            assert frame.at[item["row"], PHONES_IN_TEXT][0].startswith("+1")


def test_a_folder_without_any_placeable_file_is_a_config_error(tmp_path: Path) -> None:
    """It names the file and why, and asks for the options that say which file is which."""
    (tmp_path / "deals.csv").write_text("Deal\nBig one\n", encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"no companies, contacts or tickets.*deals\.csv.*--contacts FILE"
    ):
        prepare_folder(tmp_path)
    with pytest.raises(ConfigError, match="does not exist"):
        prepare_folder(tmp_path / "missing")


def test_only_the_files_present_are_prepared(tmp_path: Path) -> None:
    shutil.copy(DATA / "companies.csv", tmp_path / "companies.csv")
    prepared = prepare_folder(tmp_path)
    assert list(prepared.objects) == ["companies"]


def test_a_ragged_row_is_counted_as_rejected(tmp_path: Path) -> None:
    """A row the reader could not read still counts, as a rejected row with its issue."""
    (tmp_path / "contacts.csv").write_text(
        "First Name,E-mail Address\nAna,ana@acme.example\nBo,bo@acme.example,extra\n"
        "Cy,cy@acme.example\n",
        encoding="utf-8",
    )
    obj = prepare_folder(tmp_path).objects["contacts"]
    assert obj.rows == 3
    assert list(obj.frame.index) == [2, 4]
    assert [(i.row, i.stage) for i in obj.issues] == [(3, "read")]


def test_a_mapping_file_overrides_columns_and_values(tmp_path: Path) -> None:
    """A person's mapping file can drop a column and rescue an unknown option value."""
    mapping_file = tmp_path / "mapping.json"
    mapping_file.write_text(
        json.dumps(
            {
                "version": 1,
                "contacts": {"columns": {"Job Title": None}},
                "tickets": {"values": {"Priority": {"Whenever": "LOW"}}},
            }
        ),
        encoding="utf-8",
    )
    prepared = prepare_folder(DATA, mapping_file=mapping_file)
    assert "jobtitle" not in prepared.objects["contacts"].frame
    (row,) = [d["row"] for d in planted() if d["value"] == "Whenever"]
    tickets = prepared.objects["tickets"]
    assert tickets.frame.at[row, "hs_ticket_priority"] == "LOW"
    assert row not in tickets.rejected_rows


def test_the_portal_schema_is_used_for_mapping_and_validation() -> None:
    """With a portal that has a "Whenever" priority, that ticket is valid."""
    bundled = Schema.bundled("tickets")
    priority = bundled.get("hs_ticket_priority")
    assert priority is not None
    extra = PropertyOption(value="WHENEVER", label="Whenever", display_order=9)
    portal = bundled.with_properties([replace(priority, options=(*priority.options, extra))])
    obj = prepare_object(DATA / "tickets.csv", "tickets", schema=portal)
    (row,) = [d["row"] for d in planted() if d["value"] == "Whenever"]
    assert obj.frame.at[row, "hs_ticket_priority"] == "WHENEVER"


@pytest.mark.parametrize("object_type", ["companies", "tickets"])
def test_reading_in_chunks_gives_the_same_result(demo: Prepared, object_type: str) -> None:
    """Chunked preparation (for huge files) keeps the same rows, values and issues."""
    whole = demo.objects[object_type]
    chunked = prepare_object(DATA / f"{object_type}.csv", object_type, chunk_rows=20)
    assert chunked.rows == whole.rows
    assert chunked.frame.equals(whole.frame)
    assert chunked.issues == whole.issues
    assert chunked.quality == whole.quality


def test_chunked_validation_report_adds_up(demo: Prepared) -> None:
    """The per-chunk GX outcomes of a file add up to the whole file's."""
    whole = demo.objects["tickets"].validation
    in_chunks = prepare_object(DATA / "tickets.csv", "tickets", chunk_rows=50)
    chunked = in_chunks.validation
    assert whole is not None and chunked is not None
    counts = {(o.expectation_type, o.column): o.unexpected_count for o in whole.results}
    assert {(o.expectation_type, o.column): o.unexpected_count for o in chunked.results} == counts
    assert chunked.issues == whole.issues
    assert in_chunks.quality == demo.objects["tickets"].quality


def test_chunks_map_option_values_first_seen_late(tmp_path: Path) -> None:
    """A priority label first seen in the last chunk is still mapped; unknown ones are kept."""
    rows = ["Ticket Subject,Priority"] + [f"Issue {n},High" for n in range(6)]
    rows += ["Late one,Urgent", "Odd one,Whenever"]
    (tmp_path / "tickets.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    obj = prepare_object(tmp_path / "tickets.csv", "tickets", chunk_rows=3)
    assert obj.frame.at[8, "hs_ticket_priority"] == "URGENT"
    assert [(i.row, i.category) for i in obj.issues] == [(9, "INVALID_OPTION")]
    assert obj.mapping.unmatched_values == {"Priority": ["Whenever"]}
    assert "Ticket Subject" in obj.mapping.samples
