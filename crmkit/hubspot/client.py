"""HubSpotClient: one thread-safe, rate-limited, retrying client for one portal.

Share one instance between worker threads: it owns the limiters (the budget belongs to the
portal), the connection pool and the counters (see :mod:`crmkit.hubspot.transport`). This
module is the API surface: object batches, properties and v4 associations.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from crmkit.errors import ConfigError, ConflictError
from crmkit.hubspot.endpoints import (
    ACCOUNT_DETAILS_PATH,
    ASSOCIATION_BATCH_SIZE,
    ASSOCIATION_READ_SIZE,
    BATCH_ACTIONS,
    MAX_BATCH_INPUTS,
    associations_path,
    objects_path,
    pipelines_path,
    properties_path,
)
from crmkit.hubspot.responses import ApiResponse, BatchResult
from crmkit.hubspot.transport import Transport

log = logging.getLogger("crmkit.hubspot")


class HubSpotClient(Transport):
    """Batch, property and association calls over Transport's paced, retrying HTTP.

    The constructor is Transport's (``base_url, token, *, tier, retry, limits, timeout_s,
    clock, sleep, session, pool_size, rand, on_request``; see there). ``stats`` holds the
    counters and the per-second timeline.
    """

    def __enter__(self) -> HubSpotClient:
        return self

    # -- objects -----------------------------------------------------------------------

    def batch(
        self,
        object_type: str,
        action: str,
        inputs: Sequence[Mapping[str, Any]],
        *,
        id_property: str | None = None,
        properties: Sequence[str] | None = None,
    ) -> BatchResult:
        """One ``/crm/v3/objects/{type}/batch/{action}`` call of at most 100 inputs.

        A 207 comes back as a BatchResult with ``errors``; a whole-batch rejection raises.
        ``id_property`` is set on each upsert/update input lacking one, and on a read.
        """
        if action not in BATCH_ACTIONS:
            raise ValueError(f"unknown batch action {action!r}; one of {', '.join(BATCH_ACTIONS)}")
        path = objects_path(object_type, "batch", action)
        items = [dict(item) for item in inputs]
        if len(items) > MAX_BATCH_INPUTS:
            raise ValueError(f"a batch holds at most {MAX_BATCH_INPUTS} inputs, got {len(items)}")
        if not items:
            return BatchResult(status=200, attempts=0)
        payload: dict[str, Any] = {"inputs": items}
        if action in ("upsert", "update") and id_property:
            for item in items:
                item.setdefault("idProperty", id_property)
        if action == "read":
            payload["properties"] = list(properties or [])
            payload["propertiesWithHistory"] = []
            if id_property:
                payload["idProperty"] = id_property
        return _batch_result(self._call("POST", path, json=payload))

    def archive(self, object_type: str, ids: Iterable[str]) -> BatchResult:
        """Archive up to 100 records by id (HubSpot answers 204)."""
        return self.batch(object_type, "archive", [{"id": str(i)} for i in ids])

    def iter_objects(
        self, object_type: str, *, properties: Sequence[str] | None = None, page_size: int = 100
    ) -> Iterator[dict[str, Any]]:
        """Every record of a type, paging with ``after`` (a full read)."""
        after: str | None = None
        while True:
            params: dict[str, Any] = {"limit": page_size}
            if properties:
                params["properties"] = ",".join(properties)
            if after:
                params["after"] = after
            body = self._call("GET", objects_path(object_type), params=params).body
            yield from body.get("results") or []
            after = _next_after(body)
            if not after:
                return

    # -- properties --------------------------------------------------------------------

    def properties(self, object_type: str) -> list[dict[str, Any]]:
        """The portal's property definitions for a type."""
        return list(self._call("GET", properties_path(object_type)).body.get("results") or [])

    def get_property(self, object_type: str, name: str) -> dict[str, Any]:
        return self._call("GET", properties_path(object_type, name)).body

    def create_property(self, object_type: str, definition: Mapping[str, Any]) -> dict[str, Any]:
        """Create a custom property; one that exists already (409) counts as success."""
        try:
            return self._call("POST", properties_path(object_type), json=dict(definition)).body
        except ConflictError:
            name = str(definition.get("name", ""))
            log.info("property %s.%s exists already", object_type, name)
            return self.get_property(object_type, name)

    def ensure_property(
        self,
        object_type: str,
        definition: Mapping[str, Any],
        *,
        existing: Iterable[Mapping[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """The property named in ``definition``, created when the portal lacks it.

        A unique-value definition met by an existing non-unique property, or one of another
        type, is a ConfigError: upserts by it would fail on every record.
        """
        name = definition.get("name")
        if not name:
            raise ValueError("a property definition needs a name")
        current = self.properties(object_type) if existing is None else existing
        found = next((dict(p) for p in current if p.get("name") == name), None)
        if found is None:
            found = self.create_property(object_type, definition)
        wanted, actual = definition.get("type"), found.get("type")
        if wanted and actual and actual != wanted:
            raise ConfigError(
                f"the portal's {object_type} property {name!r} is of type {actual!r}; crmkit"
                f" needs a {wanted!r} property with unique values to upsert by it."
                " Rename or recreate it."
            )
        if definition.get("hasUniqueValue") and not found.get("hasUniqueValue"):
            raise ConfigError(
                f"the portal's {object_type} property {name!r} exists without unique values; "
                "crmkit needs it unique to upsert by it. Rename or recreate it."
            )
        return found

    def patch_property(
        self, object_type: str, name: str, changes: Mapping[str, Any]
    ) -> dict[str, Any]:
        """``PATCH`` a property's label, description or options (HubSpot replaces the list)."""
        path = properties_path(object_type, name)
        return self._call("PATCH", path, json=dict(changes)).body

    def patch_property_options(
        self, object_type: str, name: str, options: Sequence[Mapping[str, Any]]
    ) -> dict[str, Any]:
        """Replace an enumeration's options: send the existing ones plus the new ones.

        A property whose options are read-only (``modificationMetadata.readOnlyOptions``, e.g.
        ``industry``) is refused by the portal with a ValidationError.
        """
        return self.patch_property(object_type, name, {"options": [dict(o) for o in options]})

    # -- the account -----------------------------------------------------------------------

    def account_details(self) -> dict[str, Any]:
        """``GET /account-info/v3/details``: ``portalId`` (the hub id), account type, time
        zone, currency, UI domain, data hosting location. Any token may read it."""
        return self._call("GET", ACCOUNT_DETAILS_PATH).body

    # -- owners and pipelines ------------------------------------------------------------

    def owners(self, *, email: str | None = None, archived: bool = False) -> list[dict[str, Any]]:
        """Every owner of the portal (all pages), or those with one email."""
        found: list[dict[str, Any]] = []
        after: str | None = None
        while True:
            params: dict[str, Any] = {"limit": 100, "archived": str(archived).lower()}
            if email:
                params["email"] = email
            if after:
                params["after"] = after
            body = self._call("GET", "/crm/v3/owners", params=params).body
            found += [o for o in body.get("results") or [] if isinstance(o, dict)]
            after = _next_after(body)
            if not after:
                return found

    def pipelines(self, object_type: str = "tickets") -> list[dict[str, Any]]:
        """The portal's pipelines of a type, each with its ``stages``."""
        body = self._call("GET", pipelines_path(object_type)).body
        return [p for p in body.get("results") or [] if isinstance(p, dict)]

    def create_pipeline(
        self, object_type: str, label: str, stages: Sequence[Mapping[str, Any]], *, order: int = 0
    ) -> dict[str, Any]:
        """A new pipeline with its stages (``{"label", "displayOrder", "metadata"}`` each)."""
        payload = {"label": label, "displayOrder": order, "stages": [dict(s) for s in stages]}
        return self._call("POST", pipelines_path(object_type), json=payload).body

    def create_stage(
        self,
        object_type: str,
        pipeline_id: str,
        label: str,
        *,
        order: int = 0,
        metadata: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Add a stage to a pipeline; its id is assigned by the portal (labels are unique)."""
        payload = {
            "label": label,
            "displayOrder": order,
            "metadata": dict(metadata or {"ticketState": "OPEN"}),
        }
        path = pipelines_path(object_type, pipeline_id, "stages")
        return self._call("POST", path, json=payload).body

    # -- associations (v4) -------------------------------------------------------------

    def associate(
        self,
        from_type: str,
        to_type: str,
        pairs: Sequence[tuple[str, str]],
        *,
        type_id: int | None = None,
    ) -> BatchResult:
        """Link up to 100 (from_id, to_id) pairs: the default type, or a HUBSPOT_DEFINED one."""
        if len(pairs) > ASSOCIATION_BATCH_SIZE:
            raise ValueError(f"associate at most {ASSOCIATION_BATCH_SIZE} pairs per call")
        if not pairs:
            return BatchResult(status=200, attempts=0)
        inputs: list[dict[str, Any]] = []
        for from_id, to_id in pairs:
            item: dict[str, Any] = {"from": {"id": str(from_id)}, "to": {"id": str(to_id)}}
            if type_id is not None:
                item["types"] = [
                    {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}
                ]
            inputs.append(item)
        action = "associate/default" if type_id is None else "create"
        path = associations_path(from_type, to_type, action)
        return _batch_result(self._call("POST", path, json={"inputs": inputs}, lane="exempt"))

    def unassociate(
        self, from_type: str, to_type: str, pairs: Sequence[tuple[str, str]]
    ) -> BatchResult:
        """Remove every association between up to 100 (from_id, to_id) pairs (v4 archive)."""
        if len(pairs) > ASSOCIATION_BATCH_SIZE:
            raise ValueError(f"unassociate at most {ASSOCIATION_BATCH_SIZE} pairs per call")
        if not pairs:
            return BatchResult(status=204, attempts=0)
        grouped: dict[str, list[dict[str, str]]] = {}
        for from_id, to_id in pairs:
            grouped.setdefault(str(from_id), []).append({"id": str(to_id)})
        inputs = [{"from": {"id": f}, "to": to} for f, to in grouped.items()]
        path = associations_path(from_type, to_type, "archive")
        return _batch_result(self._call("POST", path, json={"inputs": inputs}, lane="exempt"))

    def read_associations(self, from_type: str, to_type: str, ids: Sequence[str]) -> BatchResult:
        """Associations of up to 1,000 records (a 207 lists ids with none as errors)."""
        if len(ids) > ASSOCIATION_READ_SIZE:
            raise ValueError(f"read at most {ASSOCIATION_READ_SIZE} ids per call")
        if not ids:
            return BatchResult(status=200, attempts=0)
        path = associations_path(from_type, to_type, "read")
        payload = {"inputs": [{"id": str(i)} for i in ids]}
        return _batch_result(self._call("POST", path, json=payload, lane="exempt"))


def _batch_result(response: ApiResponse) -> BatchResult:
    body = response.body
    results = [r for r in body.get("results") or [] if isinstance(r, dict)]
    errors = [e for e in body.get("errors") or [] if isinstance(e, dict)]
    return BatchResult(response.status, results, errors, response.attempts)


def _next_after(body: Mapping[str, Any]) -> str | None:
    paging = body.get("paging")
    if not isinstance(paging, Mapping):
        return None
    nxt = paging.get("next")
    if not isinstance(nxt, Mapping):
        return None
    after = nxt.get("after")
    return str(after) if after not in (None, "") else None
