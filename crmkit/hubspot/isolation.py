"""One bad record never sinks a batch.

HubSpot rejects a whole batch for one invalid input unless every input carries a unique
``objectWriteTraceId``; then it answers 207 with the successes in ``results`` and one error
per failed input. :func:`write_isolated` relies on that, and when a batch is still refused
whole (400, 409 — HubSpot names only the first conflict), it splits the batch in halves and
sends each half again, down to single inputs, so every good record is written and every bad
one is reported with HubSpot's own reason. Re-sending a half is safe because crmkit writes by
upsert on unique keys, and a whole-batch rejection wrote nothing.

Transient failures are retried by the client underneath; a batch whose retries run out yields
failed outcomes (``TRANSIENT_EXHAUSTED``) instead of raising, so the run records them and can
resume. DailyLimitReached and errors that ``stop_run`` (a refused token, a target that no
longer answers) propagate: no record can be written after them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, Literal, Protocol

from crmkit.errors import HubSpotError
from crmkit.hubspot.endpoints import MAX_BATCH_INPUTS
from crmkit.hubspot.outcome import TRANSIENT_EXHAUSTED, WriteOutcome
from crmkit.hubspot.responses import (
    BatchResult,
    code_of,
    existing_id_of,
    status_of,
    trace_ids_of,
)

log = logging.getLogger("crmkit.hubspot")

TRACE_KEY = "objectWriteTraceId"
WRITE_ACTIONS = ("create", "upsert", "update", "archive")


class BatchWriter(Protocol):
    """What isolation needs from a client (HubSpotClient satisfies it)."""

    def batch(
        self,
        object_type: str,
        action: str,
        inputs: Sequence[Mapping[str, Any]],
        *,
        id_property: str | None = None,
        properties: Sequence[str] | None = None,
    ) -> BatchResult: ...


Item = tuple[str, dict[str, Any]]


def write_isolated(
    client: BatchWriter,
    object_type: str,
    action: str,
    inputs: Sequence[Mapping[str, Any]],
    *,
    id_property: str | None = None,
    use_trace_ids: bool = True,
) -> list[WriteOutcome]:
    """Write ``inputs`` and return one outcome per input, in input order.

    Each input's ``objectWriteTraceId`` (the caller's source-row key) names its outcome; an
    input without one is named by its position. ``use_trace_ids=False`` leaves the trace ids
    out of the request (HubSpot then rejects batches whole and the split path does the work).
    More than 100 inputs are sent 100 at a time.
    """
    if action not in WRITE_ACTIONS:
        raise ValueError(f"write_isolated writes ({', '.join(WRITE_ACTIONS)}), not {action!r}")
    items: list[Item] = []
    for index, raw in enumerate(inputs):
        item = dict(raw)
        trace = str(item.get(TRACE_KEY) or index)
        item[TRACE_KEY] = trace
        items.append((trace, item))
    traces = [trace for trace, _ in items]
    if len(set(traces)) != len(traces):
        raise ValueError("every input needs a unique objectWriteTraceId")
    writer = _Isolator(client, object_type, action, id_property, use_trace_ids)
    outcomes: dict[str, WriteOutcome] = {}
    for start in range(0, len(items), MAX_BATCH_INPUTS):
        outcomes.update(writer.send(items[start : start + MAX_BATCH_INPUTS]))
    return [outcomes[trace] for trace in traces]


class _Isolator:
    def __init__(
        self,
        client: BatchWriter,
        object_type: str,
        action: str,
        id_property: str | None,
        use_trace_ids: bool,
    ) -> None:
        self.client = client
        self.object_type = object_type
        self.action = action
        self.id_property = id_property
        self.use_trace_ids = use_trace_ids

    def send(self, chunk: list[Item]) -> dict[str, WriteOutcome]:
        payload = [self._payload(item) for _, item in chunk]
        try:
            result = self.client.batch(
                self.object_type, self.action, payload, id_property=self.id_property
            )
        except HubSpotError as exc:
            if exc.stops_run:
                raise
            if exc.transient:
                log.warning("batch of %d gave up after retries: %s", len(chunk), exc.message)
            elif len(chunk) > 1 and _splittable(exc):
                log.info("batch of %d refused whole (%s); splitting", len(chunk), exc.status)
                return self._split(chunk)
            return {trace: _refused_whole(trace, exc) for trace, _ in chunk}
        return self._match(chunk, result)

    def _split(self, chunk: list[Item]) -> dict[str, WriteOutcome]:
        middle = len(chunk) // 2
        outcomes = self.send(chunk[:middle])
        outcomes.update(self.send(chunk[middle:]))
        return outcomes

    def _payload(self, item: dict[str, Any]) -> dict[str, Any]:
        if self.use_trace_ids:
            return item
        return {k: v for k, v in item.items() if k != TRACE_KEY}

    def _match(self, chunk: list[Item], result: BatchResult) -> dict[str, WriteOutcome]:
        """Pair answers with inputs: errors by trace id; results by trace id, key, or order."""
        known = {trace for trace, _ in chunk}
        outcomes: dict[str, WriteOutcome] = {}
        unattributed: list[dict[str, Any]] = []
        for error in result.errors:
            named = [t for t in trace_ids_of(error) if t in known]
            if not named:
                unattributed.append(error)
            for trace in named:
                outcomes[trace] = _refused(trace, error, result.attempts)
        pending = [(trace, item) for trace, item in chunk if trace not in outcomes]
        free = list(result.results)
        for trace, record in self._pair(pending, free):
            outcomes[trace] = self._success(trace, record, result.attempts)
        leftover = [(trace, item) for trace, item in pending if trace not in outcomes]
        if not leftover:
            return outcomes
        if unattributed and len(leftover) > 1 and self.action != "create":
            outcomes.update(self._split(leftover))
        elif unattributed:
            for trace, _ in leftover:
                outcomes[trace] = _refused(trace, unattributed[0], result.attempts)
        else:
            for trace, item in leftover:
                # Accepted without a result we can pair (archive answers 204 with no body).
                known_id = str(item["id"]) if self.action in ("update", "archive") else None
                outcomes[trace] = WriteOutcome(
                    trace, self._landed(None), known_id, attempts=result.attempts
                )
        return outcomes

    def _pair(
        self, pending: list[Item], free: list[dict[str, Any]]
    ) -> list[tuple[str, dict[str, Any]]]:
        pairs: list[tuple[str, dict[str, Any]]] = []
        remaining = list(free)
        unmatched: list[Item] = []
        for trace, item in pending:
            record = self._find(item, trace, remaining)
            if record is None:
                unmatched.append((trace, item))
            else:
                remaining.remove(record)
                pairs.append((trace, record))
        if unmatched and len(unmatched) == len(remaining):
            # HubSpot answers in input order; trust it only when nothing else can decide.
            pairs.extend((trace, rec) for (trace, _), rec in zip(unmatched, remaining, strict=True))
        return pairs

    def _find(
        self, item: dict[str, Any], trace: str, records: list[dict[str, Any]]
    ) -> dict[str, Any] | None:
        for record in records:
            if str(record.get(TRACE_KEY, "")) == trace:
                return record
        key = self._key_of(item)
        if key is None:
            return None
        for record in records:
            if self._key_of_result(record) == key:
                return record
        return None

    def _key_of(self, item: Mapping[str, Any]) -> str | None:
        if self.action in ("update", "archive") or self._by_object_id():
            value = item.get("id")
            return str(value) if value is not None else None
        if self.action == "upsert" and item.get("id") is not None:
            return str(item["id"]).strip().lower()
        return None

    def _key_of_result(self, record: Mapping[str, Any]) -> str | None:
        if self.action in ("update", "archive") or self._by_object_id():
            return str(record.get("id")) if record.get("id") is not None else None
        props = record.get("properties")
        if self.action == "upsert" and self.id_property and isinstance(props, Mapping):
            value = props.get(self.id_property)
            return str(value).strip().lower() if value is not None else None
        return None

    def _by_object_id(self) -> bool:
        return self.id_property in (None, "hs_object_id") and self.action == "update"

    def _landed(self, record: Mapping[str, Any] | None) -> Literal["created", "updated"]:
        """``created`` when HubSpot (or a create) says the record is new, else ``updated``."""
        if record is not None and isinstance(record.get("new"), bool):
            return "created" if record["new"] else "updated"
        return "created" if self.action == "create" else "updated"

    def _success(self, trace: str, record: dict[str, Any], attempts: int) -> WriteOutcome:
        record_id = record.get("id")
        created_at = record.get("createdAt")
        return WriteOutcome(
            trace,
            self._landed(record),
            str(record_id) if record_id is not None else None,
            attempts=attempts,
            created_at=str(created_at) if created_at else None,
        )


def _splittable(exc: HubSpotError) -> bool:
    """A whole-batch refusal caused by some input (not by auth, limits or the server)."""
    return exc.status is not None and 400 <= exc.status < 500 and exc.status not in (401, 403, 429)


def _refused_whole(trace: str, exc: HubSpotError) -> WriteOutcome:
    """An input of a batch the client gave up on: retries ran out (``sent``) or refused."""
    body = exc.body or {}
    exhausted = exc.transient
    return WriteOutcome(
        trace,
        "sent" if exhausted else "failed",
        category=TRANSIENT_EXHAUSTED if exhausted else exc.category or "ERROR",
        message=exc.message,
        attempts=exc.attempts,
        code=code_of(body) or (exc.category if exhausted else None),
        status=exc.status,
        existing_id=existing_id_of(body) or getattr(exc, "existing_id", None),
    )


def _refused(trace: str, error: Mapping[str, Any], attempts: int) -> WriteOutcome:
    """An input HubSpot refused by name in a 207 (or the batch's one unnamed error)."""
    message = error.get("message")
    category = error.get("category")
    return WriteOutcome(
        trace,
        "failed",
        category=str(category) if category else "ERROR",
        message=str(message) if message else "HubSpot refused this input",
        attempts=attempts,
        code=code_of(error),
        status=status_of(error),
        existing_id=existing_id_of(error),
    )
