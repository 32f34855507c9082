"""A mapping file's names are checked against the files and the portal: a mistyped column,
property or option is a MappingError naming it and the closest real one, never ignored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmkit.errors import MappingError
from crmkit.mapping import apply_overrides, auto_map, load_mapping_file
from crmkit.prepare import prepare_folder
from crmkit.schema import PropertyDef, Schema


def _mapping_file(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "mapping.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _tickets(
    folder: Path, name: str = "tickets.csv", header: str = "Ticket Subject,Priority"
) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(f"{header}\nPrinter jam,High\n", encoding="utf-8")


def test_a_column_the_file_does_not_have_is_named_with_the_closest(tmp_path: Path) -> None:
    """Issue 9: "a mistyped column name in a mapping file is ignored without a word"."""
    data = tmp_path / "data"
    _tickets(data)
    path = _mapping_file(tmp_path, {"tickets": {"columns": {"Ticket Subjct": "subject"}}})
    with pytest.raises(MappingError, match=r"'Ticket Subjct'.*did you mean 'Ticket Subject'"):
        prepare_folder(data, mapping_file=path)


@pytest.mark.parametrize("part", ["values", "roles"])
def test_values_and_roles_of_a_missing_column_are_errors_too(tmp_path: Path, part: str) -> None:
    data = tmp_path / "data"
    _tickets(data)
    body = {"Priorty": {"High": "HIGH"}} if part == "values" else {"Priorty": "source_id"}
    path = _mapping_file(tmp_path, {"tickets": {part: body}})
    with pytest.raises(MappingError, match=r"'Priorty'.*did you mean 'Priority'"):
        prepare_folder(data, mapping_file=path)


def test_a_column_of_another_file_of_the_same_type_is_fine(tmp_path: Path) -> None:
    """Several files of one object type share the section: each takes its own columns."""
    data = tmp_path / "data"
    _tickets(data, "tickets.csv", "Ticket Subject,Priority")
    _tickets(data, "tickets_2023.csv", "Ticket Subject,Urgency")
    path = _mapping_file(tmp_path, {"tickets": {"columns": {"Urgency": "hs_ticket_priority"}}})
    prepared = prepare_folder(data, mapping_file=path)
    assert prepared.objects["tickets"].frame["hs_ticket_priority"].tolist() == ["HIGH", "HIGH"]


def test_apply_overrides_refuses_a_column_the_file_lacks() -> None:
    mapping = auto_map(["Ticket Subject", "Priority"], "tickets")
    section = load_mapping_file_section({"tickets": {"columns": {"Subjet": "subject"}}})
    with pytest.raises(MappingError, match=r"'Subjet'.*did you mean 'Ticket Subject'"):
        apply_overrides(mapping, section)


def load_mapping_file_section(data: dict[str, object]):  # type: ignore[no-untyped-def]
    from crmkit.mapping import parse_section

    ((object_type, body),) = data.items()
    return parse_section(object_type, body)


def test_a_property_only_the_portal_has_is_accepted_and_a_typo_suggests_it(
    tmp_path: Path,
) -> None:
    """Properties are checked against the portal's schema, custom ones included."""
    bundled = Schema.bundled("contacts")
    custom = PropertyDef("loyalty_tier", "Loyalty tier", "string", "text")
    portal = Schema("contacts", {**bundled.properties, custom.name: custom})
    ok = _mapping_file(tmp_path, {"contacts": {"columns": {"Tier": "loyalty_tier"}}})
    assert load_mapping_file(ok, {"contacts": portal})["contacts"].columns == {
        "Tier": "loyalty_tier"
    }
    typo = _mapping_file(tmp_path, {"contacts": {"columns": {"Tier": "loyalty_teir"}}})
    with pytest.raises(MappingError, match=r"unknown property 'loyalty_teir'.*'loyalty_tier'"):
        load_mapping_file(typo, {"contacts": portal})


def test_an_option_that_does_not_exist_suggests_the_closest(tmp_path: Path) -> None:
    path = _mapping_file(
        tmp_path,
        {"tickets": {"columns": {"P": "hs_ticket_priority"}, "values": {"P": {"x": "URGNT"}}}},
    )
    with pytest.raises(MappingError, match=r"'URGNT', not an option.*did you mean 'URGENT'"):
        load_mapping_file(path)
