"""Great Expectations suites and crmkit.validate: row issues, severities, scores."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from crmkit.errors import ConfigError
from crmkit.schema import PropertyOption, Schema
from crmkit.validate import SUITE_DIR, load_suite_dict, validate_frame

GOOD = {
    "contacts": {
        "email": "ana.silva@acme.example",
        "firstname": "Ana",
        "phone": "+14155550132",
        "lifecyclestage": "lead",
        "hs_lead_status": "NEW",
        "createdate": "2024-03-05T14:22:00Z",
        "date_of_birth": "1990-02-28",
        "website": "https://acme.example",
    },
    "companies": {
        "name": "Acme Inc.",
        "domain": "acme.example",
        "website": "www.acme.example",
        "phone": "+442079460958",
        "industry": "COMPUTER_SOFTWARE",
        "numberofemployees": "250",
        "annualrevenue": "1250000.50",
        "founded_year": "1998",
    },
    "tickets": {
        "subject": "Export fails",
        "content": "Since Monday.",
        "hs_pipeline": "0",
        "hs_pipeline_stage": "4",
        "hs_ticket_priority": "HIGH",
        "hs_ticket_category": "BILLING_ISSUE",
        "createdate": "2024-03-05",
    },
}


OTHER_KEY = {"contacts": {"email": "bo.li@acme.example"}, "companies": {"domain": "globex.example"}}


def frame_of(object_type: str, changes: dict[str, str], first_row: int = 2) -> pd.DataFrame:
    """A good row, then the row under test: a copy of it (own key) with ``changes`` applied."""
    good = GOOD[object_type]
    second = {**good, **OTHER_KEY.get(object_type, {}), **changes}
    index = pd.Index([first_row, first_row + 1], name="row")
    return pd.DataFrame([good, second], index=index, dtype="str")


@pytest.mark.parametrize(
    ("object_type", "column", "value", "category", "severity"),
    [
        ("contacts", "email", "", "MISSING_REQUIRED", "error"),
        ("contacts", "email", "   ", "MISSING_REQUIRED", "error"),
        ("contacts", "email", "john.doe@@acme.example", "INVALID_EMAIL", "error"),
        ("contacts", "email", "mary at acme.example", "INVALID_EMAIL", "error"),
        ("contacts", "email", "mary@acme", "INVALID_EMAIL", "error"),
        ("contacts", "email", "mary..jones@acme.example", "INVALID_EMAIL", "error"),
        ("contacts", "email", ".mary@acme.example", "INVALID_EMAIL", "error"),
        ("contacts", "email", "mary+crm@sub.acme.example", None, None),
        ("contacts", "email", "O'Neil@acme.co.uk", None, None),
        ("contacts", "phone", "(415) 555-0132", "INVALID_PHONE", "warning"),
        ("contacts", "phone", "+14155550132 ext. 12", None, None),
        ("contacts", "mobilephone", "+0123", "INVALID_PHONE", "warning"),
        ("contacts", "lifecyclestage", "Tier 2", "INVALID_OPTION", "error"),
        ("contacts", "lifecyclestage", "Lead", "INVALID_OPTION", "error"),
        ("contacts", "lifecyclestage", "", None, None),
        ("contacts", "hs_lead_status", "BAD_TIMING", None, None),
        ("contacts", "createdate", "2023-02-30x", "INVALID_DATE", "error"),
        ("contacts", "createdate", "1709596800000", None, None),
        ("contacts", "createdate", "2024-03-05T14:22:00.123+01:00", None, None),
        ("contacts", "date_of_birth", "2/28/1990", "INVALID_DATE", "error"),
        ("contacts", "date_of_birth", "1990-13-01", "INVALID_DATE", "error"),
        ("contacts", "firstname", "x" * 65537, "VALUE_TOO_LONG", "error"),
        ("contacts", "website", "not a url", "INVALID_URL", "warning"),
        ("companies", "name", "", "MISSING_REQUIRED", "error"),
        ("companies", "numberofemployees", "about 250", "INVALID_NUMBER", "error"),
        ("companies", "annualrevenue", "$1,200", "INVALID_NUMBER", "error"),
        ("companies", "annualrevenue", "-3.5", None, None),
        ("companies", "founded_year", "98", "INVALID_NUMBER", "error"),
        ("companies", "industry", "Computer Software", "INVALID_OPTION", "error"),
        ("companies", "domain", "acme", "INVALID_DOMAIN", "warning"),
        ("tickets", "subject", "", "MISSING_REQUIRED", "error"),
        ("tickets", "hs_ticket_priority", "Whenever", "INVALID_OPTION", "error"),
        ("tickets", "hs_ticket_priority", "URGENT", None, None),
        ("tickets", "hs_pipeline_stage", "Closed", "INVALID_OPTION", "error"),
        ("tickets", "hs_pipeline", "1", "INVALID_OPTION", "error"),
        ("tickets", "hs_ticket_category", "GENERAL_INQUIRY", None, None),
        ("tickets", "createdate", "13/45/2024", "INVALID_DATE", "error"),
    ],
)
def test_one_bad_cell_gives_one_issue_on_its_row(
    object_type: str, column: str, value: str, category: str | None, severity: str | None
) -> None:
    """Each expectation flags exactly the row and column holding the bad value, nothing else."""
    frame = frame_of(object_type, {column: value}, first_row=40)
    report = validate_frame(frame, object_type, file=f"{object_type}.csv")
    found = {(i.row, i.column, i.category, i.severity) for i in report.issues}
    expected = set() if category is None else {(41, column, category, severity)}
    assert found == expected
    for issue in report.issues:
        assert issue.stage == "validate"
        assert issue.file == f"{object_type}.csv"
        assert issue.value == value
        assert "expect_" in issue.message


def test_duplicate_email_ignores_case_and_only_warns() -> None:
    """Both rows of a case-variant duplicate are reported as warnings; neither is rejected."""
    frame = frame_of("contacts", {"email": "Ana.Silva@ACME.example", "firstname": "Anna"})
    report = validate_frame(frame, "contacts", file="contacts.csv")
    assert {(i.row, i.category, i.severity) for i in report.issues} == {
        (2, "DUPLICATE", "warning"),
        (3, "DUPLICATE", "warning"),
    }


def test_columns_absent_from_the_frame_are_skipped() -> None:
    """A frame with only some properties runs only their expectations and fails none."""
    frame = pd.DataFrame({"firstname": ["Zoë"]}, index=pd.Index([2], name="row"), dtype="str")
    report = validate_frame(frame, "contacts", file="c.csv")
    assert report.issues == []
    assert {o.column for o in report.results} == {"firstname"}


def test_each_expectation_counts_its_failed_rows() -> None:
    """One bad value per expectation: each outcome counts exactly its failing rows."""
    rows = [{**GOOD["contacts"], "email": f"p{n}@acme.example"} for n in range(4)]
    rows[1]["email"] = "bad"
    rows[2]["phone"] = "555"  # a warning: lowers the column score, not the object score
    rows[3]["lifecyclestage"] = "nope"
    frame = pd.DataFrame(rows, index=pd.Index([2, 3, 4, 5], name="row"), dtype="str")
    report = validate_frame(frame, "contacts", file="c.csv")
    failed = {(o.column, o.category): o.unexpected_count for o in report.results if not o.success}
    assert failed == {
        ("email", "INVALID_EMAIL"): 1,
        ("phone", "INVALID_PHONE"): 1,
        ("lifecyclestage", "INVALID_OPTION"): 1,
    }


def test_enumeration_values_come_from_the_given_schema() -> None:
    """A portal's custom option is valid against its own schema, not against the defaults."""
    bundled = Schema.bundled("tickets")
    priority = bundled.get("hs_ticket_priority")
    assert priority is not None
    custom_priority = type(priority)(
        **{
            **priority.__dict__,
            "options": [*priority.options, PropertyOption(value="P0", label="P0")],
        }
    )
    portal = bundled.with_properties([custom_priority])
    frame = frame_of("tickets", {"hs_ticket_priority": "P0"})
    assert [i.category for i in validate_frame(frame, "tickets", file="t.csv").issues] == [
        "INVALID_OPTION"
    ]
    assert validate_frame(frame, "tickets", file="t.csv", schema=portal).issues == []


def test_validating_again_in_the_same_process_works() -> None:
    """Re-running (as a notebook cell would) neither raises nor mixes up object types."""
    frame = frame_of("companies", {"name": ""})
    first = validate_frame(frame, "companies", file="a.csv")
    validate_frame(frame_of("tickets", {}), "tickets", file="t.csv")
    second = validate_frame(frame, "companies", file="a.csv")
    assert first.issues == second.issues
    assert len(first.issues) == 1


def test_empty_frame_is_perfect() -> None:
    frame = pd.DataFrame({"email": pd.Series([], dtype="str")}, index=pd.Index([], name="row"))
    report = validate_frame(frame, "contacts", file="c.csv")
    assert (report.issues, [o for o in report.results if not o.success]) == ([], [])


@pytest.mark.parametrize("object_type", ["contacts", "companies", "tickets"])
def test_every_suite_expectation_says_how_crmkit_treats_it(object_type: str) -> None:
    """Each expectation carries a category and a severity; schema-filled sets are not empty."""
    raw = json.loads((SUITE_DIR / f"{object_type}.json").read_text(encoding="utf-8"))
    loaded = load_suite_dict(object_type)
    for exp in raw["expectations"]:
        assert exp["meta"]["severity"] in {"error", "warning"}
        assert exp["meta"]["category"].isupper()
    for exp in loaded["expectations"]:
        if "value_set" in exp["kwargs"]:
            assert exp["kwargs"]["value_set"], exp


@pytest.mark.parametrize(
    ("content", "needle"),
    [(None, "no expectation suite"), ("{not json", "not valid JSON")],
)
def test_a_broken_suite_folder_is_a_config_error(
    tmp_path: Path, content: str | None, needle: str
) -> None:
    if content is not None:
        (tmp_path / "contacts.json").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=needle):
        validate_frame(frame_of("contacts", {}), "contacts", file="c.csv", suite_dir=tmp_path)


def test_a_suite_naming_an_unknown_enumeration_is_a_config_error(tmp_path: Path) -> None:
    suite = {
        "name": "x",
        "expectations": [
            {
                "type": "expect_column_values_to_be_in_set",
                "kwargs": {"column": "email", "value_set": []},
                "meta": {"value_set_from_schema": "no_such_property"},
            }
        ],
    }
    (tmp_path / "contacts.json").write_text(json.dumps(suite), encoding="utf-8")
    with pytest.raises(ConfigError, match="no_such_property"):
        validate_frame(frame_of("contacts", {}), "contacts", file="c.csv", suite_dir=tmp_path)


def test_validation_is_quiet_and_leaves_no_gx_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """No GX progress bars (they garble HTML reports) and no ``gx/`` scaffolding on disk."""
    monkeypatch.chdir(tmp_path)
    validate_frame(frame_of("contacts", {"email": "bad"}), "contacts", file="c.csv")
    out, err = capfd.readouterr()
    assert "Calculating Metrics" not in out + err
    assert list(tmp_path.iterdir()) == []
