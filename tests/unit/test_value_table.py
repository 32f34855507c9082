"""The enumeration matcher against a labelled table of real systems' values (tests/data).

Precision counts only applied matches: a value crmkit is unsure of is not applied (it is kept as
a suggestion), which costs coverage, never correctness.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from crmkit.mapping.values import match_one
from crmkit.schema import Schema

TABLE = Path(__file__).resolve().parents[1] / "data" / "enum_values.csv"
OBJECT_OF = {"industry": "companies", "type": "companies"}
MIN_PRECISION = 0.98
MIN_COVERAGE = 0.9


def _rows() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    seen: dict[tuple[str, str], str] = {}
    out = []
    for row in csv.DictReader(lines):
        key = (row["property"], row["raw"])
        assert seen.setdefault(key, row["expected"]) == row["expected"], f"two labels: {key}"
        if len(seen) > len(out):
            out.append(row)
    return out


def test_table_is_large_and_from_every_system() -> None:
    """At least 300 distinct labelled values, from each system the issue names."""
    rows = _rows()
    assert len(rows) >= 300
    sources = {r["source"] for r in rows}
    for system in ("zendesk", "freshdesk", "salesforce", "jira_sm", "servicenow", "intercom",
                   "helpscout", "kaggle_support", "datablist_orgs"):  # fmt: skip
        assert system in sources


def test_precision_and_coverage(capsys: pytest.CaptureFixture[str]) -> None:
    """Applied matches are right at least 98% of the time; the figures are printed."""
    applied = correct = labelled = 0
    wrong: list[str] = []
    per_property: dict[str, list[int]] = {}
    for row in _rows():
        prop = Schema.bundled(OBJECT_OF.get(row["property"], "tickets")).get(row["property"])
        assert prop is not None
        expected = None if row["expected"] == "none" else row["expected"]
        found = match_one(prop, row["raw"])
        stats = per_property.setdefault(row["property"], [0, 0, 0])
        labelled += expected is not None
        stats[0] += expected is not None
        if found.applied:
            applied += 1
            stats[1] += 1
            if found.value == expected:
                correct += 1
                stats[2] += 1
            else:
                wrong.append(f"{row['property']} {row['raw']!r} → {found.value} ({expected})")
    precision = correct / applied
    coverage = correct / labelled
    with capsys.disabled():
        print(
            f"\nvalue table: {len(_rows())} values, {labelled} with an option, {applied} applied; "
            f"precision {precision:.3f}, coverage {coverage:.3f}"
        )
        for name, (n, a, c) in sorted(per_property.items()):
            print(f"  {name}: {n} labelled, {a} applied, {c} right")
        for line in wrong:
            print(f"  wrong: {line}")
    assert precision >= MIN_PRECISION, wrong
    assert coverage >= MIN_COVERAGE


def test_unsure_values_become_suggestions_not_matches() -> None:
    """An unsure match is left unmatched and offered as a suggestion, which to_json keeps."""
    from crmkit.mapping import Mapping, auto_map

    samples = {"Status": ["Closed", "On Hold", "Whenever"], "Industry": ["Real Estate / Mortgage"]}
    tickets = auto_map(["Status"], "tickets", samples=samples)
    assert tickets.values["Status"] == {"Closed": "4"}
    assert tickets.unmatched_values["Status"] == ["On Hold", "Whenever"]
    assert tickets.suggestions["Status"] == {"On Hold": ("3", 0.75)}
    assert Mapping.from_json(tickets.to_json()) == tickets
    assert "maybe 3" in tickets.describe().set_index("column").loc["Status", "reason"]
    companies = auto_map(["Industry"], "companies", samples=samples)
    assert companies.suggestions["Industry"]["Real Estate / Mortgage"][0] == "REAL_ESTATE"


@pytest.mark.parametrize(
    ("prop", "object_type", "raw", "expected"),
    [
        ("hs_pipeline_stage", "tickets", "Not resolved", None),  # a "not" is never dropped
        ("hs_pipeline_stage", "tickets", "Unresolved", None),  # nor an "un" read as a typo
        ("hs_pipeline_stage", "tickets", "waiting_for_customer", "2"),  # separators
        ("hs_pipeline_stage", "tickets", "customerWaitingOn", "2"),  # camelCase, word order
        ("hs_ticket_priority", "tickets", "1 - High", None),  # ServiceNow urgency: parts disagree
        ("industry", "companies", "Computer Software / Engineering", "COMPUTER_SOFTWARE"),
        ("industry", "companies", "Public Relations / PR", "PUBLIC_RELATIONS_AND_COMMUNICATIONS"),
        ("industry", "companies", "Oil / Energy / Solar / Greentech", None),  # ambiguous
        ("industry", "companies", "Libraries", "LIBRARIES"),  # plural and singular
        ("hs_ticket_category", "tickets", "Change", None),  # "change request" is not "change"
    ],
)
def test_token_aware_matching(prop: str, object_type: str, raw: str, expected: str | None) -> None:
    definition = Schema.bundled(object_type).get(prop)
    assert definition is not None
    found = match_one(definition, raw)
    assert (found.value if found.applied else None) == expected, found


def test_unmatched_values_are_counted_by_rows(tmp_path: Path) -> None:
    """The rows holding each unmatched value are counted, across chunks, and shown first."""
    from crmkit.prepare import prepare_object

    path = tmp_path / "tickets.csv"
    lines = ["Subject,Priority"] + ["a,Whenever"] * 3 + ["b,Someday", "c,High"] * 2
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for chunk_rows in (None, 2):
        mapping = prepare_object(path, "tickets", chunk_rows=chunk_rows).mapping
        assert mapping.unmatched_counts == {"Priority": {"Whenever": 3, "Someday": 2}}
    reason = mapping.describe().set_index("column").loc["Priority", "reason"]
    assert "'Whenever' ×3, 'Someday' ×2" in reason


def test_the_plan_carries_the_suggestions(tmp_path: Path) -> None:
    """plan.json lists each unsure match by property, for the analyst to accept or not."""
    from crmkit.plan import ImportPlan, build_plan
    from crmkit.prepare import prepare_folder

    (tmp_path / "tickets.csv").write_text(
        "Subject,Status\nPrinter jam,On Hold\nNew laptop,Closed\n", encoding="utf-8"
    )
    plan = build_plan(prepare_folder(tmp_path))
    assert plan.suggestions["tickets"] == {
        "hs_pipeline_stage": {"On Hold": {"option": "3", "confidence": 0.75}}
    }
    assert ImportPlan.from_json(plan.to_json()).suggestions == plan.suggestions
