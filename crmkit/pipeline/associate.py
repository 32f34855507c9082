"""The associations stage: link records that landed, by the ids the journal recorded.

Runs after every object stage, because an association needs both HubSpot ids. A link whose
record did not land is reported (``ENDPOINT_NOT_IMPORTED``) and tried again on resume, when
that record may have landed after all.
"""

from __future__ import annotations

from typing import Any

from crmkit import RECORD_TYPES
from crmkit.hubspot.outcome import WriteOutcome, WriteState
from crmkit.pipeline.batchloop import Answered, send_batches
from crmkit.pipeline.executor import chunked
from crmkit.pipeline.journal import LinkOutcome
from crmkit.pipeline.run import Run, real
from crmkit.pipeline.states import LinkState
from crmkit.plan.model import ImportPlan

NOT_IMPORTED = "ENDPOINT_NOT_IMPORTED"
_LINK_STATES: dict[WriteState, LinkState] = {
    "created": "created",
    "updated": "created",
    "unchanged": "created",
    "failed": "failed",
    "sent": "sent",
}
"""A link that was there already (unchanged) is as good as made."""
LinkBatch = tuple[tuple[str, str], list[tuple[dict[str, Any], str, str]]]


def import_associations(run: Run, plan: ImportPlan) -> int:
    """Create the planned associations between records that landed; returns links sent."""
    journal, writer = real(run)
    run.enter("associations")
    ids = {t: journal.hubspot_ids(t) for t in RECORD_TYPES}
    todo = [
        link
        for link in journal.links()
        if link["state"] in ("new", "sent")
        or (link["state"] == "failed" and link["error_category"] == NOT_IMPORTED)
    ]
    groups: dict[tuple[str, str], list[tuple[dict[str, Any], str, str]]] = {}
    missing: list[LinkOutcome] = []
    for link in todo:
        from_id = ids.get(link["from_type"], {}).get(link["from_key"])
        to_id = ids.get(link["to_type"], {}).get(link["to_key"])
        if from_id is None or to_id is None:
            absent = link["from_key"] if from_id is None else link["to_key"]
            missing.append(
                _link_outcome(link, "failed", NOT_IMPORTED, f"{absent} was not imported")
            )
            continue
        groups.setdefault((link["from_type"], link["to_type"]), []).append((link, from_id, to_id))
    if missing:
        journal.record_links(None, missing, writer.stats())
    batches = [
        (pair, chunk)
        for pair, links in groups.items()
        for chunk in chunked(links, run.options.link_batch_size)
    ]
    total = sum(len(chunk) for _, chunk in batches)
    if not total:
        return 0

    def send(batch: LinkBatch) -> list[WriteOutcome]:
        (from_type, to_type), chunk = batch
        return writer.associate(from_type, to_type, [(f, t) for _, f, t in chunk])

    def journal_answer(answered: Answered[LinkBatch, list[WriteOutcome]]) -> tuple[int, int]:
        (from_type, to_type), chunk = answered.item
        results = answered.result
        outcomes = []
        for index, (link, from_id, to_id) in enumerate(chunk):
            result = (
                results[index]
                if index < len(results)
                else WriteOutcome(f"{from_id}->{to_id}", "sent", None, "NO_OUTCOME", "no result")
            )
            state = _LINK_STATES[result.state]
            outcomes.append(_link_outcome(link, state, result.category, result.message))
        ok = sum(1 for o in outcomes if o.state == "created")
        row = answered.row(f"{from_type}->{to_type}", "associate", len(outcomes), ok, 1)
        journal.record_links(row, outcomes, answered.stats)
        return ok, len(outcomes) - ok

    send_batches(
        run,
        batches,
        send,
        journal_answer,
        label="associations",
        total=total,
        unit="link",
        kind="links",
        timed=False,
    )
    return total


def _link_outcome(
    link: dict[str, Any], state: LinkState, category: str | None, message: str | None
) -> LinkOutcome:
    return LinkOutcome(
        link["from_type"],
        link["from_key"],
        link["to_type"],
        link["to_key"],
        state,
        category,
        message,
    )
