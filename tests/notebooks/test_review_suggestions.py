"""The review lists unmatched values with their rows and suggestion; a person settles each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmkit.review import EMPTY, MappingScreen, ReviewState, UnmatchedValue

# "On Hold" is no stage of the default ticket pipeline but likely "Waiting on us" (3), unsure
# enough to be a suggestion; "Whenever" names nothing.
TICKETS = (
    "Subject,Status,Priority\n"
    "A,On Hold,High\nB,On Hold,High\nC,On Hold,Low\nD,Whenever,High\nE,Closed,Medium\n"
)
MORE_TICKETS = "Subject,Status\nF,On Hold\nG,Whenever\nH,Whenever\nI,Whenever\n"


@pytest.fixture
def state(tmp_path: Path) -> ReviewState:
    data = tmp_path / "data"
    data.mkdir()
    (data / "tickets.csv").write_text(TICKETS, encoding="utf-8")
    (data / "tickets_2023.csv").write_text(MORE_TICKETS, encoding="utf-8")
    return ReviewState.from_folder(data)


def test_unmatched_values_with_rows_of_every_file_and_the_suggestion(state: ReviewState) -> None:
    """Rows are counted over all the files of the object type; most rows first."""
    assert state.unmatched("tickets", "Status") == [
        UnmatchedValue("On Hold", 4, "3", 0.75),
        UnmatchedValue("Whenever", 4, None, None),
    ]
    assert [raw for raw, _ in state.value_rows("tickets", "Status")][:2] == ["On Hold", "Whenever"]


def test_accepting_a_suggestion_maps_the_value_and_saves_it(
    state: ReviewState, tmp_path: Path
) -> None:
    assert state.accept_suggestion("tickets", "Status", "Whenever") == 0  # none to accept
    assert state.accept_suggestion("tickets", "Status") == 1
    assert dict(state.value_rows("tickets", "Status"))["On Hold"] == "3"
    assert [u.raw for u in state.unmatched("tickets", "Status")] == ["Whenever"]
    state.set_value("tickets", "Status", "Whenever", EMPTY)  # leave empty, keep the row
    assert state.unmatched("tickets", "Status") == []
    saved = json.loads(state.save(tmp_path / "m.json").read_text(encoding="utf-8"))
    assert saved["tickets"]["values"]["Status"] == {"On Hold": "3", "Whenever": None, "Closed": "4"}


def test_the_screen_shows_rows_and_suggestion_and_accepts_it(state: ReviewState) -> None:
    screen = MappingScreen(state)
    status = next(r for r in screen.rows["tickets"] if r.column == "Status")
    label = status.value_labels["On Hold"].value
    assert "4 rows" in label and "3" in label and "75%" in label
    assert "4 rows" in status.value_labels["Whenever"].value
    assert "Whenever" not in status.accept_buttons
    status.accept_buttons["On Hold"].click()
    assert dict(state.value_rows("tickets", "Status"))["On Hold"] == "3"
    assert status.value_dropdowns["On Hold"].value == "3"
    assert "On Hold" not in status.accept_buttons


def test_adding_a_value_to_the_portal_round_trips_and_prepares_as_the_import_does(
    tmp_path: Path,
) -> None:
    """ "add" is offered where the portal lets options be edited, saved in "options"."""
    from crmkit.prepare import prepare_folder
    from crmkit.review import ADD_TO_PORTAL

    data = tmp_path / "data"
    data.mkdir()
    (data / "tickets.csv").write_text(
        "Subject,Category,Status\nA,Refund request,New\nB,Refund request,New\nC,Billing,Closed\n",
        encoding="utf-8",
    )
    state = ReviewState.from_folder(data)
    assert (ADD_TO_PORTAL, "add") in state.value_choices("tickets", "Category")
    assert not state.can_add("tickets", "Status")  # stages are the portal's ids
    screen = MappingScreen(state)
    category = next(r for r in screen.rows["tickets"] if r.column == "Category")
    category.value_dropdowns["Refund request"].value = "add"
    assert dict(state.value_rows("tickets", "Category"))["Refund request"] == "add"
    path = state.save(tmp_path / "m.json")
    saved = json.loads(path.read_text(encoding="utf-8"))["tickets"]
    assert saved["options"] == {"hs_ticket_category": {"Refund request": "add"}}
    assert "Refund request" not in saved.get("values", {}).get("Category", {})
    again = ReviewState.from_folder(data, mapping_file=path)
    tickets = prepare_folder(data, mapping_file=path).objects["tickets"]
    assert again.review("tickets").file_mappings()["tickets.csv"] == tickets.mapping
    assert list(tickets.frame["hs_ticket_category"])[:2] == ["REFUND_REQUEST"] * 2
    again.set_value("tickets", "Category", "Refund request", None)  # back to automatic
    assert again.review("tickets").overrides.options == {}
