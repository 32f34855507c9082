"""The demo dataset: reproducible, the promised size and headers, dirt exactly as recorded."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

DATA = Path(__file__).resolve().parents[2] / "data"
FILES = ["companies.csv", "contacts.csv", "tickets.csv", "planted_dirt.json", "README.md"]
SIZES = {"companies": 48, "contacts": 80, "tickets": 165}


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("demo_generate", DATA / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


def records(object_type: str) -> list[dict[str, str]]:
    with (DATA / f"{object_type}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def planted() -> list[dict[str, Any]]:
    return list(json.loads((DATA / "planted_dirt.json").read_text(encoding="utf-8")))


def test_regenerating_gives_byte_identical_files(tmp_path: Path) -> None:
    """`make data` on a fresh clone reproduces the committed files exactly."""
    load_generator().generate(tmp_path)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


@pytest.mark.parametrize(("object_type", "size"), SIZES.items())
def test_files_have_the_promised_number_of_rows(object_type: str, size: int) -> None:
    assert len(records(object_type)) == size


@pytest.mark.parametrize("object_type", list(SIZES))
def test_headers_are_as_people_export_them(object_type: str) -> None:
    """Headers are human labels (spaces, capitals), never HubSpot's internal names."""
    header = list(records(object_type)[0])
    assert all(re.fullmatch(r"[A-Z][A-Za-z-]*( [A-Za-z-]+)*", h) for h in header), header
    assert not {"email", "firstname", "subject", "name", "hs_ticket_priority"} & set(header)


def test_every_planted_item_is_really_in_the_file() -> None:
    """The dirt list describes the files: each recorded value sits in its row and column."""
    items = planted()
    assert items
    for item in items:
        rows = records(item["file"].removesuffix(".csv"))
        assert rows[item["row"] - 2][item["column"]] == item["value"] or item["kind"] == (
            "non_ascii_name"
        ), item


def test_dirt_is_about_five_percent_and_covers_every_kind_asked_for() -> None:
    """Roughly 5% of rows carry a row-level problem, and each kind of dirt is present."""
    items = planted()
    rejected = {(d["file"], d["row"]) for d in items if d["severity"] in ("error", "dropped")}
    total = sum(SIZES.values())
    assert 0.03 <= len(rejected) / total <= 0.08
    kinds = {d["kind"] for d in items}
    assert {
        "malformed_email",
        "missing_required",
        "duplicate_email_case",
        "company_name_variant",
        "phone_format",
        "non_ascii_name",
        "email_in_text",
        "phone_in_text",
        "bad_date",
        "invalid_option",
        "unknown_requester",
        "unknown_requester_company_domain",
    } <= kinds
    assert {d["file"] for d in items if d["kind"] == "missing_required"} == {
        "companies.csv",
        "contacts.csv",
        "tickets.csv",
    }


def test_dates_come_in_two_formats() -> None:
    opened = [r["Opened On"] for r in records("tickets")]
    assert any(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", v) for v in opened)
    assert any(re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", v) for v in opened)


def test_no_real_looking_domains() -> None:
    """Every email and website uses a reserved name (.example, .test) or is planted dirt."""
    dirty = {d["value"] for d in planted() if d["kind"] == "malformed_email"}
    values = [r["Website"] for r in records("companies")]
    values += [r["E-mail Address"] for r in records("contacts")]
    values += [r["Requester Email"] for r in records("tickets")]
    for value in filter(None, values):
        host = value.lower().split("@")[-1].split("//")[-1].split("/")[0]
        assert host.endswith((".example", ".test")) or value in dirty, value


def test_text_only_requesters_leave_the_email_cell_empty() -> None:
    rows = records("tickets")
    for item in planted():
        if item["kind"] in {"email_in_text", "phone_in_text"}:
            assert rows[item["row"] - 2]["Requester Email"] == ""


def test_every_header_maps_without_manual_override() -> None:
    """auto_map gives every demo header a property or a linking role; nothing is left over."""
    mapping_module = pytest.importorskip("crmkit.mapping")
    for object_type in SIZES:
        rows = records(object_type)
        header = list(rows[0])
        samples = {h: [r[h] for r in rows] for h in header}
        mapping = mapping_module.auto_map(header, object_type, samples=samples)
        unmapped = [c for c, m in mapping.columns.items() if m.property is None and m.role is None]
        assert unmapped == [], (object_type, mapping.to_dict())
        unmatched = {
            column: values
            for column, values in mapping.unmatched_values.items()
            if set(values) - {d["value"] for d in planted() if d["kind"] == "invalid_option"}
        }
        assert unmatched == {}, object_type
