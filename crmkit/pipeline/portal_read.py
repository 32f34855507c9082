"""Reading what the portal holds for planned records: batch reads by the upsert key.

100 keys per call through the shared, rate-limited client (the reads count in the quota like
any call). A key the portal lacks comes back in a 207's errors and simply means "create". When
the portal has no ``crmkit_import_key`` property yet, no company or ticket can exist under it:
nothing is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from crmkit import OBJECT_TYPES
from crmkit.hubspot import HubSpotClient
from crmkit.pipeline.compare import PortalRecord
from crmkit.pipeline.options import MAX_BATCH
from crmkit.plan.model import PlannedRecord
from crmkit.schema import Schema


class PortalReader:
    """Reads records by key and by id, and knows each type's property kinds."""

    def __init__(
        self, client: HubSpotClient, schema_for: Callable[[str], Schema] | None = None
    ) -> None:
        self.client = client
        self.schema_for = schema_for  # the writer's cached schemas: no second GET
        self._kinds: dict[str, dict[str, str]] = {}

    def kinds(self, object_type: str) -> dict[str, str]:
        """Property name → HubSpot type (``number``, ``datetime``, …) on this portal."""
        found = self._kinds.get(object_type)
        if found is None and self.schema_for is not None and object_type in OBJECT_TYPES:
            found = {p.name: p.type for p in self.schema_for(object_type)}
            self._kinds[object_type] = found
        if found is None:
            found = {
                str(p.get("name")): str(p.get("type") or "string")
                for p in self.client.properties(object_type)
            }
            self._kinds[object_type] = found
        return found

    def by_key(self, object_type: str, records: Sequence[PlannedRecord]) -> dict[str, PortalRecord]:
        """Planned key → the portal's record, for the keys the portal holds."""
        found: dict[str, PortalRecord] = {}
        if not records:
            return found
        id_property = records[0].id_property
        if id_property not in self.kinds(object_type):
            return found  # the unique key property does not exist: nothing was imported by it
        names = sorted({n for r in records for n in r.properties} | {id_property})
        for start in range(0, len(records), MAX_BATCH):
            chunk = records[start : start + MAX_BATCH]
            wanted = {_norm(id_property, r.key): r.key for r in chunk}
            answer = self.client.batch(
                object_type,
                "read",
                [{"id": r.key} for r in chunk],
                id_property=id_property,
                properties=names,
            )
            for result in answer.results:
                record = portal_record(result)
                key = wanted.get(_norm(id_property, record.properties.get(id_property, "")))
                if key is not None:
                    found[key] = record
        return found

    def by_id(
        self, object_type: str, ids: Sequence[str], properties: Iterable[str]
    ) -> dict[str, PortalRecord]:
        """HubSpot id → record, for the ids that still exist (archived ones are missing)."""
        names = sorted(set(properties))
        found: dict[str, PortalRecord] = {}
        for start in range(0, len(ids), MAX_BATCH):
            chunk = list(dict.fromkeys(ids[start : start + MAX_BATCH]))
            answer = self.client.batch(
                object_type, "read", [{"id": i} for i in chunk], properties=names
            )
            for result in answer.results:
                record = portal_record(result)
                found[record.id] = record
        return found

    def links(self, from_type: str, to_type: str, from_ids: Sequence[str]) -> set[tuple[str, str]]:
        """(from id, to id) pairs associated now, in either direction's records."""
        pairs: set[tuple[str, str]] = set()
        unique = list(dict.fromkeys(from_ids))
        for start in range(0, len(unique), 1000):
            answer = self.client.read_associations(from_type, to_type, unique[start : start + 1000])
            for result in answer.results:
                source = result.get("from")
                from_id = str(source.get("id")) if isinstance(source, Mapping) else ""
                for target in result.get("to") or []:
                    if isinstance(target, Mapping):
                        pairs.add((from_id, str(target.get("toObjectId"))))
        return pairs


def portal_record(result: Mapping[str, Any]) -> PortalRecord:
    """A batch read result as a PortalRecord (null values dropped)."""
    raw = result.get("properties")
    props = raw if isinstance(raw, Mapping) else {}
    return PortalRecord(
        id=str(result.get("id")),
        properties={str(k): str(v) for k, v in props.items() if v not in (None, "")},
        created_at=str(result["createdAt"]) if result.get("createdAt") else None,
    )


def _norm(id_property: str, value: str) -> str:
    return value.strip().lower() if id_property == "email" else value
