"""What counts as a change: the comparison the preview, the import, verify and rollback share."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmkit.errors import ConfigError, MappingError
from crmkit.pipeline.compare import PortalRecord, diff_record, same_value
from crmkit.pipeline.quota import estimate
from crmkit.pipeline.update_policy import check_policy, column_policies
from crmkit.plan.model import PlannedRecord


def record(**props: str) -> PlannedRecord:
    return PlannedRecord(
        "contacts", "a@x.com", "email", {"email": "a@x.com", **props}, [("contacts.csv", 2)]
    )


def portal(**props: str) -> PortalRecord:
    return PortalRecord("7", {"email": "a@x.com", **props})


@pytest.mark.parametrize(
    ("a", "b", "kind", "name", "same"),
    [
        ("10", "10.0", "number", "n", True),
        ("10", "11", "number", "n", False),
        ("2024-03-01T10:00:00Z", "2024-03-01T10:00:00.000Z", "datetime", "d", True),
        ("1709287200000", "2024-03-01T10:00:00Z", "datetime", "d", True),
        ("2024-03-01", "1709251200000", "date", "d", True),
        ("A;B", "B;A", "enumeration", "e", True),
        ("A;B", "A", "enumeration", "e", False),
        ("A@X.com", "a@x.com", "string", "email", True),
        ("Ada", "ada", "string", "firstname", False),
        ("TRUE", "true", "bool", "b", True),
        ("", None, "string", "s", True),
        ("x", None, "string", "s", False),
    ],
)
def test_same_value(a: str, b: str | None, kind: str, name: str, same: bool) -> None:
    assert same_value(a, b, kind, name) is same


def test_a_record_the_portal_lacks_is_a_create_of_every_value() -> None:
    diff = diff_record(record(firstname="Ada"), None)
    assert diff.action == "create" and diff.send == {"email": "a@x.com", "firstname": "Ada"}


def test_changed_values_only_are_sent_with_their_before_image() -> None:
    diff = diff_record(record(firstname="Ada", jobtitle="CTO"), portal(firstname="Ada"))
    assert diff.action == "update"
    assert diff.send == {"jobtitle": "CTO", "email": "a@x.com"}
    assert diff.before_image() == {"jobtitle": None}
    assert diff.expected == {"email": "a@x.com", "firstname": "Ada", "jobtitle": "CTO"}


def test_equal_values_are_unchanged_and_a_blank_cell_never_clears() -> None:
    diff = diff_record(record(firstname="Ada", city=""), portal(firstname="Ada", city="Oslo"))
    assert diff.action == "unchanged" and diff.send == {}


@pytest.mark.parametrize(
    ("policy", "action", "sent"),
    [
        ("overwrite", "update", {"jobtitle": "CTO", "city": "Oslo"}),
        ("fill-blanks", "update", {"city": "Oslo"}),
        ("never", "unchanged", {}),
    ],
)
def test_update_policies(policy: str, action: str, sent: dict[str, str]) -> None:
    diff = diff_record(
        record(jobtitle="CTO", city="Oslo"), portal(jobtitle="CEO"), policy=check_policy(policy)
    )
    assert diff.action == action
    assert {k: v for k, v in diff.send.items() if k != "email"} == sent
    if policy != "overwrite":
        assert "jobtitle" in diff.held_back and diff.expected["jobtitle"] == "CEO"


def test_a_column_policy_overrides_the_run_policy() -> None:
    diff = diff_record(
        record(jobtitle="CTO", city="Oslo"),
        portal(jobtitle="CEO", city="Rome"),
        column_policies={"jobtitle": "never"},
    )
    assert diff.send == {"city": "Oslo", "email": "a@x.com"}


def test_mapping_file_policies(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(
        '{"contacts": {"columns": {"Job Title": "jobtitle"},'
        ' "update_policy": {"Job Title": "never", "city": "fill-blanks"}}}'
    )
    assert column_policies(path) == {"contacts": {"jobtitle": "never", "city": "fill-blanks"}}
    path.write_text('{"contacts": {"update_policy": {"city": "sometimes"}}}')
    with pytest.raises(ConfigError, match="sometimes"):
        column_policies(path)
    path.write_text('{"contacts": {"update_policy": ["city"]}}')
    with pytest.raises(MappingError):
        column_policies(path)
    assert column_policies(None) == {}


def test_quota_says_when_a_run_crosses_the_daily_limit() -> None:
    fine = estimate("free", reads=10, writes=10, links=5, daily_remaining=1000)
    assert fine["requests"]["total"] == 25 and not fine["crosses_daily_limit"]
    assert fine["duration_s"] == pytest.approx(25 / 9.5, abs=0.1)
    over = estimate("free", reads=10, writes=10, links=5, daily_remaining=20)
    assert over["crosses_daily_limit"] and over["daily_share"] == pytest.approx(1.25)
    assert estimate("professional", reads=1, writes=0, links=0)["daily_limit"] == 625_000
