"""Ticket pipelines and stages: the default one, new ones with assigned ids, the ticket rule."""

from __future__ import annotations

from typing import Any

from tests.support.sandbox_api import Api, ticket

PATH = "/crm/v3/pipelines/tickets"


def new_pipeline(api: Api, label: str = "Escalations", *stages: str) -> dict[str, Any]:
    body = {
        "label": label,
        "displayOrder": 1,
        "stages": [
            {"label": s, "displayOrder": i, "metadata": {"ticketState": "OPEN"}}
            for i, s in enumerate(stages or ("Open", "Done"))
        ],
    }
    answer = api.post(PATH, body)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


def test_default_pipeline_0_with_stages_1_to_4(api: Api) -> None:
    """Every portal has the support pipeline 0: New, Waiting on contact, Waiting on us, Closed."""
    results = api.get(PATH).json()["results"]
    assert [p["id"] for p in results] == ["0"]
    stages = results[0]["stages"]
    assert [(s["id"], s["label"]) for s in stages] == [
        ("1", "New"), ("2", "Waiting on contact"), ("3", "Waiting on us"), ("4", "Closed"),
    ]  # fmt: skip
    assert [s["metadata"]["ticketState"] for s in stages] == ["OPEN"] * 3 + ["CLOSED"]
    assert api.get(f"{PATH}/0/stages").json()["results"] == stages


def test_create_pipeline_assigns_ids_and_lists_it(api: Api) -> None:
    """A new pipeline and its stages get fresh numeric ids; it shows in the list."""
    created = new_pipeline(api, "Escalations", "Open", "Done")
    ids = [created["id"], *(s["id"] for s in created["stages"])]
    assert all(i.isdigit() for i in ids) and len(set(ids)) == 3
    assert not set(ids) & {"0", "1", "2", "3", "4"}
    listed = api.get(PATH).json()["results"]
    assert [p["label"] for p in listed] == ["Support Pipeline", "Escalations"]
    assert api.get(f"{PATH}/{created['id']}").json() == created


def test_add_stage_labels_unique_within_a_pipeline(api: Api) -> None:
    """A stage is added with an assigned id; the same label twice in one pipeline is refused."""
    answer = api.post(f"{PATH}/0/stages", {"label": "On hold", "displayOrder": 4})
    assert answer.status_code == 201, answer.text
    stage = answer.json()
    assert stage["label"] == "On hold" and stage["metadata"]["ticketState"] == "OPEN"
    labels = [s["label"] for s in api.get(f"{PATH}/0/stages").json()["results"]]
    assert labels[-1] == "On hold"
    again = api.post(f"{PATH}/0/stages", {"label": "on hold"})
    assert again.status_code == 409
    other = new_pipeline(api, "Other", "On hold")  # another pipeline may reuse the label
    assert other["stages"][0]["label"] == "On hold"


def test_pipeline_errors(api: Api) -> None:
    """Unknown pipeline → 404; no label or no stages → 400; an unknown object type → 400."""
    assert api.get(f"{PATH}/77").status_code == 404
    assert api.post(f"{PATH}/77/stages", {"label": "x"}).status_code == 404
    assert api.post(PATH, {"label": "", "stages": [{"label": "a"}]}).status_code == 400
    assert api.post(PATH, {"label": "No stages", "stages": []}).status_code == 400
    assert api.get("/crm/v3/pipelines/unicorns").status_code == 400
    assert [p["id"] for p in api.get(PATH).json()["results"]] == ["0"]


def test_tickets_in_a_new_pipeline_and_a_stage_outside_it(api: Api) -> None:
    """A ticket may use a new pipeline's stage; a stage of another pipeline is a 400."""
    created = new_pipeline(api)
    pid, sid = created["id"], created["stages"][0]["id"]
    path = "/crm/v3/objects/tickets/batch/create"
    good = api.post(
        path, {"inputs": [{"properties": ticket(hs_pipeline=pid, hs_pipeline_stage=sid)}]}
    )
    assert good.status_code == 201, good.text
    for props in (ticket(hs_pipeline=pid, hs_pipeline_stage="1"), ticket(hs_pipeline_stage=sid)):
        bad = api.post(path, {"inputs": [{"properties": props}]})
        assert bad.status_code == 400
        assert bad.json()["errors"][0]["context"]["propertyName"] == ["hs_pipeline_stage"]
    added = api.post(f"{PATH}/0/stages", {"label": "On hold"}).json()
    late = api.post(path, {"inputs": [{"properties": ticket(hs_pipeline_stage=added["id"])}]})
    assert late.status_code == 201, late.text


def test_pipeline_properties_list_pipelines_and_stages(api: Api) -> None:
    """hs_pipeline's options are the pipelines, hs_pipeline_stage's every stage."""
    created = new_pipeline(api)
    pipeline = api.get("/crm/v3/properties/tickets/hs_pipeline").json()
    assert [o["value"] for o in pipeline["options"]] == ["0", created["id"]]
    stage = api.get("/crm/v3/properties/tickets/hs_pipeline_stage").json()
    assert [o["value"] for o in stage["options"]][-2:] == [s["id"] for s in created["stages"]]


def test_reset_restores_only_the_default_pipeline(api: Api) -> None:
    """After a reset the portal has pipeline 0 only."""
    new_pipeline(api)
    api.sandbox.reset()
    assert [p["id"] for p in api.get(PATH).json()["results"]] == ["0"]
