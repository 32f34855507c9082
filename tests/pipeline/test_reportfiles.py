"""Report files: spreadsheet-safe cells, the timeline, one errors.csv line per rejected row."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from crmkit.issues import RowIssue
from crmkit.pipeline.reportfiles import error_rows, safe_cell, timeline, write_errors_csv
from tests.support.pipeline_fakes import make_plan


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+1 555 0100", "'+1 555 0100"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_safe_cell(value: object, expected: str) -> None:
    """Formula starters get a leading quote; everything else, markup included, stays as is."""
    assert safe_cell(value) == expected


def test_timeline_sums_batches_per_whole_second() -> None:
    """Batches' request counters are bucketed by the whole second they started in."""
    batches = [
        {"t": 0.2, "requests": 2, "retried": 1, "rate_limited": 0, "server_errors": 1},
        {"t": 0.9, "requests": 1, "retried": 0, "rate_limited": 1, "server_errors": 0},
        {"t": 3.0, "requests": 4, "retried": 0, "rate_limited": 0, "server_errors": 0},
    ]
    assert timeline(batches) == [
        {"t": 0, "requests": 3, "retried": 1, "rate_limited": 1, "server_errors": 1},
        {"t": 3, "requests": 4, "retried": 0, "rate_limited": 0, "server_errors": 0},
    ]


def test_timeline_adds_up_to_the_run_totals() -> None:
    """Requests outside any batch (the portal checks before the first) count at second 0."""
    batches = [{"t": 3.6, "requests": 9, "retried": 0, "rate_limited": 0, "server_errors": 0}]
    totals = {"requests": 17.0, "retried": 1.0, "rate_limited": 0.0, "server_errors": 0.0}
    assert timeline(batches, totals) == [
        {"t": 0, "requests": 8, "retried": 1, "rate_limited": 0, "server_errors": 0},
        {"t": 3, "requests": 9, "retried": 0, "rate_limited": 0, "server_errors": 0},
    ]


def test_one_line_per_rejected_row_with_every_reason(tmp_path: Path) -> None:
    """Two issues on one row make one line naming both; the file survives a CSV round trip."""
    plan = make_plan(rejected_contacts=0)
    plan.issues = [
        RowIssue("contacts.csv", 9, "coerce", "INVALID_EMAIL", "bad email", "Email", "=1+1"),
        RowIssue("contacts.csv", 9, "validate", "MISSING_REQUIRED", "email missing", "email"),
        RowIssue("contacts.csv", 4, "plan", "AMBIGUOUS", "two matches", severity="warning"),
        RowIssue("tickets.csv", 7, "validate", "MISSING_REQUIRED", "<b>no subject</b>", "subject"),
    ]
    lines = error_rows(plan, None)
    assert [(x["file"], x["row"], x["category"]) for x in lines] == [
        ("contacts.csv", 9, "INVALID_EMAIL"),
        ("tickets.csv", 7, "MISSING_REQUIRED"),
    ]
    path = tmp_path / "errors.csv"
    write_errors_csv(path, lines)
    with path.open(newline="", encoding="utf-8") as fh:
        back = list(csv.DictReader(fh))
    assert back[0]["message"] == "bad email | email missing"
    assert back[0]["column"] == "Email;email" and back[0]["value"] == "'=1+1"
    assert back[1]["message"] == "<b>no subject</b>"


@pytest.mark.parametrize(
    ("rate", "ceiling", "expected"),
    [
        (950.0, 1900.0, " (ceiling 1900.0)"),
        (1977.4, 1900.0, "sustained ceiling 1900.0: a run shorter than the rate window"),
        (10.0, None, ""),
    ],
)
def test_summary_explains_a_burst_above_the_ceiling(
    rate: float, ceiling: float | None, expected: str
) -> None:
    """A short run can spend a whole window's budget at once; the summary says so."""
    from crmkit.pipeline.reportfiles import _ceiling_note

    note = _ceiling_note({"records_per_s": rate, "ceiling_records_per_s": ceiling})
    assert expected in note if expected else note == ""
