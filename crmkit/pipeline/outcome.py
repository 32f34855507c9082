"""The outcome of a run per file, as a person asks it: how many of my rows landed?

One function for every front end: summary.txt and the CLI's last lines print
:func:`outcome_lines`, report.json holds :func:`file_outcomes` as ``outcome``, and report.html
can call either on a loaded report.json. Per file: rows read, rows landed (of which without
some values), rows rejected (the top three reasons with counts), rows failed at import, rows
merged into another record. A file that lost more than :data:`LOSS_FLAG` of its rows (rejected
or failed) is flagged on the first line. In a dry run "landed" means "would land".

Rows merged as duplicates land with the record they were merged into, so
``landed = rows - rejected - failed``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

LOSS_FLAG = 0.05
"""A file that loses a larger share of its rows than this is flagged first."""

TOP_REASONS = 3


@dataclass(frozen=True)
class FileOutcome:
    """One source file's rows, by what became of them."""

    object_type: str
    file: str
    rows: int
    landed: int
    landed_partial: int
    rejected: int
    failed: int
    merged: int
    top_reasons: list[tuple[str, int]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def lost(self) -> int:
        return self.rejected + self.failed

    @property
    def lost_share(self) -> float:
        return self.lost / self.rows if self.rows else 0.0

    @property
    def flagged(self) -> bool:
        return self.lost_share > LOSS_FLAG

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["top_reasons"] = [{"category": c, "rows": n} for c, n in self.top_reasons]
        out.update(lost=self.lost, lost_share=round(self.lost_share, 4), flagged=self.flagged)
        return out

    def line(self) -> str:
        """``tickets.csv: 150 of 165 rows landed (12 without some values), …``."""
        verb = "would land" if self.dry_run else "landed"
        reasons = ", ".join(f"{c} {n}" for c, n in self.top_reasons)
        text = (
            f"{self.file}: {self.landed} of {self.rows} rows {verb}"
            f" ({self.landed_partial} without some values), {self.rejected} rejected"
            + (f" ({reasons})" if reasons else "")
        )
        if not self.dry_run:
            text += f", {self.failed} failed"
        if self.merged:
            text += f", {self.merged} merged as duplicates"
        return text


def file_outcomes(report: dict[str, Any]) -> list[FileOutcome]:
    """Per source file, from a report.json dict (``objects``, ``rejected_by_reason``, …)."""
    dry = bool(report.get("dry_run"))
    files = report.get("source_files", {})
    reasons = report.get("rejected_by_reason", {})
    out = []
    for object_type, o in report.get("objects", {}).items():
        if not o.get("rows"):
            continue
        failed = 0 if dry else int(o.get("failed", 0))
        rejected = int(o.get("rejected", 0))
        top = sorted(reasons.get(object_type, {}).items(), key=lambda kv: -kv[1])[:TOP_REASONS]
        out.append(
            FileOutcome(
                object_type=object_type,
                file=files.get(object_type, f"{object_type}.csv"),
                rows=int(o["rows"]),
                landed=int(o["rows"]) - rejected - failed,
                landed_partial=int(o.get("landed_partial", 0)),
                rejected=rejected,
                failed=failed,
                merged=int(o.get("duplicates", 0)),
                top_reasons=[(str(c), int(n)) for c, n in top],
                dry_run=dry,
            )
        )
    return out


def outcome_lines(report: dict[str, Any]) -> list[str]:
    """The outcome block: a flag line for each file that lost too much, then one per file."""
    outcomes = file_outcomes(report)
    flags = [
        f"WARNING: {o.file} lost {100 * o.lost_share:.1f} % of its rows"
        f" ({o.lost} of {o.rows} not {'to land' if o.dry_run else 'landed'})"
        for o in outcomes
        if o.flagged
    ]
    return [*flags, *(o.line() for o in outcomes)]
