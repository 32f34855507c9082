"""HubSpotClient's portal-settings calls over HTTP: owners, pipelines, options, notes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crmkit.errors import HubSpotValidationError
from crmkit.hubspot import HubSpotClient, RetryPolicy
from crmkit.sandbox import RunningSandbox, running

FAST = RetryPolicy(base_delay_s=0.01, max_delay_s=0.05, timeout_s=5.0)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    with running(tier="enterprise") as sb:
        yield sb


@pytest.fixture
def client(sandbox: RunningSandbox) -> Iterator[HubSpotClient]:
    sandbox.reset()
    with HubSpotClient(sandbox.base_url, sandbox.token, tier="enterprise", retry=FAST) as c:
        yield c


def test_owners_reads_every_page(client: HubSpotClient, sandbox: RunningSandbox) -> None:
    """owners() follows paging past 100 owners; ``email`` narrows to one."""
    sandbox.add_owners(*({"email": f"o{i}@example.com", "firstName": f"O{i}"} for i in range(130)))
    everyone = client.owners()
    assert len(everyone) == 130 and len({o["id"] for o in everyone}) == 130
    assert [o["firstName"] for o in client.owners(email="o7@example.com")] == ["O7"]
    assert client.stats.snapshot()["requests"] == 3


def test_pipelines_create_pipeline_and_stage(client: HubSpotClient) -> None:
    """pipelines() lists the default one; created pipelines and stages come back with ids."""
    assert [p["id"] for p in client.pipelines("tickets")] == ["0"]
    made = client.create_pipeline(
        "tickets", "Escalations", [{"label": "Open", "metadata": {"ticketState": "OPEN"}}], order=1
    )
    stage = client.create_stage("tickets", made["id"], "Done", order=1,
                                metadata={"ticketState": "CLOSED"})  # fmt: skip
    listed = {p["id"]: p for p in client.pipelines()}
    assert [s["label"] for s in listed[made["id"]]["stages"]] == ["Open", "Done"]
    assert stage["id"] in {s["id"] for s in listed[made["id"]]["stages"]}
    with pytest.raises(ValueError):
        client.create_stage("tickets", "../0", "x")


def test_patch_property_options(client: HubSpotClient) -> None:
    """Options are replaced on a category; industry's read-only options raise a validation error."""
    prop = client.get_property("tickets", "hs_ticket_category")
    wanted = [*prop["options"], {"label": "Outage", "value": "OUTAGE"}]
    changed = client.patch_property_options("tickets", "hs_ticket_category", wanted)
    assert [o["value"] for o in changed["options"]][-1] == "OUTAGE"
    with pytest.raises(HubSpotValidationError):
        client.patch_property_options("companies", "industry", [{"label": "X", "value": "X"}])


def test_notes_through_the_batch_path(client: HubSpotClient) -> None:
    """Notes are written and read with batch() like the CRM objects."""
    made = client.batch(
        "notes",
        "create",
        [{"properties": {"hs_timestamp": "2024-01-02T03:04:05Z", "hs_note_body": "Hello"}}],
    )
    assert made.status == 201
    note_id = made.results[0]["id"]
    read = client.batch("notes", "read", [{"id": note_id}], properties=["hs_note_body"])
    assert read.results[0]["properties"]["hs_note_body"] == "Hello"
