"""One validation report from several: the chunks of a huge file, or the files of one type.

Validation runs per chunk (flat memory) and per file (several exports of one object type);
the person reads one report per object type, so issues and counts add up.
"""

from __future__ import annotations

from dataclasses import replace

from crmkit.validate import ExpectationOutcome, ValidationReport


def merge_reports(reports: list[ValidationReport], rows: int) -> ValidationReport:
    """One report for a file validated chunk by chunk: issues and counts add up."""
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
    return ValidationReport(issues=issues, results=list(outcomes.values()))
