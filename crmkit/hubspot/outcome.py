"""How one write ended — a record's upsert or one association — as one frozen value.

The client layer makes one per input, in input order (:func:`~crmkit.hubspot.isolation.
write_isolated`, :func:`~crmkit.hubspot.link_isolation.associate_isolated`); the pipeline's
writer names them by record key and the stages journal them. ``state`` is where the write
ended, in the journal's words: ``created`` or ``updated`` (landed), ``unchanged`` (held the
values already, nothing sent), ``failed`` (HubSpot refused it: fix the data) or ``sent``
(the retries ran out, it may have landed: resume sends it again, safely, by upsert).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

WriteState = Literal["created", "updated", "unchanged", "failed", "sent"]
"""The states a write ends in: the journal's record states but ``new``."""

TRANSIENT_EXHAUSTED = "TRANSIENT_EXHAUSTED"
"""The category of a write whose transient retries ran out (state ``sent``)."""


@dataclass(frozen=True)
class WriteOutcome:
    """One write's ending; a refusal keeps HubSpot's own words and facts.

    ``key`` names the write: the input's ``objectWriteTraceId`` from the client layer, the
    record key in the pipeline, ``"from_id->to_id"`` for an association.
    """

    key: str
    state: WriteState
    hubspot_id: str | None = None
    category: str | None = None
    message: str | None = None
    attempts: int = 1
    code: str | None = None
    status: int | None = None
    existing_id: str | None = None
    created_at: str | None = None
    """HubSpot's ``createdAt`` of a landed record: a lost answer's retry still tells the run
    made it."""

    @property
    def ok(self) -> bool:
        """Whether the write is in the portal."""
        return self.state in ("created", "updated", "unchanged")
