"""The quota estimate shown before writing: requests by kind, time at the tier, daily share.

HubSpot's daily limit is per account and shared with every other integration, so a run that
would cross it is announced before it starts, with the way on: it stops cleanly at the limit
and ``--resume`` continues the next day.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any

from crmkit.tiers import TIERS

if TYPE_CHECKING:
    from crmkit.pipeline.run import Run
    from crmkit.plan.model import ImportPlan

log = logging.getLogger("crmkit.pipeline")

MARGIN = 0.95
"""The client keeps 5 % of each window free (crmkit.hubspot.policy); the estimate does too."""


def estimate(
    tier: str,
    *,
    reads: int,
    writes: int,
    links: int,
    daily_remaining: int | None = None,
    window_s: float = 10.0,
) -> dict[str, Any]:
    """Requests by kind, expected seconds at the tier's pace, and the share of today's budget.

    Association calls are paced in their own window (HubSpot exempts them from the ten-second
    limit), so they add time but not pressure on the objects window; all of them count a day.
    """
    limits = TIERS.get(tier, TIERS["professional"])
    per_s = max(1.0, limits.per_window * MARGIN / window_s)
    total = reads + writes + links
    left = daily_remaining if daily_remaining is not None else limits.daily
    return {
        "requests": {"reads": reads, "writes": writes, "associations": links, "total": total},
        "duration_s": round((reads + writes) / per_s + links / per_s, 1),
        "daily_limit": limits.daily,
        "daily_remaining": daily_remaining,
        "daily_share": round(total / left, 4) if left > 0 else 1.0,
        "crosses_daily_limit": total > left,
    }


def quota_lines(quota: dict[str, Any], resume_hint: str = "") -> list[str]:
    """How the estimate reads in summary.txt (and before a real run writes)."""
    r = quota["requests"]
    left = quota["daily_remaining"]
    where = f"{left:,} left today" if left is not None else f"daily limit {quota['daily_limit']:,}"
    lines = [
        f"Quota: {r['total']} requests ({r['reads']} reads, {r['writes']} writes,"
        f" {r['associations']} association calls), about {quota['duration_s']} s at the tier;"
        f" {100 * quota['daily_share']:.2f} % of the portal's budget ({where})"
    ]
    if quota["crosses_daily_limit"]:
        lines.append(
            "  This run needs more requests than the portal has left today: it will stop at the"
            " daily limit, journal what landed, and continue with --resume the next day."
            + (f" {resume_hint}" if resume_hint else "")
        )
    return lines


def announce_quota(run: Run, plan: ImportPlan) -> dict[str, Any]:
    """Before a real run writes: the estimate (an upper bound: unchanged records are not
    sent) into the report, and a warning when it would cross the daily limit."""
    pending = {t: len(v) for t, v in plan.records.items()}
    calls = sum(-(-n // 100) for n in pending.values())
    link_calls = -(-len(plan.links) // 100)
    client = getattr(run.writer, "client", None)
    quota = estimate(
        run.options.tier,
        reads=calls + link_calls,  # a read per batch before writing, one per link batch
        writes=calls,
        links=link_calls,
        daily_remaining=getattr(client, "daily_remaining", None),
        window_s=run.options.window_s,
    )
    run.extras["quota"] = quota
    lines = quota_lines(quota, run.resume_hint())
    run.notes += lines
    if quota["crosses_daily_limit"]:
        log.warning("%s", " ".join(lines))
    elif run.options.progress:  # before the bars start: what the run will spend
        print("\n".join(lines), file=sys.stderr, flush=True)
    return quota
