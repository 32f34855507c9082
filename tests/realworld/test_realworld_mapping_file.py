"""The analyst's second pass: the dry run listed unmappable picklist values; a mapping file says
what to do with them, and the rows that were rejected for them are planned."""

from __future__ import annotations

import json
from pathlib import Path

from crmkit.plan import build_plan
from crmkit.prepare import prepare_folder
from tests.realworld.rw_support import EXPORTS


def test_zoho_account_types_without_a_hubspot_option(tmp_path: Path) -> None:
    """Customer/Competitor/Investor/Analyst left empty: all ten accounts plan, types kept."""
    first = prepare_folder(EXPORTS / "zoho")
    unmatched = first.objects["companies"].mapping.unmatched_values["Account Type"]
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps({"companies": {"values": {"Account Type": dict.fromkeys(unmatched)}}}),
        encoding="utf-8",
    )
    plan = build_plan(prepare_folder(EXPORTS / "zoho", mapping_file=mapping))
    assert (plan.from_file("companies"), plan.rejected["companies"]) == (10, 0)
    types = {r.properties["name"]: r.properties.get("type", "") for r in plan.records["companies"]}
    assert types["Tessera Studios"] == "PROSPECT"
    assert types["Zylker Corporation"] == ""
    links = {
        (link.from_key, link.to_key) for link in plan.links if link.kind == "contacts->companies"
    }
    assert ("elena.petrova@zylker.example", "company:id:zcrm_4876876000000231001") in links
