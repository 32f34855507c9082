"""The official HubSpot Python SDK, pointed at the sandbox, works unchanged.

Every call goes through the SDK's own models, so a missing or mistyped field in an answer
fails deserialisation here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hubspot import HubSpot
from hubspot.crm.associations.v4 import (
    AssociationSpec,
    BatchInputPublicAssociationMultiArchive,
    BatchInputPublicAssociationMultiPost,
    BatchInputPublicDefaultAssociationMultiPost,
    BatchInputPublicFetchAssociationsBatchRequest,
    PublicAssociationMultiArchive,
    PublicAssociationMultiPost,
    PublicDefaultAssociationMultiPost,
    PublicFetchAssociationsBatchRequest,
    PublicObjectId,
)
from hubspot.crm.contacts import (
    ApiException,
    BatchInputSimplePublicObjectBatchInputForCreate,
    BatchInputSimplePublicObjectBatchInputUpsert,
    BatchInputSimplePublicObjectId,
    BatchReadInputSimplePublicObjectId,
    Filter,
    FilterGroup,
    PublicObjectSearchRequest,
    SimplePublicObjectBatchInputUpsert,
    SimplePublicObjectId,
    SimplePublicObjectInputForCreate,
)
from hubspot.crm.properties import PropertyCreate

from crmkit.sandbox import RunningSandbox

SAMPLES: dict[str, tuple[dict[str, str], str]] = {
    "contacts": ({"email": "sdk@example.com", "firstname": "Sdk"}, "email"),
    "companies": ({"name": "SDK Inc", "crmkit_import_key": "co-1"}, "crmkit_import_key"),
    "tickets": (
        {
            "subject": "SDK",
            "hs_pipeline": "0",
            "hs_pipeline_stage": "1",
            "crmkit_import_key": "t-1",
        },
        "crmkit_import_key",
    ),
}


@pytest.fixture
def client(sandbox: RunningSandbox) -> Iterator[HubSpot]:
    sandbox.reset()
    yield HubSpot(access_token=sandbox.token, host=sandbox.base_url)


def api_for(client: HubSpot, object_type: str) -> Any:
    return getattr(client.crm, object_type)


def create_unique_key(client: HubSpot, object_type: str) -> None:
    created = client.crm.properties.core_api.create(
        object_type,
        PropertyCreate(
            name="crmkit_import_key",
            label="crmkit import key",
            type="string",
            field_type="text",
            group_name="crmkit",
            has_unique_value=True,
        ),
    )
    assert created.has_unique_value is True


@pytest.mark.parametrize("object_type", ["contacts", "companies", "tickets"])
def test_sdk_create_upsert_read_search_archive(client: HubSpot, object_type: str) -> None:
    props, key = SAMPLES[object_type]
    if key != "email":
        create_unique_key(client, object_type)
    api = api_for(client, object_type)
    created = api.batch_api.create(
        BatchInputSimplePublicObjectBatchInputForCreate(
            inputs=[SimplePublicObjectInputForCreate(properties=props, associations=[])]
        )
    )
    record = created.results[0]
    assert record.properties[key] == props[key] and record.archived is False
    assert record.created_at.tzinfo is not None

    upserted = api.batch_api.upsert(
        BatchInputSimplePublicObjectBatchInputUpsert(
            inputs=[
                SimplePublicObjectBatchInputUpsert(
                    id=props[key],
                    id_property=key,
                    properties={"city": "Oslo"}
                    if object_type != "tickets"
                    else {"hs_ticket_priority": "HIGH"},
                )
            ]
        )
    )
    assert upserted.results[0].id == record.id and upserted.results[0].new is False

    read = api.batch_api.read(
        BatchReadInputSimplePublicObjectId(
            inputs=[SimplePublicObjectId(id=record.id)],
            properties=[key],
            properties_with_history=[],
        )
    )
    assert read.results[0].properties[key] == props[key]
    assert api.basic_api.get_by_id(record.id).id == record.id

    found = api.search_api.do_search(
        PublicObjectSearchRequest(
            filter_groups=[
                FilterGroup(filters=[Filter(property_name=key, operator="EQ", value=props[key])])
            ],
            properties=[key],
            limit=10,
        )
    )
    assert found.total == 1 and found.results[0].id == record.id

    api.batch_api.archive(
        BatchInputSimplePublicObjectId(inputs=[SimplePublicObjectId(id=record.id)])
    )
    with pytest.raises(Exception) as missing:
        api.basic_api.get_by_id(record.id)
    assert getattr(missing.value, "status", None) == 404


def test_sdk_reads_properties(client: HubSpot) -> None:
    every = client.crm.properties.core_api.get_all("tickets")
    names = {p.name for p in every.results}
    assert {"subject", "hs_pipeline", "hs_pipeline_stage"} <= names
    priority = client.crm.properties.core_api.get_by_name("tickets", "hs_ticket_priority")
    assert "HIGH" in {o.value for o in priority.options}


def test_sdk_associations(client: HubSpot) -> None:
    contact = client.crm.contacts.basic_api.create(
        SimplePublicObjectInputForCreate(properties={"email": "a@sdk.com"}, associations=[])
    )
    company = client.crm.companies.basic_api.create(
        SimplePublicObjectInputForCreate(properties={"name": "Assoc"}, associations=[])
    )
    v4 = client.crm.associations.v4.batch_api
    made = v4.create(
        "contacts",
        "companies",
        BatchInputPublicAssociationMultiPost(
            inputs=[
                PublicAssociationMultiPost(
                    _from=PublicObjectId(id=contact.id),
                    to=PublicObjectId(id=company.id),
                    types=[
                        AssociationSpec(
                            association_category="HUBSPOT_DEFINED", association_type_id=1
                        )
                    ],
                )
            ]
        ),
    )
    assert made.results[0].labels == ["Primary"]
    default = v4.create_default(
        "companies",
        "contacts",
        BatchInputPublicDefaultAssociationMultiPost(
            inputs=[
                PublicDefaultAssociationMultiPost(
                    _from=PublicObjectId(id=company.id), to=PublicObjectId(id=contact.id)
                )
            ]
        ),
    )
    assert {r.association_spec.association_type_id for r in default.results} == {279, 280}
    page = v4.get_page(
        "companies",
        "contacts",
        BatchInputPublicFetchAssociationsBatchRequest(
            inputs=[PublicFetchAssociationsBatchRequest(id=company.id)]
        ),
    )
    types = {t.type_id for t in page.results[0].to[0].association_types}
    assert types == {2, 280}
    v4.archive(
        "contacts",
        "companies",
        BatchInputPublicAssociationMultiArchive(
            inputs=[
                PublicAssociationMultiArchive(
                    _from=PublicObjectId(id=contact.id), to=[PublicObjectId(id=company.id)]
                )
            ]
        ),
    )


def test_sdk_surfaces_errors(sandbox: RunningSandbox) -> None:
    wrong = HubSpot(access_token="nope", host=sandbox.base_url)
    with pytest.raises(ApiException) as denied:
        wrong.crm.contacts.basic_api.get_page()
    assert denied.value.status == 401


def test_sdk_owners(client: HubSpot, sandbox: RunningSandbox) -> None:
    """crm.owners pages and reads owners through the SDK's own models."""
    created = sandbox.add_owners(
        {"email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace"},
        {"email": "alan@example.com", "firstName": "Alan", "lastName": "Turing"},
    )
    page = client.crm.owners.owners_api.get_page(limit=1)
    assert [o.email for o in page.results] == ["ada@example.com"]
    assert page.paging.next.after == created[0]["id"]
    rest = client.crm.owners.owners_api.get_page(limit=1, after=page.paging.next.after)
    assert rest.results[0].last_name == "Turing" and rest.results[0].type == "PERSON"
    one = client.crm.owners.owners_api.get_by_id(int(created[1]["id"]))
    assert one.id == created[1]["id"] and one.user_id == created[1]["userId"]
    assert client.crm.owners.owners_api.get_page(email="alan@example.com").results[0].id == one.id


def test_sdk_pipelines_and_stages(client: HubSpot) -> None:
    """crm.pipelines lists the default pipeline, creates a pipeline and adds a stage."""
    from hubspot.crm.pipelines import PipelineInput, PipelineStageInput

    default = client.crm.pipelines.pipelines_api.get_all("tickets").results
    assert [p.id for p in default] == ["0"] and len(default[0].stages) == 4
    made = client.crm.pipelines.pipelines_api.create(
        "tickets",
        PipelineInput(
            label="Escalations",
            display_order=1,
            stages=[
                PipelineStageInput(label="Open", display_order=0, metadata={"ticketState": "OPEN"})
            ],
        ),
    )
    assert made.label == "Escalations" and made.stages[0].id.isdigit()
    stage = client.crm.pipelines.pipeline_stages_api.create(
        "tickets",
        made.id,
        PipelineStageInput(label="Done", display_order=1, metadata={"ticketState": "CLOSED"}),
    )
    assert stage.metadata == {"ticketState": "CLOSED"}
    stages = client.crm.pipelines.pipeline_stages_api.get_all("tickets", made.id).results
    assert [s.label for s in stages] == ["Open", "Done"]


def test_sdk_property_update(client: HubSpot) -> None:
    """crm.properties update replaces a category's options; read-only options raise."""
    from hubspot.crm.properties import ApiException as PropertiesError
    from hubspot.crm.properties import OptionInput, PropertyUpdate

    core = client.crm.properties.core_api
    prop = core.get_by_name("tickets", "hs_ticket_category")
    options = [
        OptionInput(label=o.label, value=o.value, display_order=o.display_order, hidden=o.hidden)
        for o in prop.options
    ]
    options.append(OptionInput(label="Outage", value="OUTAGE", display_order=4, hidden=False))
    updated = core.update("tickets", "hs_ticket_category", PropertyUpdate(options=options))
    assert updated.options[-1].value == "OUTAGE"
    assert updated.modification_metadata.read_only_options is False
    industry = core.get_by_name("companies", "industry")
    with pytest.raises(PropertiesError) as refused:
        core.update(
            "companies",
            "industry",
            PropertyUpdate(
                options=[OptionInput(label="X", value="X", display_order=0, hidden=False)]
            ),
        )
    assert refused.value.status == 400
    assert len(core.get_by_name("companies", "industry").options) == len(industry.options)


def test_sdk_notes(client: HubSpot) -> None:
    """crm.objects.notes creates a note linked to a contact and reads it back."""
    from hubspot.crm.objects.notes import (
        BatchInputSimplePublicObjectBatchInputForCreate as NoteBatch,
    )
    from hubspot.crm.objects.notes import (
        SimplePublicObjectInputForCreate as NoteInput,
    )

    contact = client.crm.contacts.basic_api.create(
        SimplePublicObjectInputForCreate(properties={"email": "note@sdk.com"}, associations=[])
    )
    link = {
        "to": {"id": contact.id},
        "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 202}],
    }
    made = client.crm.objects.notes.batch_api.create(
        NoteBatch(
            inputs=[
                NoteInput(
                    properties={"hs_timestamp": "2024-03-01T10:00:00Z", "hs_note_body": "Hi"},
                    associations=[link],
                )
            ]
        )
    )
    note = made.results[0]
    read = client.crm.objects.notes.basic_api.get_by_id(note.id, properties=["hs_note_body"])
    assert read.properties["hs_note_body"] == "Hi"
    labels = client.crm.associations.v4.schema.definitions_api.get_all("notes", "contacts")
    assert [t.type_id for t in labels.results] == [202]
