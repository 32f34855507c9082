"""Property value checks, one row per HubSpot rule (no server needed)."""

from __future__ import annotations

from typing import Any

import pytest

from crmkit.sandbox.validation import check_properties, check_ticket, check_value


def prop(
    type_: str, field_type: str = "text", options: tuple[str, ...] = (), name: str = "p"
) -> dict[str, Any]:
    return {
        "name": name,
        "type": type_,
        "fieldType": field_type,
        "options": [{"value": o} for o in options],
    }


@pytest.mark.parametrize(
    ("definition", "value", "stored", "code"),
    [
        (prop("string"), "  keeps spaces ", "  keeps spaces ", None),
        (prop("number", "number"), " 12.50 ", "12.50", None),
        (prop("number", "number"), "-1e3", "-1e3", None),
        (prop("number", "number"), "1,000", None, "INVALID_INTEGER"),
        (prop("number", "number"), "NaN", None, "INVALID_INTEGER"),
        (prop("bool", "booleancheckbox"), "False", "false", None),
        (prop("bool", "booleancheckbox"), "1", None, "INVALID_BOOLEAN"),
        (prop("date", "date"), "2024-02-29", "2024-02-29", None),
        (prop("date", "date"), "2023-02-29", None, "INVALID_DATE"),
        (prop("date", "date"), "1709164800000", "2024-02-29", None),
        (prop("date", "date"), "1709164800001", None, "INVALID_DATE"),
        (prop("date", "date"), "2024-02-29T00:00:00+00:00", "2024-02-29", None),
        (prop("date", "date"), "2024-02-29T01:00:00+01:00", "2024-02-29", None),
        (prop("datetime", "date"), "2024-02-29T10:00:00+02:00", "2024-02-29T08:00:00.000Z", None),
        (prop("datetime", "date"), "yesterday", None, "INVALID_DATE"),
        (prop("enumeration", "select", ("A", "B")), "B", "B", None),
        (prop("enumeration", "select", ("A", "B")), "a", None, "INVALID_OPTION"),
        (prop("enumeration", "select", ("A", "B")), "A;B", None, "INVALID_OPTION"),
        (prop("enumeration", "checkbox", ("A", "B")), "A;B", "A;B", None),
        (prop("enumeration", "checkbox", ("A", "B")), "A;C", None, "INVALID_OPTION"),
        (
            prop("string", name="email"),
            "First.Last+tag@Sub.Example.co.uk",
            "first.last+tag@sub.example.co.uk",
            None,
        ),
        (prop("string", name="email"), "a@b", None, "INVALID_EMAIL"),
        (prop("string", name="email"), "a..b@x.com", None, "INVALID_EMAIL"),
        (prop("string", name="email"), "a b@x.com", None, "INVALID_EMAIL"),
    ],
)
def test_check_value(
    definition: dict[str, Any], value: str, stored: str | None, code: str | None
) -> None:
    result, problem = check_value(definition, value, "contacts")
    if code is None:
        assert problem is None and result == stored
    else:
        assert problem is not None and problem.code == code and problem.name == definition["name"]


def test_not_midnight_message_says_when() -> None:
    _, problem = check_value(prop("date", "date"), "1709208000000", "contacts")
    assert problem is not None
    assert problem.message == "1709208000000 is at 12:00:00.000 UTC, not midnight!"


def test_check_properties_collects_every_problem_and_keeps_empty_as_clear() -> None:
    schema = {
        "n": prop("number", "number", name="n"),
        "s": prop("string", name="s"),
        "ro": {**prop("string", name="ro"), "modificationMetadata": {"readOnlyValue": True}},
    }
    values, problems = check_properties(
        schema, {"n": "x", "s": "", "ro": "1", "zz": "1"}, "contacts"
    )
    assert values == {"s": ""}
    assert [(p.name, p.code) for p in problems] == [
        ("n", "INVALID_INTEGER"),
        ("ro", "READ_ONLY_VALUE"),
        ("zz", "PROPERTY_DOESNT_EXIST"),
    ]


@pytest.mark.parametrize(
    ("values", "creating", "codes"),
    [
        ({"subject": "s", "hs_pipeline": "0", "hs_pipeline_stage": "4"}, True, []),
        ({"subject": "s"}, True, ["REQUIRED_PROPERTY", "REQUIRED_PROPERTY"]),
        ({"hs_pipeline_stage": "3"}, False, []),
        ({"hs_pipeline_stage": "5"}, False, ["INVALID_OPTION"]),
        ({"subject": "s", "hs_pipeline": "9", "hs_pipeline_stage": "1"}, True, ["INVALID_OPTION"]),
    ],
)
def test_ticket_pipeline_rules(values: dict[str, str], creating: bool, codes: list[str]) -> None:
    assert [p.code for p in check_ticket(values, creating=creating)] == codes
