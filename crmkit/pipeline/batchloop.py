"""The one loop every write stage runs: send batches concurrently, journal each answer.

Objects and associations differ only in what a batch is, how it is sent and how its answer
is journaled; the rest — the progress bar, the counters' deltas for the charts, the kill
points tests use, saving the counters at the end — is here, once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from crmkit.killpoints import killpoint
from crmkit.pipeline.executor import Done, run_concurrently
from crmkit.pipeline.journal import BatchRow
from crmkit.pipeline.progress import StageBar, requests_seen
from crmkit.pipeline.run import Run, delta, real

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Answered(Generic[T, R]):
    """One batch and its answer, with what its journal row needs."""

    item: T
    result: R
    t: float  # active seconds since the run began, when the batch started
    duration_s: float
    stats: dict[str, int]
    stats_delta: dict[str, int]

    def row(
        self, object_type: str, action: str, records: int, succeeded: int, attempts: int
    ) -> BatchRow:
        return BatchRow(
            t=self.t,
            object_type=object_type,
            action=action,
            records=records,
            succeeded=succeeded,
            failed=records - succeeded,
            attempts=attempts,
            duration_s=self.duration_s,
            stats_delta=self.stats_delta,
        )


def send_batches(
    run: Run,
    items: list[T],
    send: Callable[[T], R],
    journal_answer: Callable[[Answered[T, R]], tuple[int, int]],
    *,
    label: str,
    total: int,
    unit: str = "rec",
    kind: str = "batch",
    timed: bool = True,
) -> None:
    """Send ``items`` with ``run.options.concurrency`` in flight, journaling each answer.

    ``journal_answer`` commits one answered batch and returns (landed, failed). ``kind``
    names the kill points (``batch_sent``/``batch_answered``/``batch_journaled`` or the
    ``links_`` ones); ``timed`` adds the stage's duration to the run's write time (objects
    only: records_per_s measures object writes).
    """
    journal, writer = real(run)
    last = {"stats": writer.stats()}
    tally = {"landed": 0, "failed": 0}
    start = time.monotonic()

    def sent(item: T) -> R:
        result = send(item)
        killpoint(f"{kind}_sent")  # the portal applied it; the pipeline has not seen the answer
        return result

    with StageBar(label, total, enabled=run.options.progress, unit=unit) as bar:

        def done(item: Done[T, R]) -> None:
            killpoint(f"{kind}_answered")
            stats = writer.stats()
            answered = Answered(
                item.item,
                item.result,
                run.offset_s + (item.started - run.session_clock),
                item.duration_s,
                stats,
                delta(stats, last["stats"]),
            )
            landed, failed = journal_answer(answered)
            killpoint(f"{kind}_journaled")
            last["stats"] = stats
            tally["landed"] += landed
            tally["failed"] += failed
            bar.update(landed + failed)
            bar.note(**tally, **requests_seen(stats))

        try:
            run_concurrently(
                items, sent, done, concurrency=run.options.concurrency, clock=time.monotonic
            )
        finally:
            journal.save_stats(writer.stats(), write_s=time.monotonic() - start if timed else None)
