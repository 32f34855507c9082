"""The seam between the pipeline and the HubSpot client: records in, outcomes out.

The pipeline speaks in planned records and journal states; the client speaks in HTTP inputs
and per-input outcomes. This module translates both ways, so tests can give the pipeline a
fake writer and the client's shapes stay in one place.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from crmkit.hubspot.outcome import WriteOutcome
from crmkit.plan.model import PlannedRecord


class Writer(Protocol):
    """What the pipeline needs from a portal connection."""

    def write(self, object_type: str, records: Sequence[PlannedRecord]) -> list[WriteOutcome]:
        """Upsert the records (≤ 100, distinct keys); one outcome per record key, any order."""
        ...

    def associate(
        self, from_type: str, to_type: str, pairs: Sequence[tuple[str, str]]
    ) -> list[WriteOutcome]:
        """Associate (from_id, to_id) pairs; one outcome per pair, in pair order."""
        ...

    def archive(self, object_type: str, ids: Sequence[str]) -> None:
        """Archive records by HubSpot id (rollback); ids already gone are not an error."""
        ...

    def stats(self) -> dict[str, int]:
        """Request counters since the writer was made (``journal.STAT_FIELDS`` keys)."""
        ...

    def ceiling_records_per_s(self) -> float | None:
        """Records per request × allowed requests per second, or None when unknown."""
        ...


def portal_id_of(writer: object) -> str | None:
    """The portal's id (HubSpot's hub id) when the writer knows it (fakes and stubs may not)."""
    ask = getattr(writer, "portal_id", None)
    return ask() if callable(ask) else None


def trace_id(object_type: str, key: str) -> str:
    """A stable ``objectWriteTraceId`` for a planned record: same record, same id, every run."""
    digest = hashlib.sha1(f"{object_type}\0{key}".encode()).hexdigest()[:20]
    return f"{object_type[:2]}-{digest}"


def fingerprint(record: PlannedRecord) -> str:
    """Hash of what would be written: a failed record is re-sent on resume only if it changed."""
    body = _FINGERPRINT_JSON([record.id_property, record.properties])
    return hashlib.sha1(body.encode()).hexdigest()


_FINGERPRINT_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode
"""``json.dumps(sort_keys=True, ensure_ascii=False)``'s text, without a new encoder per call
(a plan's every record is fingerprinted before its first write)."""


def upsert_input(record: PlannedRecord) -> dict[str, Any]:
    """The batch/upsert input for a record, traced so its outcome can be found again."""
    return {
        "id": record.key,
        "idProperty": record.id_property,
        "properties": dict(record.properties),
        "objectWriteTraceId": trace_id(record.object_type, record.key),
    }


def created_since(created_at: str | None, since_epoch: float) -> bool:
    """Whether HubSpot's ``createdAt`` falls inside this run.

    A write that was committed but whose answer was lost (5xx or a timeout after the commit)
    is answered ``new: false`` when retried; its ``createdAt`` still tells that this run made
    it, so rollback archives it and the report counts it as created.
    """
    if not created_at:
        return False
    try:
        moment = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    except ValueError:
        return False
    return moment.timestamp() >= since_epoch
