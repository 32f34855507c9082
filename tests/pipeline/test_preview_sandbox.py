"""Issue 12 over HTTP: preview against the portal, change-only writing, ids.csv.

A portal populated by a first import, then an edited file (a changed title, a blank cell, a
new row): the preview names exactly the changes and sends no write; the import applies them
and clears nothing; a re-run sends no write.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from crmkit.cli import main
from crmkit.hubspot import RetryPolicy
from crmkit.pipeline import ImportOptions, run_import
from crmkit.pipeline.options import ImportResult
from crmkit.report.page import render_page, write_page
from crmkit.sandbox import RunningSandbox, running

FAST_RETRY = RetryPolicy(max_attempts=8, base_delay_s=0.01, max_delay_s=0.05, timeout_s=5.0)
COMPANIES = "Company Name,Domain\nAcme,acme.example\nGlobex,globex.example\n"
CONTACTS = [
    ["Email", "First Name", "Last Name", "Job Title", "Company"],
    ["ada@acme.example", "Ada", "Lovelace", "Engineer", "Acme"],
    ["bob@globex.example", "Bob", "Byte", "Manager", "Globex"],
    ["cy@acme.example", "Cy", "Cider", "Analyst", "Acme"],
]
WRITES = (
    "batch/upsert",
    "batch/create",
    "batch/update",
    "batch/archive",
    "associate",
    "/batch/create",
)


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningSandbox]:
    with running(tier="enterprise") as box:
        monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", box.token)
        yield box


def write_data(folder: Path, contacts: list[list[str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "companies.csv").write_text(COMPANIES, encoding="utf-8")
    with (folder / "contacts.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(contacts)
    return folder


def edited() -> list[list[str]]:
    """Ada's title changed, Bob's title blank (must not clear), Dee new."""
    rows = [list(r) for r in CONTACTS]
    rows[1][3] = "Chief Engineer"
    rows[2][3] = ""
    rows.append(["dee@globex.example", "Dee", "Dot", "Designer", "Globex"])
    return rows


def run(box: RunningSandbox, tmp_path: Path, data: Path, run_id: str, **kw: Any) -> ImportResult:
    options = ImportOptions(
        data_dir=data,
        output_dir=tmp_path / "out",
        target=box.base_url,
        tier="enterprise",
        progress=False,
        retry=FAST_RETRY,
        run_id=run_id,
        **kw,
    )
    return run_import(options)


def writes(box: RunningSandbox) -> int:
    """Write requests the sandbox has answered (object writes, links, property creation)."""
    by_endpoint = box.stats()["requests"]["by_endpoint"]
    return sum(
        n
        for endpoint, n in by_endpoint.items()
        if endpoint.startswith(("POST /crm/v3/properties", "PATCH", "DELETE"))
        or (endpoint.startswith("POST") and endpoint.endswith(WRITES))
    )


def contact(box: RunningSandbox, email: str) -> dict[str, Any]:
    answer = requests.get(
        f"{box.base_url}/crm/v3/objects/contacts/{email}",
        params={"idProperty": "email", "properties": "jobtitle,firstname"},
        headers=box.headers,
        timeout=10,
    )
    answer.raise_for_status()
    body: dict[str, Any] = answer.json()
    return body


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_preview_then_change_only_import_then_a_silent_rerun(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """The preview names exactly the changes with zero writes; the import applies only them."""
    first = run(sandbox, tmp_path, write_data(tmp_path / "v1", CONTACTS), "first")
    assert first.complete, first.summary_text
    data = write_data(tmp_path / "v2", edited())

    before = writes(sandbox)
    code = main(["import", "--data", str(data), "--dry-run", "--target", sandbox.base_url,
                 "--run-id", "preview", "--output", str(tmp_path / "out"), "--no-progress",
                 "--tier", "enterprise"])  # fmt: skip
    assert code == 0
    assert writes(sandbox) == before, "the preview sent a write"
    run_dir = tmp_path / "out" / "runs" / "preview"
    report = json.loads((run_dir / "report.json").read_text())
    contacts = report["objects"]["contacts"]
    assert (contacts["would_create"], contacts["would_update"], contacts["unchanged"]) == (1, 1, 2)
    companies = report["objects"]["companies"]
    assert (companies["would_create"], companies["would_update"], companies["unchanged"]) == (
        0, 0, 2,
    )  # fmt: skip
    assert report["preview"]["writes"] == 0 and report["preview"]["reads"] > 0
    assert report["preview"]["associations"] == {"to_add": 1, "present": 3}
    diff = read_csv(run_dir / "diff.csv")
    assert list(diff[0]) == ["object_type", "key", "action", "property", "before", "after"]
    changes = [r for r in diff if r["action"] != "unchanged"]
    assert changes == [
        {"object_type": "contacts", "key": "ada@acme.example", "action": "update",
         "property": "jobtitle", "before": "Engineer", "after": "Chief Engineer"},
        {"object_type": "contacts", "key": "dee@globex.example", "action": "create",
         "property": "", "before": "", "after": ""},
    ]  # fmt: skip
    assert "Preview against" in (run_dir / "summary.txt").read_text()
    page = render_page(run_dir)
    assert 'id="preview-sample"' in page and "Chief Engineer" in page
    assert 'href="diff.csv"' in page

    second = run(sandbox, tmp_path, data, "second")
    assert second.complete, second.summary_text
    got = second.report["objects"]["contacts"]
    assert (got["created"], got["updated"], got["unchanged"]) == (1, 1, 2)
    assert contact(sandbox, "ada@acme.example")["properties"]["jobtitle"] == "Chief Engineer"
    assert contact(sandbox, "bob@globex.example")["properties"]["jobtitle"] == "Manager"
    assert second.report["associations"]["created"] == 4
    ids = read_csv(second.run_dir / "ids.csv")
    assert list(ids[0]) == ["file", "row", "object_type", "key", "hubspot_id", "action"]
    by_row = {(r["file"], r["row"]): r["action"] for r in ids}
    assert by_row[("contacts.csv", "2")] == "updated"
    assert by_row[("contacts.csv", "3")] == "unchanged"
    assert by_row[("contacts.csv", "5")] == "created"
    assert all(r["hubspot_id"] for r in ids)

    before = writes(sandbox)
    third = run(sandbox, tmp_path, data, "third")
    assert third.complete
    assert writes(sandbox) == before, "a re-run of an unchanged file sent a write"
    assert third.report["objects"]["contacts"]["unchanged"] == 4


@pytest.mark.parametrize(
    ("policy", "ada", "bob"),
    [
        ("overwrite", "Chief Engineer", "Manager"),
        ("fill-blanks", "Engineer", "Manager"),
        ("never", "Engineer", "Manager"),
    ],
)
def test_update_policies(
    sandbox: RunningSandbox, tmp_path: Path, policy: str, ada: str, bob: str
) -> None:
    """fill-blanks writes only where the portal is empty; never leaves existing records alone."""
    rows = [list(r) for r in CONTACTS]
    rows[2][3] = ""  # Bob starts without a title
    run(sandbox, tmp_path, write_data(tmp_path / "v1", rows), "first")
    changed = edited()
    changed[2][3] = "Manager"
    result = run(sandbox, tmp_path, write_data(tmp_path / "v2", changed), "second",
                 update_policy=policy)  # fmt: skip
    assert result.complete, result.summary_text
    assert contact(sandbox, "ada@acme.example")["properties"]["jobtitle"] == ada
    bob_now = contact(sandbox, "bob@globex.example")["properties"]["jobtitle"]
    assert bob_now == (None if policy == "never" else bob)
    assert contact(sandbox, "dee@globex.example")["properties"]["firstname"] == "Dee"


def test_column_policy_from_the_mapping_file(sandbox: RunningSandbox, tmp_path: Path) -> None:
    """A mapping file's update_policy for one column overrides the run's policy there."""
    run(sandbox, tmp_path, write_data(tmp_path / "v1", CONTACTS), "first")
    mapping = tmp_path / "mapping.json"
    section = {"columns": {"Job Title": "jobtitle"}, "update_policy": {"Job Title": "never"}}
    mapping.write_text(json.dumps({"version": 1, "contacts": section}))
    changed = edited()
    changed[1][1] = "Augusta"
    result = run(sandbox, tmp_path, write_data(tmp_path / "v2", changed), "second",
                 mapping_file=mapping)  # fmt: skip
    assert result.complete, result.summary_text
    ada = contact(sandbox, "ada@acme.example")["properties"]
    assert (ada["firstname"], ada["jobtitle"]) == ("Augusta", "Engineer")


def test_dry_run_without_a_token_stays_offline(
    sandbox: RunningSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No token: the dry run plans offline and says why; nothing is read."""
    monkeypatch.delenv("HUBSPOT_ACCESS_TOKEN")
    total = sandbox.stats()["requests"]["total"]
    result = run(sandbox, tmp_path, write_data(tmp_path / "v1", CONTACTS), "dry", dry_run=True)
    assert result.report["preview"]["compared"] is False
    assert "HUBSPOT_ACCESS_TOKEN" in result.report["preview"]["reason"]
    assert sandbox.stats()["requests"]["total"] == total


def companies_of(box: RunningSandbox, contact_id: str) -> set[str]:
    answer = requests.post(
        f"{box.base_url}/crm/v4/associations/contacts/companies/batch/read",
        json={"inputs": [{"id": contact_id}]},
        headers=box.headers,
        timeout=10,
    ).json()
    return {str(t["toObjectId"]) for r in answer.get("results", []) for t in r["to"]}


def company_id(box: RunningSandbox, domain: str) -> str:
    answer = requests.post(
        f"{box.base_url}/crm/v3/objects/companies/search",
        json={"filterGroups": [{"filters": [
            {"propertyName": "domain", "operator": "EQ", "value": domain}]}]},
        headers=box.headers,
        timeout=10,
    ).json()  # fmt: skip
    return str(answer["results"][0]["id"])


def edit_by_hand(box: RunningSandbox, email: str, **props: str) -> None:
    answer = requests.patch(
        f"{box.base_url}/crm/v3/objects/contacts/{email}",
        params={"idProperty": "email"},
        json={"properties": props},
        headers=box.headers,
        timeout=10,
    )
    answer.raise_for_status()


def test_verify_then_full_rollback(
    sandbox: RunningSandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Verify passes, and fails after an edit behind the run's back; rollback restores every
    updated value, archives every created record and removes the links the run added, except
    a record edited by hand after the run, which it reports."""
    out = str(tmp_path / "out")
    start = [list(r) for r in CONTACTS]
    start[2][0], start[2][4] = "bob@mail.example", ""  # Bob: no company yet
    run(sandbox, tmp_path, write_data(tmp_path / "v1", start), "first")
    rows = edited()
    rows[2][0] = "bob@mail.example"  # Bob joins Globex: a new link between existing records
    rows[3][2] = "Cider-Smith"  # Cy's last name changes too
    bob = contact(sandbox, "bob@mail.example")["id"]
    assert companies_of(sandbox, bob) == set()
    second = run(sandbox, tmp_path, write_data(tmp_path / "v2", rows), "second")
    assert second.complete, second.summary_text
    acme, globex = company_id(sandbox, "acme.example"), company_id(sandbox, "globex.example")
    assert companies_of(sandbox, bob) == {globex}

    write_page(second.run_dir)  # as `crmkit run` leaves it; verify brings it up to date
    assert main(["verify", "second", "--output", out]) == 0
    html = (second.run_dir / "report.html").read_text(encoding="utf-8")
    assert "Verification: 10 records and links read back" in html
    report = json.loads((second.run_dir / "report.json").read_text())
    assert report["verify"]["mismatched"] == 0 and report["verify"]["missing"] == 0
    assert report["verify"]["checked"] == report["verify"]["matched"] == 6 + 4
    assert "Verification: 10 records and links read back" in render_page(second.run_dir)

    edit_by_hand(sandbox, "cy@acme.example", lastname="Hand")
    assert main(["verify", "second", "--output", out]) == 1
    report = json.loads((second.run_dir / "report.json").read_text())
    assert (report["verify"]["mismatched"], report["verify"]["missing"]) == (1, 0)
    wrong = read_csv(second.run_dir / "verify.csv")
    assert [(r["key"], r["property"], r["expected"], r["actual"]) for r in wrong] == [
        ("cy@acme.example", "lastname", "Cider-Smith", "Hand")
    ]

    capsys.readouterr()
    assert main(["rollback", "second", "--output", out]) == 0  # not a terminal: asks, no
    said = capsys.readouterr()
    assert "will archive" in said.out and "--yes" in said.err
    assert contact(sandbox, "dee@globex.example")["properties"]["firstname"] == "Dee"

    assert main(["rollback", "second", "--output", out, "--yes"]) == 1  # a conflict is left
    assert contact(sandbox, "ada@acme.example")["properties"]["jobtitle"] == "Engineer"
    assert contact(sandbox, "bob@mail.example")["properties"]["jobtitle"] == "Manager"
    missing = requests.get(
        f"{sandbox.base_url}/crm/v3/objects/contacts/dee@globex.example",
        params={"idProperty": "email"},
        headers=sandbox.headers,
        timeout=10,
    )
    assert missing.status_code == 404
    assert companies_of(sandbox, bob) == set()  # the link the run added is gone
    ada = contact(sandbox, "ada@acme.example")["id"]
    assert companies_of(sandbox, ada) == {acme}  # a link that existed before is kept
    cy = requests.get(
        f"{sandbox.base_url}/crm/v3/objects/contacts/cy@acme.example",
        params={"idProperty": "email", "properties": "lastname"},
        headers=sandbox.headers,
        timeout=10,
    ).json()
    assert cy["properties"]["lastname"] == "Hand"  # edited by hand: left alone
    conflicts = read_csv(second.run_dir / "rollback.csv")
    assert {(c["key"], c["property"]) for c in conflicts} == {("cy@acme.example", "lastname")}
    first_run = json.loads((tmp_path / "out" / "runs" / "first" / "report.json").read_text())
    assert first_run["objects"]["contacts"]["created"] == 3
    assert main(["rollback", "second", "--output", out, "--yes"]) == 0
    assert "Nothing rolled back" in capsys.readouterr().out
