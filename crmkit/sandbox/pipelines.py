"""Ticket pipelines and their stages: ``/crm/v3/pipelines/tickets`` and the ticket rule.

Every portal starts with the support pipeline ``0`` (stages ``1``..``4``); paid tiers add
pipelines and stages, whose ids HubSpot assigns. A ticket's stage must belong to its pipeline,
so ticket writes are checked against this table, never against a fixed list.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from crmkit.sandbox.replies import JSON, ApiFailure, Reply, iso, now_ms
from crmkit.schema import TICKET_PIPELINES

if TYPE_CHECKING:
    from crmkit.sandbox.store import Store

_TABLE = """
CREATE TABLE IF NOT EXISTS pipelines (
    object_type TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (object_type, id)
);
"""
FIRST_NEW_ID = 1_000_001
"""New pipeline and stage ids: numeric strings well clear of the default ones."""
STATES = ("OPEN", "CLOSED")
OBJECT_TYPES = ("tickets",)


class PipelineTable:
    """One portal's pipelines by object type, each stored as its API body."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        conn.executescript(_TABLE)
        if not self.all("tickets"):
            self._seed()

    def all(self, object_type: str) -> dict[str, JSON]:
        """Pipeline id → body, in the order they were made (read afresh: a rolled-back
        request leaves nothing behind in a cache)."""
        rows = self._conn.execute(
            "SELECT id, body FROM pipelines WHERE object_type = ? ORDER BY rowid", (object_type,)
        )
        return {str(i): json.loads(b) for i, b in rows}

    def stage_map(self, object_type: str) -> dict[str, frozenset[str]]:
        """Pipeline id → its stage ids: what a ticket's pipeline and stage are checked against."""
        return {
            pid: frozenset(str(s["id"]) for s in p["stages"])
            for pid, p in self.all(object_type).items()
        }

    def save(self, object_type: str, pipeline: JSON) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO pipelines (object_type, id, body) VALUES (?, ?, ?)",
            (object_type, pipeline["id"], json.dumps(pipeline)),
        )

    def next_id(self) -> str:
        every = [p for t in OBJECT_TYPES for p in self.all(t).values()]
        ids = [int(p["id"]) for p in every] + [int(s["id"]) for p in every for s in p["stages"]]
        return str(max([FIRST_NEW_ID - 1, *ids]) + 1)

    def reset(self) -> None:
        self._conn.execute("DELETE FROM pipelines")
        self._seed()

    def _seed(self) -> None:
        stamp = iso(now_ms())
        for pid, spec in TICKET_PIPELINES.items():
            closed = set(spec.get("closed_stages", ()))
            stages = [
                _stage(sid, label, i, "CLOSED" if sid in closed else "OPEN", stamp)
                for i, (sid, label) in enumerate(spec["stages"].items())
            ]
            self.save("tickets", _pipeline(pid, spec["label"], 0, stages, stamp))


def _stage(stage_id: str, label: str, order: int, state: str, stamp: str) -> JSON:
    return {
        "id": stage_id,
        "label": label,
        "displayOrder": order,
        "metadata": {"ticketState": state},
        "createdAt": stamp,
        "updatedAt": stamp,
        "archived": False,
        "writePermissions": "CRM_PERMISSIONS_ENFORCEMENT",
    }


def _pipeline(pid: str, label: str, order: int, stages: list[JSON], stamp: str) -> JSON:
    return {
        "id": pid,
        "label": label,
        "displayOrder": order,
        "stages": stages,
        "createdAt": stamp,
        "updatedAt": stamp,
        "archived": False,
    }


# -- handlers -------------------------------------------------------------------------------
def check_type(raw: str) -> str:
    object_type = raw.lower()
    if object_type in ("ticket", "0-5"):
        object_type = "tickets"
    if object_type not in OBJECT_TYPES:
        raise ApiFailure(400, "VALIDATION_ERROR", f"Unable to infer object type from: {raw}")
    return object_type


def list_pipelines(store: Store, object_type: str) -> Reply:
    return Reply(200, {"results": list(store.pipelines.all(object_type).values())})


def get_pipeline(store: Store, object_type: str, pipeline_id: str) -> Reply:
    return Reply(200, _find(store.pipelines, object_type, pipeline_id))


def list_stages(store: Store, object_type: str, pipeline_id: str) -> Reply:
    return Reply(200, {"results": _find(store.pipelines, object_type, pipeline_id)["stages"]})


def create_pipeline(store: Store, object_type: str, body: Any) -> Reply:
    """``POST /crm/v3/pipelines/{type}``: a new pipeline with its stages; ids are assigned."""
    with store.transaction():
        reply = _create_pipeline(store.pipelines, object_type, body)
    store.forget_schemas()  # hs_pipeline and hs_pipeline_stage list the pipelines
    return reply


def create_stage(store: Store, object_type: str, pipeline_id: str, body: Any) -> Reply:
    """``POST /crm/v3/pipelines/{type}/{id}/stages``: labels are unique within the pipeline."""
    with store.transaction():
        pipeline = _find(store.pipelines, object_type, pipeline_id)
        stage = _add_stage(store.pipelines, object_type, pipeline, body, iso(now_ms()))
    store.forget_schemas()
    return Reply(201, stage)


def _create_pipeline(table: PipelineTable, object_type: str, body: Any) -> Reply:
    if not isinstance(body, dict):
        raise ApiFailure(400, "VALIDATION_ERROR", "Invalid input JSON: expected an object")
    label = _label(body)
    if any(p["label"].lower() == label.lower() for p in table.all(object_type).values()):
        raise ApiFailure(409, "CONFLICT", f"A pipeline with label {label} already exists.")
    raw_stages = body.get("stages")
    if not isinstance(raw_stages, list) or not raw_stages:
        raise ApiFailure(400, "VALIDATION_ERROR", "A pipeline needs at least one stage.")
    stamp = iso(now_ms())
    pid = table.next_id()
    pipeline = _pipeline(pid, label, _order(body, len(table.all(object_type))), [], stamp)
    table.save(object_type, pipeline)
    for raw in raw_stages:
        _add_stage(table, object_type, pipeline, raw, stamp)
    return Reply(201, pipeline)


def _add_stage(
    table: PipelineTable, object_type: str, pipeline: JSON, raw: Any, stamp: str
) -> JSON:
    if not isinstance(raw, dict):
        raise ApiFailure(400, "VALIDATION_ERROR", "Each stage must be an object.")
    label = _label(raw)
    if any(s["label"].lower() == label.lower() for s in pipeline["stages"]):
        raise ApiFailure(
            409,
            "CONFLICT",
            f"A stage with label {label} already exists in pipeline {pipeline['id']}.",
        )
    metadata = raw.get("metadata")
    state = str((metadata if isinstance(metadata, dict) else {}).get("ticketState") or "OPEN")
    if state not in STATES:
        raise ApiFailure(
            400, "VALIDATION_ERROR", f"ticketState must be OPEN or CLOSED, not {state}"
        )
    stage = _stage(table.next_id(), label, _order(raw, len(pipeline["stages"])), state, stamp)
    pipeline["stages"].append(stage)
    pipeline["updatedAt"] = stamp
    table.save(object_type, pipeline)
    return stage


def _find(table: PipelineTable, object_type: str, pipeline_id: str) -> JSON:
    found = table.all(object_type).get(pipeline_id)
    if found is None:
        raise ApiFailure(404, "OBJECT_NOT_FOUND", f"Pipeline {pipeline_id} does not exist")
    return found


def _label(raw: JSON) -> str:
    label = str(raw.get("label") or "").strip()
    if not label:
        raise ApiFailure(400, "VALIDATION_ERROR", "Some required fields were not set: [label]")
    return label


def _order(raw: JSON, default: int) -> int:
    try:
        return int(raw.get("displayOrder", default))
    except (TypeError, ValueError):
        raise ApiFailure(400, "VALIDATION_ERROR", "displayOrder must be an integer") from None
