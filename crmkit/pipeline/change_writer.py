"""The change-only writer: read before writing, send only what changes, keep before-images.

Wraps the HubSpot writer. Per batch: one batch read by the upsert key, a comparison under the
update policy (``crmkit.pipeline.compare``), the before-images stored, then an upsert of only
the records that change, each with only its changed properties. Unchanged records are not
sent (a re-run of an unchanged file sends zero write requests) and come back ``unchanged``
with their id, so their links are still made. Links the portal has already are not sent
again, and each link's "was it there before" is kept for rollback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from crmkit.hubspot.outcome import WriteOutcome, WriteState
from crmkit.pipeline.before_images import BeforeImages
from crmkit.pipeline.compare import RecordDiff, UpdatePolicy, diff_record
from crmkit.pipeline.hubspot_writer import HubSpotWriter
from crmkit.pipeline.options import ImportOptions
from crmkit.pipeline.portal_read import PortalReader
from crmkit.pipeline.preview import diff_all
from crmkit.pipeline.update_policy import ColumnPolicies, check_policy, column_policies
from crmkit.plan.model import PlannedRecord

_DONE: dict[str, WriteState] = {"create": "created", "update": "updated"}


class ChangeOnlyWriter:
    """A Writer that sends only changes; everything else is the wrapped writer's."""

    def __init__(
        self,
        inner: HubSpotWriter,
        images: BeforeImages,
        *,
        policy: UpdatePolicy = "overwrite",
        columns: ColumnPolicies | None = None,
    ) -> None:
        self.inner = inner
        self.images = images
        self.policy: UpdatePolicy = policy
        self.columns = columns or {}
        self.reader = PortalReader(inner.client, inner.schema_for)

    def __getattr__(self, name: str) -> Any:  # schema_for, ensure_import_keys, client, …
        return getattr(self.inner, name)

    def write(self, object_type: str, records: Sequence[PlannedRecord]) -> list[WriteOutcome]:
        if not records:
            return []
        if object_type in getattr(self.inner, "new_key_types", ()):
            diffs = [diff_record(r, None) for r in records]  # its key property is brand new
        else:
            diffs = diff_all(self.reader, object_type, list(records), self.policy, self.columns)
        same = [d.key for d in diffs if d.action == "unchanged"]  # only these need an image
        earlier = self.images.images(object_type, same) if same else {}
        self.images.save(diffs)
        outcomes: list[WriteOutcome] = []
        to_send: list[PlannedRecord] = []
        for record, diff in zip(records, diffs, strict=True):
            if diff.action == "unchanged":
                outcomes.append(self._unchanged(diff, earlier.get((object_type, diff.key))))
            else:
                to_send.append(replace(record, properties=dict(diff.send)))
        outcomes += self.inner.write(object_type, to_send)
        return outcomes

    def _unchanged(self, diff: RecordDiff, image: Any) -> WriteOutcome:
        """Unchanged now; but a record this run wrote before a crash keeps that outcome."""
        state: WriteState = "unchanged"
        if image is not None and image.action in _DONE:
            state = _DONE[image.action]
        return WriteOutcome(diff.key, state, diff.hubspot_id)

    def associate(
        self, from_type: str, to_type: str, pairs: Sequence[tuple[str, str]]
    ) -> list[WriteOutcome]:
        # A link can only exist already between two records that existed before the run.
        before = self.images.preexisting_ids()
        maybe = [(f, t) for f, t in pairs if (from_type, f) in before and (to_type, t) in before]
        existing = self.reader.links(from_type, to_type, [f for f, _ in maybe]) if maybe else set()
        self.images.save_links(from_type, to_type, pairs, existing)
        new = [(i, pair) for i, pair in enumerate(pairs) if pair not in existing]
        results = {
            i: WriteOutcome(f"{f}->{t}", "created")
            for i, (f, t) in enumerate(pairs)
            if (f, t) in existing
        }
        if new:
            sent = self.inner.associate(from_type, to_type, [pair for _, pair in new])
            for (index, _), result in zip(new, sent, strict=True):
                results[index] = result
        return [results[i] for i in range(len(pairs))]

    def archive(self, object_type: str, ids: Sequence[str]) -> None:
        self.inner.archive(object_type, ids)

    def stats(self) -> dict[str, int]:
        return self.inner.stats()

    def ceiling_records_per_s(self) -> float | None:
        return self.inner.ceiling_records_per_s()


def change_only(
    inner: HubSpotWriter, journal_path: Path, options: ImportOptions
) -> ChangeOnlyWriter:
    """The run's writer: ``inner`` wrapped, images in ``journal_path``, the run's policies."""
    return ChangeOnlyWriter(
        inner,
        BeforeImages(journal_path),
        policy=check_policy(options.update_policy),
        columns=column_policies(options.mapping_file),
    )
