"""What the notebooks call, one function per step, so each notebook stays a few thin cells.

The heavy lifting is the same code the CLI runs (``prepare_folder``, the pipeline's stages);
this module only turns its results into tables people read and numbers tests assert on.
"""

from __future__ import annotations

import atexit
import os
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from crmkit.notebooks.records import record
from crmkit.review.translations import value_table as value_table

if TYPE_CHECKING:
    from crmkit.pipeline import ImportOptions, ImportResult, Run
    from crmkit.plan.model import ImportPlan
    from crmkit.prepare import Prepared, SchemaFor
    from crmkit.review import ReviewState
    from crmkit.issues import RowIssue
    from crmkit.schema import Schema

TOKEN_ENV = "HUBSPOT_ACCESS_TOKEN"
ISSUE_COLUMNS = ["file", "row", "severity", "stage", "category", "column", "value", "message"]


def as_path(value: str | Path | None) -> Path | None:
    """A notebook parameter (text or None) as a Path."""
    return None if value in (None, "") else Path(str(value))


def show(frame: pd.DataFrame) -> None:
    """Display a table without cutting long cells short (reasons, value lists)."""
    from IPython.display import display

    with pd.option_context("display.max_colwidth", None, "display.max_rows", 500):
        display(frame)


# -- schemas -----------------------------------------------------------------------------


def schema_source(
    target: str | None, *, environ: dict[str, str] | None = None, say: Callable[[str], None] = print
) -> SchemaFor | None:
    """The portal's live properties when a target and a token are given, else None (bundled).

    Without a token the notebooks still work offline against HubSpot's default properties, and
    say so: a dry run with ``--target`` should not need a secret just to check the data.
    """
    env = os.environ if environ is None else environ
    if not target:
        return None
    if not env.get(TOKEN_ENV, "").strip():
        say(f"{TOKEN_ENV} is not set: checking against HubSpot's default properties")
        return None
    from crmkit.hubspot import HubSpotClient, token_from_env
    from crmkit.schema import Schema

    client = HubSpotClient(target, token_from_env(env))
    cache: dict[str, Schema] = {}

    def schema_for(object_type: str) -> Schema:
        if object_type not in cache:
            cache[object_type] = Schema.from_api(object_type, client.properties(object_type))
        return cache[object_type]

    say(f"properties: the portal's own, from {target}")
    return schema_for


# -- 01 validate -------------------------------------------------------------------------


def validate_folder(
    data_dir: str | Path,
    *,
    mapping_file: str | Path | None = None,
    target: str | None = None,
    strict: bool = False,
) -> Prepared:
    """Read, map, coerce and validate every CSV of ``data_dir`` (what the import checks)."""
    from crmkit.prepare import prepare_folder

    return prepare_folder(
        data_dir,
        mapping_file=as_path(mapping_file),
        schema_for=schema_source(target),
        strict=bool(strict),
    )


def _rows_with(issues: list[RowIssue], severity: str) -> int:
    return len({i.row for i in issues if i.severity == severity})


def validation_summary(prepared: Prepared) -> pd.DataFrame:
    """One line per object type: rows read, valid (of which without some values: a bad value
    left out, crmkit.rejection), rejected, rows with warnings, quality."""
    lines = []
    for object_type, obj in prepared.objects.items():
        lines.append(
            {
                "object": object_type,
                "file": obj.file,
                "rows": obj.rows,
                "valid": obj.rows - obj.rejected,
                "without some values": _rows_with(
                    [i for i in obj.issues if i.row not in obj.rejected_rows], "dropped"
                ),
                "rejected": obj.rejected,
                "with warnings": _rows_with(obj.issues, "warning"),
                "quality %": round(100.0 * float(obj.quality.get("score", 1.0)), 1),
            }
        )
    columns = [
        "object",
        "file",
        "rows",
        "valid",
        "without some values",
        "rejected",
        "with warnings",
        "quality %",
    ]
    return pd.DataFrame(lines, columns=columns).set_index("object")


def issues_frame(issues: list[RowIssue], *, severity: str | None = None) -> pd.DataFrame:
    """Row-level issues as a table (spreadsheet row numbers), errors first."""
    chosen = [i for i in issues if severity is None or i.severity == severity]
    frame = pd.DataFrame([i.to_dict() for i in chosen], columns=[*ISSUE_COLUMNS, "key"])
    frame = frame[ISSUE_COLUMNS].fillna("")
    order = frame["severity"].map({"error": 0, "dropped": 1, "warning": 2}).fillna(3)
    frame = frame.assign(_order=order).sort_values(["_order", "file", "row", "column"])
    return frame.drop(columns="_order").reset_index(drop=True)


def issue_counts(prepared: Prepared) -> pd.DataFrame:
    """Issues per category (rows) and object type (columns), with each category's severity."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for object_type, obj in prepared.objects.items():
        for issue in obj.issues:
            counts[(issue.category, issue.severity, object_type)] += 1
    if not counts:
        return pd.DataFrame(columns=["category", "severity", *prepared.objects])
    frame = pd.Series(counts).unstack(fill_value=0)
    frame = frame.reindex(columns=list(prepared.objects), fill_value=0).astype(int)
    frame.index.names = ["category", "severity"]
    return frame.sort_index(level=["severity", "category"])


def quality_report(prepared: Prepared) -> dict[str, Any]:
    """The ``quality`` part of a report.json, so ``figures.data_quality`` draws it pre-import."""
    return {"quality": {t: dict(obj.quality) for t, obj in prepared.objects.items()}}


def record_validation(prepared: Prepared) -> None:
    """Record rows / valid / rejected / quality per object type."""
    values = {
        t: {
            "rows": obj.rows,
            "valid": obj.rows - obj.rejected,
            "rejected": obj.rejected,
            "issues": len(obj.issues),
            "score": float(obj.quality.get("score", 1.0)),
        }
        for t, obj in prepared.objects.items()
    }
    text = "; ".join(
        f"{t}: **{v['valid']}** of {v['rows']} rows valid, {v['rejected']} rejected"
        for t, v in values.items()
    )
    record("validate", values, text)


# -- 02 map ------------------------------------------------------------------------------


def record_mapping(state: ReviewState) -> None:
    """Say which mapping is in use (file or automatic) and record its counts."""
    values: dict[str, Any] = {"source": "file" if state.loaded else "automatic"}
    for object_type, review in state.objects.items():
        current = review.current()
        values[object_type] = {
            "columns": len(current.columns),
            "mapped": current.mapped(),
            "unmatched_values": {c: list(v) for c, v in current.unmatched_values.items()},
        }
    record("mapping", values, state.source_message())


# -- 03 import ---------------------------------------------------------------------------


def import_options(
    data_dir: str | Path,
    *,
    mapping_file: str | Path | None = None,
    target: str | None = None,
    dry_run: bool = True,
    run_id: str | None = None,
    output_dir: str | Path = "output",
    progress: bool = True,
    **extra: Any,
) -> ImportOptions:
    """The same ``ImportOptions`` ``crmkit import`` builds, from notebook parameters."""
    from crmkit.pipeline import ImportOptions

    return ImportOptions(
        data_dir=Path(data_dir),
        mapping_file=as_path(mapping_file),
        target=target or None,
        dry_run=bool(dry_run),
        run_id=run_id or None,
        output_dir=Path(output_dir),
        progress=bool(progress),
        **extra,
    ).validated()


_embedded = ExitStack()
atexit.register(_embedded.close)


def import_target(
    target: str | None, dry_run: bool, *, say: Callable[[str], None] = print
) -> str | None:
    """Where the import writes: ``target``; for a real run without one, an embedded sandbox.

    A portal needs ``HUBSPOT_ACCESS_TOKEN`` in the environment (checked here, before the plan
    is built). The embedded sandbox runs in this process, so it needs nothing from the user;
    its own token is put in this process's environment until :func:`stop_embedded_sandbox`.
    """
    if dry_run:
        say("dry run: the plan is written, nothing is sent")
        return target
    if target:
        from crmkit.hubspot import token_from_env

        token_from_env()
        say(f"importing into {target} (token from {TOKEN_ENV})")
        return target
    from crmkit.sandbox import running

    box = _embedded.enter_context(running())
    saved = os.environ.get(TOKEN_ENV)
    os.environ[TOKEN_ENV] = box.token
    _embedded.callback(_restore_token, saved)
    say(f"no target given: importing into an embedded sandbox at {box.base_url}")
    return str(box.base_url)


def _restore_token(saved: str | None) -> None:
    if saved is None:
        os.environ.pop(TOKEN_ENV, None)
    else:
        os.environ[TOKEN_ENV] = saved


def stop_embedded_sandbox() -> None:
    """Stop the sandbox :func:`import_target` started (if any) and restore the environment."""
    _embedded.close()


def plan_table(plan: ImportPlan) -> pd.DataFrame:
    """Per object type: rows read, rejected, merged duplicates, records to upsert."""
    objects = plan.summary()["objects"]
    frame = pd.DataFrame.from_dict(objects, orient="index")
    columns = ["rows", "rejected", "duplicates", "records", "created_from_tickets"]
    frame = frame.reindex(columns=columns, fill_value=0)
    frame.index.name = "object"
    return frame.rename(columns={"records": "to upsert", "created_from_tickets": "from tickets"})


def links_table(plan: ImportPlan) -> pd.DataFrame:
    """Planned associations by kind and by the reason the planner linked them."""
    reasons = Counter((link.kind, link.reason) for link in plan.links)
    frame = pd.DataFrame(
        [{"link": k, "reason": r, "count": n} for (k, r), n in sorted(reasons.items())],
        columns=["link", "reason", "count"],
    )
    return frame


def record_plan(plan: ImportPlan) -> None:
    """Record the plan's counts (deterministic for given data: what nbval compares)."""
    summary = plan.summary()
    values = {"objects": summary["objects"], "links": len(plan.links)}
    text = "; ".join(
        f"{t}: **{o['records']}** to upsert ({o['rejected']} rejected, {o['duplicates']} merged)"
        for t, o in summary["objects"].items()
    )
    record("plan", values, f"{text}; **{len(plan.links)}** associations planned")


def record_result(result: ImportResult) -> None:
    """Record the run's outcome as report.json has it."""
    report = result.report
    values = {
        "run_id": result.run_id,
        "status": report.get("status"),
        "dry_run": bool(report.get("dry_run")),
        "objects": report.get("objects", {}),
        "associations": report.get("associations", {}),
        "requests": report.get("requests", {}),
    }
    record("import", values, f"run `{result.run_id}`: **{report.get('status')}**")
