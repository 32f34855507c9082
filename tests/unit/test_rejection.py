"""crmkit.rejection: a bad value costs its row only when the row cannot be written safely."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmkit.issues import RowIssue
from crmkit.plan import build_plan
from crmkit.prepare import prepare_folder
from crmkit.rejection import must_have, settle


def issue(column: str, category: str, stage: str = "coerce") -> RowIssue:
    return RowIssue("f.csv", 2, stage, category, "bad", column, "x")


PROPS = {"Email": "email", "Born": "date_of_birth", "Name": "name", "Status": "hs_pipeline_stage"}


@pytest.mark.parametrize(
    ("object_type", "column", "category", "lenient", "strict"),
    [
        ("contacts", "Born", "INVALID_DATE", "dropped", "error"),
        ("contacts", "Email", "INVALID_EMAIL", "error", "error"),  # the upsert key
        ("contacts", "Email", "MISSING_REQUIRED", "error", "error"),
        ("companies", "Name", "VALUE_TOO_LONG", "dropped", "error"),  # cut, the row lands
        ("tickets", "Status", "INVALID_OPTION", "dropped", "error"),  # the first stage instead
    ],
)
def test_settle_table(
    object_type: str, column: str, category: str, lenient: str, strict: str
) -> None:
    """What each kind of bad value costs its row, by default and with ``strict``."""
    for is_strict, want in ((False, lenient), (True, strict)):
        (got,) = settle([issue(column, category)], object_type, PROPS, strict=is_strict)
        assert got.severity == want


def test_warnings_stay_and_an_unusable_domain_counts_as_dropped() -> None:
    phone = RowIssue("f.csv", 2, "coerce", "INVALID_PHONE", "m", "Phone", "x", None, "warning")
    domain = RowIssue("f.csv", 2, "coerce", "INVALID_DOMAIN", "m", "Domain", "x", None, "warning")
    assert [i.severity for i in settle([phone, domain], "companies", {})] == [
        "warning",
        "dropped",
    ]


def test_must_have_is_the_key_and_the_required_properties_without_default() -> None:
    assert must_have("contacts") == {"email"}
    assert must_have("companies") == {"name"}
    assert must_have("tickets") == {"subject"}


def test_a_contact_with_only_a_bad_email_is_rejected_and_told_why(tmp_path: Path) -> None:
    """Contacts upsert by email and crmkit has no other contact key: such a row is rejected,
    and its message says so; the contact beside it with a bad date lands without the date."""
    (tmp_path / "contacts.csv").write_text(
        "First Name,Email,Date of Birth\nAnn,ann at x.example,1990-01-01\n"
        "Bo,bo@x.example,1990-02-30\n",
        encoding="utf-8",
    )
    prepared = prepare_folder(tmp_path)
    obj = prepared.objects["contacts"]
    assert obj.rejected_rows == {2}
    (email,) = [i for i in obj.issues if i.row == 2]
    assert "upserted by its email" in email.message
    assert list(obj.frame.index) == [3]
    assert obj.frame.at[3, "date_of_birth"] == ""
    plan = build_plan(prepared)
    (record,) = plan.records["contacts"]
    assert "date_of_birth" not in record.properties


def test_strict_preparation_rejects_the_row(tmp_path: Path) -> None:
    (tmp_path / "contacts.csv").write_text(
        "First Name,Email,Date of Birth\nBo,bo@x.example,1990-02-30\n", encoding="utf-8"
    )
    assert prepare_folder(tmp_path, strict=True).objects["contacts"].rejected_rows == {2}
    assert prepare_folder(tmp_path).objects["contacts"].rejected_rows == set()


def test_blank_and_unmatched_stages_get_the_first_stage_reported(tmp_path: Path) -> None:
    """A blank or unmatched status: stage 1 (New), one DEFAULT_STAGE per row; no status column
    at all: one file-level decision instead of a line per row."""
    (tmp_path / "tickets.csv").write_text(
        "Subject,Status\nA,Open\nB,\nC,OpenPending\n", encoding="utf-8"
    )
    plan = build_plan(prepare_folder(tmp_path))
    stages = {
        r.source_rows[0][1]: r.properties["hs_pipeline_stage"] for r in plan.records["tickets"]
    }
    assert stages == {2: "1", 3: "1", 4: "1"}
    defaults = sorted(i.row for i in plan.issues if i.category == "DEFAULT_STAGE")
    assert defaults == [3, 4]
    (tmp_path / "tickets.csv").write_text("Subject\nA\nB\n", encoding="utf-8")
    plan = build_plan(prepare_folder(tmp_path))
    assert not [i for i in plan.issues if i.category == "DEFAULT_STAGE"]
    assert {d["property"] for d in plan.decisions if d["action"] == "default"} == {
        "hs_pipeline",
        "hs_pipeline_stage",
    }
