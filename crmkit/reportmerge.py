"""One validation report from several: the chunks of a huge file, or the files of one type.

Validation runs per chunk (flat memory) and per file (several exports of one object type);
the person reads one report per object type, so counts add up and scores weigh by rows.
"""

from __future__ import annotations

from dataclasses import replace

from crmkit.validate import ExpectationOutcome, ValidationReport


def merge_reports(reports: list[ValidationReport], rows: int) -> ValidationReport:
    """One report for a file validated chunk by chunk: counts add up, scores weigh by rows."""
    outcomes: dict[tuple[str, str | None, str], ExpectationOutcome] = {}
    for report in reports:
        for outcome in report.results:
            key = (outcome.expectation_type, outcome.column, outcome.category)
            seen = outcomes.get(key)
            if seen is not None:
                outcome = replace(
                    seen,
                    success=seen.success and outcome.success,
                    unexpected_count=seen.unexpected_count + outcome.unexpected_count,
                )
            outcomes[key] = outcome
    issues = [issue for report in reports for issue in report.issues]
    bad = {issue.row for issue in issues if issue.severity == "error"}
    columns: dict[str, set[int]] = {c: set() for r in reports for c in r.column_quality}
    for issue in issues:
        columns.setdefault(issue.column or "", set()).add(issue.row)
    total = max(rows, 1)
    return ValidationReport(
        issues=issues,
        quality=1.0 - len(bad) / total,
        column_quality={c: 1.0 - len(r) / total for c, r in columns.items()},
        results=list(outcomes.values()),
    )
