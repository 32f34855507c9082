"""The mapping review: state (choices → mapping file) and the ipywidgets screen over it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmkit.errors import ConfigError, MappingError
from crmkit.mapping import load_mapping_file
from crmkit.review import NO_OPTION, NOT_IMPORTED, ReviewState
from crmkit.review.screen import PLAIN_TEXT, MappingScreen, confidence_badge


@pytest.fixture
def state(small_data: Path) -> ReviewState:
    return ReviewState.from_folder(small_data)


def test_automatic_mapping_of_the_folder(state: ReviewState) -> None:
    assert list(state.objects) == ["companies", "contacts", "tickets"]
    contacts = state.mappings()["contacts"].to_dict()
    assert contacts["E-mail Address"] == "email"
    assert contacts["Contact ID"] is None
    assert not state.loaded
    assert "automatic" in state.source_message()


@pytest.mark.parametrize(
    ("object_type", "column", "prop", "loser"),
    [
        ("contacts", "Job Title", "email", "E-mail Address"),  # takes email from its column
        ("tickets", "Description", "subject", "Ticket Subject"),
        ("companies", "Website", None, None),  # not imported
    ],
)
def test_choosing_a_property(
    state: ReviewState, object_type: str, column: str, prop: str | None, loser: str | None
) -> None:
    state.set_property(object_type, column, prop)
    mapping = state.mappings()[object_type]
    assert mapping.columns[column].property == prop
    assert state.review(object_type).is_override(column)
    if loser is not None:
        assert mapping.columns[loser].property is None


def test_moving_a_column_onto_an_enumeration_maps_its_values(state: ReviewState) -> None:
    """A column moved (back) onto an enumeration gets its raw values matched afresh."""
    state.set_property("tickets", "Status", None)
    assert state.value_rows("tickets", "Status") == []
    state.set_property("tickets", "Status", "hs_pipeline_stage")
    assert dict(state.value_rows("tickets", "Status")) == {"New": "1", "Closed": "4"}


def test_value_choices_and_overrides(state: ReviewState) -> None:
    rows = dict(state.value_rows("tickets", "Priority"))
    assert rows["Whenever"] is None and rows["High"] == "HIGH"
    choices = state.value_choices("tickets", "Priority")
    assert choices[0] == (NO_OPTION, None)
    assert ("Low (LOW)", "LOW") in choices
    state.set_value("tickets", "Priority", "Whenever", "LOW")
    assert dict(state.value_rows("tickets", "Priority"))["Whenever"] == "LOW"
    assert "Priority" not in state.mappings()["tickets"].unmatched_values
    state.set_value("tickets", "Priority", "Whenever", None)  # back to automatic: no match
    assert dict(state.value_rows("tickets", "Priority"))["Whenever"] is None


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda s: s.set_property("contacts", "Job Title", "no_such_property"), MappingError),
        (lambda s: s.set_property("contacts", "Job Title", "hs_object_id"), MappingError),
        (lambda s: s.set_property("contacts", "No Column", "email"), MappingError),
        (lambda s: s.set_value("tickets", "Priority", "Whenever", "SOMEDAY"), MappingError),
        (lambda s: s.review("deals"), ConfigError),
        (lambda s: s.save(), ConfigError),  # no path to save to
    ],
)
def test_refused_choices(state: ReviewState, call: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        call(state)  # type: ignore[operator]


def test_only_writable_properties_are_offered(state: ReviewState) -> None:
    choices = state.property_choices("contacts")
    offered = {value for _label, value in choices}
    assert choices[0] == (NOT_IMPORTED, None)
    assert offered >= {"email", "firstname"}
    assert not offered & {"hs_object_id", "lastmodifieddate"}


def test_saved_file_round_trips(state: ReviewState, small_data: Path, tmp_path: Path) -> None:
    state.set_property("contacts", "Job Title", None)
    state.set_value("tickets", "Priority", "Whenever", "LOW")
    path = state.save(tmp_path / "out" / "mapping.json")
    sections = load_mapping_file(path)
    assert sections["contacts"].columns["Job Title"] is None
    assert sections["tickets"].values["Priority"]["Whenever"] == "LOW"
    again = ReviewState.from_folder(small_data, mapping_file=path)
    assert again.loaded and "saved mapping file mapping.json" in again.source_message()
    assert again.mappings()["contacts"].to_dict() == state.mappings()["contacts"].to_dict()
    assert again.mappings()["tickets"].values == state.mappings()["tickets"].values


def test_missing_mapping_file_is_where_save_goes(small_data: Path, tmp_path: Path) -> None:
    target = tmp_path / "later.json"
    state = ReviewState.from_folder(small_data, mapping_file=target)
    assert not state.loaded and "does not exist yet" in state.source_message()
    assert state.save() == target and target.is_file()


def test_bad_mapping_file_is_a_mapping_error(small_data: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"version": 1, "contacts": {"columns": {"Job Title": "jobtitel"}}}))
    with pytest.raises(MappingError, match="jobtitel"):
        ReviewState.from_folder(small_data, mapping_file=path)


def test_folder_without_exports_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        ReviewState.from_folder(tmp_path)
    with pytest.raises(ConfigError):
        ReviewState.from_folder(tmp_path / "missing")


# -- the screen --------------------------------------------------------------------------


def test_screen_shows_each_column_with_its_choice(state: ReviewState) -> None:
    screen = MappingScreen(state, save_to="x.json")
    assert [r.column for r in screen.rows["contacts"]] == list(
        state.review("contacts").automatic.columns
    )
    email = next(r for r in screen.rows["contacts"] if r.column == "E-mail Address")
    assert email.dropdown.value == "email"
    assert "%" in email.badge.value
    priority = next(r for r in screen.rows["tickets"] if r.column == "Priority")
    assert priority.value_dropdowns["Whenever"].label == NO_OPTION
    assert priority.value_dropdowns["High"].value == "HIGH"


def test_screen_changes_go_to_the_state_and_move_the_property(state: ReviewState) -> None:
    screen = MappingScreen(state)
    rows = {r.column: r for r in screen.rows["contacts"]}
    rows["Job Title"].dropdown.value = "email"
    assert state.mappings()["contacts"].columns["Job Title"].property == "email"
    assert rows["E-mail Address"].dropdown.label == NOT_IMPORTED  # redrawn: it lost email
    assert "your choice" in rows["Job Title"].badge.value


def test_screen_value_dropdown_and_save_button(state: ReviewState, tmp_path: Path) -> None:
    screen = MappingScreen(state, save_to=tmp_path / "m.json")
    priority = next(r for r in screen.rows["tickets"] if r.column == "Priority")
    priority.value_dropdowns["Whenever"].value = "MEDIUM"
    screen.save_button.click()
    saved = json.loads((tmp_path / "m.json").read_text())
    assert saved["tickets"]["values"]["Priority"]["Whenever"] == "MEDIUM"
    assert "saved" in screen.status.value


def test_screen_reports_a_failed_save(state: ReviewState, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    screen = MappingScreen(state, save_to=blocker / "m.json")  # a folder that is a file
    assert screen.save() is None
    assert "not saved" in screen.status.value


def test_screen_without_a_kernel_says_what_it_is(state: ReviewState) -> None:
    bundle = MappingScreen(state)._repr_mimebundle_()
    assert bundle["text/plain"] == PLAIN_TEXT
    assert "application/vnd.jupyter.widget-view+json" in bundle


@pytest.mark.parametrize(
    ("confidence", "override", "text"),
    [(0.97, False, "97%"), (0.75, False, "75%"), (0.3, False, "30%"), (0.5, True, "your choice")],
)
def test_confidence_badge(confidence: float, override: bool, text: str) -> None:
    assert text in confidence_badge(confidence, override=override)


@pytest.mark.parametrize(
    ("raw", "matched", "shown", "red"),
    [
        ("High", True, "High", False),
        ("Whenever", False, "Whenever", True),
        ("x" * 80, True, "…", False),
    ],
)
def test_value_label(raw: str, matched: bool, shown: str, red: bool) -> None:
    from crmkit.review.screen import value_label

    label = value_label(raw, matched=matched)
    assert shown in label
    assert ("#c62828" in label) is red


def test_screen_marks_values_without_an_option(state: ReviewState) -> None:
    screen = MappingScreen(state)
    priority = next(r for r in screen.rows["tickets"] if r.column == "Priority")
    assert "#c62828" in priority.value_labels["Whenever"].value
    priority.value_dropdowns["Whenever"].value = "LOW"
    assert "#c62828" not in priority.value_labels["Whenever"].value


def test_not_imported_is_shown_as_a_choice_not_a_blank(state: ReviewState) -> None:
    """ipywidgets clears a Dropdown given value None; the screen selects the None entry."""
    screen = MappingScreen(state)
    rows = {r.column: r for r in screen.rows["contacts"]}
    rows["Job Title"].dropdown.value = "email"  # E-mail Address loses email: None
    assert rows["E-mail Address"].dropdown.label == NOT_IMPORTED
    assert rows["Contact ID"].dropdown.label == NOT_IMPORTED
    priority = next(r for r in screen.rows["tickets"] if r.column == "Priority")
    assert priority.value_dropdowns["Whenever"].label == NO_OPTION


def test_choosing_not_imported_in_the_screen(state: ReviewState) -> None:
    screen = MappingScreen(state)
    website = next(r for r in screen.rows["companies"] if r.column == "Website")
    website.dropdown.index = 0
    assert state.mappings()["companies"].columns["Website"].property is None
    assert website.dropdown.label == NOT_IMPORTED


def test_leave_empty_keeps_the_row(state: ReviewState, small_data: Path, tmp_path: Path) -> None:
    """A value with no option can be left empty (null in the file): the row is imported."""
    from crmkit.prepare import prepare_folder
    from crmkit.review import EMPTY, LEAVE_EMPTY

    assert (LEAVE_EMPTY, EMPTY) in state.value_choices("tickets", "Priority")
    state.set_value("tickets", "Priority", "Whenever", EMPTY)
    assert dict(state.value_rows("tickets", "Priority"))["Whenever"] == EMPTY
    path = state.save(tmp_path / "m.json")
    assert json.loads(path.read_text())["tickets"]["values"]["Priority"]["Whenever"] is None
    again = ReviewState.from_folder(small_data, mapping_file=path)
    assert dict(again.value_rows("tickets", "Priority"))["Whenever"] == EMPTY
    tickets = prepare_folder(small_data, mapping_file=path).objects["tickets"]
    assert tickets.rejected == 0
    assert tickets.frame.loc[5, "hs_ticket_priority"] == ""


def test_screen_offers_leave_empty_apart_from_no_option(state: ReviewState) -> None:
    from crmkit.review import EMPTY, LEAVE_EMPTY

    screen = MappingScreen(state)
    priority = next(r for r in screen.rows["tickets"] if r.column == "Priority")
    dropdown = priority.value_dropdowns["Whenever"]
    labels = [label for label, _value in dropdown.options]
    dropdown.index = labels.index(LEAVE_EMPTY)
    assert dict(state.value_rows("tickets", "Priority"))["Whenever"] == EMPTY
    assert dropdown.label == LEAVE_EMPTY
    dropdown.index = labels.index(NO_OPTION)  # back to automatic: no match
    assert dict(state.value_rows("tickets", "Priority"))["Whenever"] is None


def test_screen_value_table_follows_the_dropdowns(state: ReviewState) -> None:
    """The screen's "Value translations" table is redrawn after each choice."""
    screen = MappingScreen(state)
    assert "Whenever" in screen.translations.value
    priority = next(r for r in screen.rows["tickets"] if r.column == "Priority")
    priority.value_dropdowns["Whenever"].value = "MEDIUM"
    assert "Whenever → MEDIUM" in screen.translations.value
    priority.value_dropdowns["Whenever"].value = "HIGH"
    assert "Whenever → HIGH" in screen.translations.value
    assert "Whenever → MEDIUM" not in screen.translations.value
    priority.dropdown.index = 0  # not imported: its values leave the table
    assert "Whenever" not in screen.translations.value
