"""What a planned record would change in the portal: create, update (which properties) or
unchanged, under an update policy.

The same comparison serves the preview (``--dry-run --target``), the import (only changes are
sent), verify and rollback, so "changed" means one thing everywhere. Values are compared as
HubSpot stores them: numbers by value, dates and date-times by the moment, multi-select
options as sets, emails without case. A blank cell never clears a portal value: the plan
carries no blank values at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Literal

from crmkit.plan.model import PlannedRecord

UpdatePolicy = Literal["overwrite", "fill-blanks", "never"]
UPDATE_POLICIES: tuple[UpdatePolicy, ...] = ("overwrite", "fill-blanks", "never")
"""overwrite: write every changed value; fill-blanks: only where the portal has none;
never: leave existing records' properties alone (their links are still added)."""
Action = Literal["create", "update", "unchanged"]


@dataclass(frozen=True)
class PortalRecord:
    """One record as the portal holds it (values as strings; absent = no value)."""

    id: str
    properties: dict[str, str]
    created_at: str | None = None


@dataclass(frozen=True)
class Change:
    """One property a write changes: its portal value before (None = empty) and after."""

    property: str
    before: str | None
    after: str


@dataclass(frozen=True)
class RecordDiff:
    """A planned record against the portal.

    ``send`` is what to write (everything for a create; the key and changed values for an
    update; nothing when unchanged). ``expected`` is what the portal should hold for this
    record once the run is done: what verify checks and rollback compares with.
    """

    object_type: str
    key: str
    action: Action
    hubspot_id: str | None
    changes: tuple[Change, ...] = ()
    send: dict[str, str] = field(default_factory=dict)
    expected: dict[str, str] = field(default_factory=dict)
    held_back: tuple[str, ...] = ()
    """Properties that differ but the policy kept (fill-blanks over a value, never)."""

    def before_image(self) -> dict[str, str | None]:
        """The portal's values of the properties this write changes (None = empty)."""
        return {c.property: c.before for c in self.changes}


def diff_record(
    record: PlannedRecord,
    portal: PortalRecord | None,
    *,
    policy: UpdatePolicy = "overwrite",
    column_policies: Mapping[str, UpdatePolicy] | None = None,
    kinds: Mapping[str, str] | None = None,
) -> RecordDiff:
    """Create, update or unchanged; ``column_policies`` overrides ``policy`` per property."""
    values = {k: v for k, v in record.properties.items() if v != ""}
    if portal is None:
        return RecordDiff(
            record.object_type, record.key, "create", None, send=values, expected=dict(values)
        )
    changes: list[Change] = []
    expected: dict[str, str] = {}
    held: list[str] = []
    for name, after in values.items():
        before = portal.properties.get(name) or None
        kind = (kinds or {}).get(name, "string")
        if before is not None and same_value(before, after, kind, name):
            expected[name] = before
            continue
        chosen = (column_policies or {}).get(name, policy)
        if name == record.id_property or chosen == "overwrite":
            allowed = True
        else:
            allowed = chosen == "fill-blanks" and before is None
        if allowed:
            changes.append(Change(name, before, after))
            expected[name] = after
        else:
            held.append(name)
            if before is not None:
                expected[name] = before
    if not changes:
        return RecordDiff(
            record.object_type,
            record.key,
            "unchanged",
            portal.id,
            expected=expected,
            held_back=tuple(held),
        )
    send = {c.property: c.after for c in changes}
    send.setdefault(record.id_property, record.key)
    return RecordDiff(
        record.object_type,
        record.key,
        "update",
        portal.id,
        tuple(changes),
        send,
        expected,
        tuple(held),
    )


def same_value(a: str | None, b: str | None, kind: str = "string", name: str = "") -> bool:
    """Whether two values mean the same thing to HubSpot for a property of type ``kind``."""
    if a is None or b is None or a == "" or b == "":
        return (a or "") == (b or "")
    if a == b:
        return True
    left, right = a.strip(), b.strip()
    if kind == "number":
        return _decimal(left) is not None and _decimal(left) == _decimal(right)
    if kind == "datetime":
        return _moment(left) is not None and _moment(left) == _moment(right)
    if kind == "date":
        return _day(left) is not None and _day(left) == _day(right)
    if kind == "enumeration":
        return {p.strip() for p in left.split(";")} == {p.strip() for p in right.split(";")}
    if kind == "bool" or name == "email" or name == "domain":
        return left.lower() == right.lower()
    return left == right


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _moment(text: str) -> int | None:
    """Epoch milliseconds of an ISO-8601 value or epoch-ms digits (naive = UTC)."""
    if text.lstrip("-").isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return round(moment.timestamp() * 1000)


def _day(text: str) -> date | None:
    if text.lstrip("-").isdigit():
        return datetime.fromtimestamp(int(text) / 1000, tz=UTC).date()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
