"""report.json as types: the contract other tools, the report page and the tests read.

``Report`` lists every top-level key a run can write; sections a run writes only sometimes
(``preview`` for a dry run against a portal, ``verify`` after ``crmkit verify``) are
``NotRequired``. tests/pipeline/test_report_contract.py checks real runs' report.json
against these types, so a key added without a line here fails a test.
"""

from typing import (  # no __future__ annotations: NotRequired must be seen at class creation
    Any,
    NotRequired,
    TypedDict,
)

from crmkit.pipeline.states import ReportStatus


class ObjectCounts(TypedDict):
    """One object type's source rows and what became of them (rows = every outcome summed)."""

    rows: int
    rejected: int
    duplicates: int
    planned: int
    created: int
    updated: int
    unchanged: int
    failed: int
    landed_partial: int  # landed, with some values left out (values.csv)
    values_dropped: int
    defaults: int  # documented defaults applied (e.g. a ticket's first stage)
    created_from_tickets: NotRequired[int]
    would_create: NotRequired[int]  # a dry run compared with the portal
    would_update: NotRequired[int]


class Associations(TypedDict):
    planned: int
    created: int
    failed: int


class Requests(TypedDict):
    total: int
    retried: int
    rate_limited: int
    server_errors: int
    transport_errors: int


class FileOutcome(TypedDict):
    """The per-file outcome summary.txt and report.html lead with."""

    file: str
    object_type: str
    dry_run: bool
    rows: int
    landed: int
    landed_partial: int
    rejected: int
    failed: int
    merged: int
    lost: int
    lost_share: float
    flagged: bool  # lost more than 5% of its rows
    top_reasons: list[dict[str, Any]]


class Verification(TypedDict):
    checked: int
    matched: int
    mismatched: int
    missing: int
    ok: bool
    target: str


class Report(TypedDict):
    run_id: str
    started_at: str
    finished_at: str
    duration_s: float
    target: str | None
    data_dir: str | None
    portal_id: str | None
    dry_run: bool
    tier: str
    status: ReportStatus
    objects: dict[str, ObjectCounts]
    associations: Associations
    requests: Requests
    records_per_s: float
    ceiling_records_per_s: float | None
    quality: dict[str, Any]
    sources: dict[str, Any]
    errors_by_category: dict[str, int]
    rejected_by_reason: dict[str, Any]
    values_by_category: dict[str, int]
    unmatched: dict[str, dict[str, dict[str, int]]]
    source_files: dict[str, Any]
    schema_changes: list[dict[str, Any]]  # options added to the portal (schemachanges)
    batches: list[dict[str, Any]]
    timeline: list[dict[str, Any]]
    files: dict[str, str]
    outcome: list[FileOutcome]
    quota: NotRequired[dict[str, Any]]
    preview: NotRequired[dict[str, Any]]
    verify: NotRequired[Verification]
