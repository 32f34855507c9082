"""One bad association never sinks a batch: the v4 counterpart of :mod:`.isolation`.

A v4 association batch answers 207 with per-pair errors when some pairs are refused, or is
refused whole (4xx) for one bad pair; then :func:`associate_isolated` splits it in halves,
down to single pairs, so every good link is made and every bad one reported with HubSpot's
reason. Re-sending is safe: associating a pair twice leaves one association. Retries that run
out give ``sent`` outcomes (resume tries again); errors that ``stop_run`` propagate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from crmkit.errors import HubSpotError
from crmkit.hubspot.outcome import TRANSIENT_EXHAUSTED, WriteOutcome
from crmkit.hubspot.responses import BatchResult

Pair = tuple[str, str]


class LinkWriter(Protocol):
    """What link isolation needs from a client (HubSpotClient satisfies it)."""

    def associate(self, from_type: str, to_type: str, pairs: Sequence[Pair]) -> BatchResult: ...


def associate_isolated(
    client: LinkWriter, from_type: str, to_type: str, pairs: Sequence[Pair]
) -> list[WriteOutcome]:
    """Associate (from_id, to_id) pairs (≤ 100); one outcome per pair, in pair order."""
    out: dict[int, WriteOutcome] = {}
    _send(client, from_type, to_type, list(enumerate(pairs)), out)
    return [out[i] for i in range(len(pairs))]


def _send(
    client: LinkWriter,
    from_type: str,
    to_type: str,
    items: list[tuple[int, Pair]],
    out: dict[int, WriteOutcome],
) -> None:
    try:
        answer = client.associate(from_type, to_type, [pair for _, pair in items])
    except HubSpotError as exc:
        if exc.stops_run:
            raise
        if exc.transient:
            for index, pair in items:
                out[index] = WriteOutcome(
                    _key(pair), "sent", None, TRANSIENT_EXHAUSTED, exc.message
                )
        elif len(items) > 1 and exc.status is not None and 400 <= exc.status < 500:
            middle = len(items) // 2
            _send(client, from_type, to_type, items[:middle], out)
            _send(client, from_type, to_type, items[middle:], out)
        else:
            for index, pair in items:
                category = exc.category or "ERROR"
                out[index] = WriteOutcome(_key(pair), "failed", None, category, exc.message)
        return
    made = {_pair_of(r) for r in answer.results}
    for index, pair in items:
        out[index] = _ending(pair, answer, made)


def _ending(pair: Pair, answer: BatchResult, made: set[Pair]) -> WriteOutcome:
    """A pair made (or not refused in a clean answer), refused by name, or unknown."""
    if not answer.errors or pair in made:
        return WriteOutcome(_key(pair), "created")
    error = _error_for(answer.errors, *pair)
    if error is None:  # neither made nor refused by name: unknown, try again later
        return WriteOutcome(_key(pair), "sent", None, "NO_OUTCOME", "no result for this link")
    return WriteOutcome(
        _key(pair),
        "failed",
        None,
        str(error.get("category") or "ERROR"),
        str(error.get("message") or "HubSpot refused this association"),
    )


def _key(pair: Pair) -> str:
    return f"{pair[0]}->{pair[1]}"


def _pair_of(result: Mapping[str, Any]) -> Pair:
    """(from id, to id) of one association result, in v4's two answer shapes."""
    if "fromObjectId" in result:
        return str(result.get("fromObjectId")), str(result.get("toObjectId"))
    src, dst = result.get("from"), result.get("to")
    return (
        str(src.get("id")) if isinstance(src, Mapping) else "",
        str(dst.get("id")) if isinstance(dst, Mapping) else "",
    )


def _error_for(errors: list[dict[str, Any]], from_id: str, to_id: str) -> Mapping[str, Any] | None:
    """The error naming this pair's ids; else the first error that names no ids at all."""
    anonymous: list[dict[str, Any]] = []
    for error in errors:
        context = error.get("context")
        context = context if isinstance(context, Mapping) else {}
        froms = {str(v) for v in _as_list(context.get("fromObjectId"))}
        tos = {str(v) for v in _as_list(context.get("toObjectId"))}
        if from_id in froms or to_id in tos:
            return error
        if not froms and not tos:
            anonymous.append(error)
    return anonymous[0] if anonymous else None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
