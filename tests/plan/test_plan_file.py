"""plan.json's layout: one JSON document, one line per item, read back equal in any layout."""

from __future__ import annotations

import gc
import json
from dataclasses import fields
from pathlib import Path

import pytest

import crmkit.plan.model as model
from crmkit.issues import RowIssue
from crmkit.plan.gcpause import paused_gc
from crmkit.plan.model import ImportPlan, PlannedLink, PlannedRecord

HOSTILE = {
    "jobtitle": '}, {"object_type": "contacts", "key": "x"}',
    "object_type": "ends like a joint }, {",
    "notes": "}, {",
}
"""Values that look like the joint between two items of plan.json's one-per-line layout."""


def contact(i: int, **props: str) -> PlannedRecord:
    email = f"p{i}@example.com"
    return PlannedRecord(
        "contacts", email, "email", {"email": email, **props}, [("contacts.csv", i + 2)]
    )


def make_plan(contacts: int, *, links: int = 0, issues: int = 0) -> ImportPlan:
    records: dict[str, list[PlannedRecord]] = {
        "companies": [
            PlannedRecord(
                "companies",
                "company:domain:acme.com",
                "crmkit_import_key",
                {"name": 'Acmé "Quoted", Inc.\n2nd line', "crmkit_import_key": "x"},
                [("companies.csv", 2), ("companies.csv", 9)],
            )
        ],
        "contacts": [contact(i, firstname="Zoë", **HOSTILE) for i in range(contacts)],
    }
    return ImportPlan(
        records=records,
        links=[
            PlannedLink("contacts", f"p{i}@example.com", "companies", "c", "fuzzy_name", 91.5)
            for i in range(links)
        ],
        issues=[
            RowIssue("contacts.csv", i + 2, "validate", "BAD", '}, {"file": "', "email", "}, {")
            for i in range(issues)
        ],
        rows={"companies": 2, "contacts": contacts},
        duplicates={"companies": 1, "contacts": 0},
        quality={"contacts": {"score": 1.0, "columns": {"email": 1.0}}},
        rejected={"companies": 0, "contacts": 0},
        files={"companies": "companies.csv", "contacts": "contacts.csv"},
    )


@pytest.mark.parametrize(
    ("contacts", "links", "issues", "chunk"),
    [
        (0, 0, 0, 5_000),  # empty lists
        (3, 2, 1, 5_000),  # one chunk each
        (7, 5, 4, 2),  # several chunks, the last one short
        (6, 4, 2, 2),  # several chunks, the last one full
    ],
)
def test_save_round_trips_one_item_per_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    contacts: int,
    links: int,
    issues: int,
    chunk: int,
) -> None:
    """Every record, link and issue is a line of its own, and load gives the plan back."""
    monkeypatch.setattr(model, "_CHUNK", chunk)
    plan = make_plan(contacts, links=links, issues=issues)
    path = plan.save(tmp_path / "plan.json")
    text = path.read_text(encoding="utf-8")
    assert ImportPlan.load(path) == plan
    assert ImportPlan.from_json(plan.to_json()) == plan
    assert plan.to_json() == text
    data = json.loads(text)
    assert data["version"] == model.PLAN_VERSION and data["summary"] == plan.summary()
    lines = text.splitlines()
    record_lines = [ln for ln in lines if ln.startswith('{"object_type": "contacts"')]
    assert len(record_lines) == contacts
    assert [json.loads(ln.rstrip(",")) for ln in record_lines] == [
        r.to_dict() for r in plan.records["contacts"]
    ]
    assert sum(ln.startswith('{"from_type"') for ln in lines) == links
    assert sum(ln.startswith('{"file"') for ln in lines) == issues
    assert "Acmé" in text  # readable, not \u-escaped


def test_load_reads_a_plan_written_in_the_old_single_line_layout(tmp_path: Path) -> None:
    """Plans saved by earlier versions (``json.dump`` on one line, or indented) still load."""
    plan = make_plan(3, links=2, issues=2)
    for indent in (None, 2):
        path = tmp_path / f"plan-{indent}.json"
        path.write_text(json.dumps(plan.to_dict(), indent=indent), encoding="utf-8")
        assert ImportPlan.load(path) == plan
    assert ImportPlan.from_json(plan.to_json(indent=2)) == plan


def test_row_issue_dict_has_every_field() -> None:
    """The hand-written to_dict stays in step with the dataclass's fields."""
    issue = RowIssue("f.csv", 3, "coerce", "INVALID_DATE", "m", "c", "v", "k", "warning")
    assert issue.to_dict() == {f.name: getattr(issue, f.name) for f in fields(RowIssue)}
    assert RowIssue(**issue.to_dict()) == issue


@pytest.mark.parametrize("enabled", [True, False])
def test_paused_gc_restores_the_collector_as_it_found_it(enabled: bool) -> None:
    before = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with paused_gc():
            assert not gc.isenabled()
            with paused_gc():
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(RuntimeError), paused_gc():
            raise RuntimeError("boom")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if before else gc.disable()


@pytest.mark.parametrize(
    ("first_key", "items"),
    [
        ("a", [{"a": 1, "b": "}, {"}, {"a": '}, {"a": 2'}, {"a": 3}]),  # true joints only
        ("b", [{"a": 1}, {"a": 2}]),  # wrong first key: no joint found, encoded one by one
        ("a", [{"a": 1, "c": [{"a": 5}, {"a": 6}]}, {"a": 2}]),  # nested dicts: too many joints
    ],
)
def test_chunk_split_never_breaks_an_item(first_key: str, items: list[dict[str, object]]) -> None:
    encode = json.JSONEncoder(ensure_ascii=False).encode
    text = model._one_per_line(encode, items, first_key)
    assert [json.loads(line.rstrip(",")) for line in text.split("\n")] == items
