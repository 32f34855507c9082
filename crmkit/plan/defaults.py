"""Defaults the planner puts in place of a missing value, each one reported.

HubSpot needs every ticket in a pipeline and a stage. A file without a pipeline column puts
its tickets in the default pipeline ``"0"``; a ticket whose stage is blank, or was left out
because it matched no stage (:mod:`crmkit.rejection`), gets the pipeline's first stage
(``New``). Per row, that is a ``DEFAULT_STAGE`` warning (values.csv, action ``default``); a
file with no stage or pipeline column at all gets one file-level decision instead of a line per
row (the whole file is in the same case).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from crmkit.issues import RowIssue
from crmkit.plan.keys import column
from crmkit.rejection import DEFAULT_SUBJECT
from crmkit.schema import DEFAULT_TICKET_PIPELINE, TICKET_PIPELINES

DEFAULT_STAGE = "DEFAULT_STAGE"


def first_stage(pipeline: str) -> str:
    """The first stage id of a known pipeline ("" for a pipeline crmkit does not know)."""
    stages = TICKET_PIPELINES.get(pipeline, {}).get("stages", {})
    return next(iter(stages), "")


def stage_label(pipeline: str, stage: str) -> str:
    """``New (1)``: a stage as a person reads it."""
    label = TICKET_PIPELINES.get(pipeline, {}).get("stages", {}).get(stage)
    return f"{label} ({stage})" if label else stage


def with_default_pipeline(
    frame: pd.DataFrame, *, file: str = ""
) -> tuple[pd.DataFrame, list[RowIssue], list[dict[str, Any]]]:
    """Tickets with a pipeline and a stage, the rows that got a default, and file decisions."""
    pipeline = column(frame, "hs_pipeline")
    pipeline = pipeline.where(pipeline != "", DEFAULT_TICKET_PIPELINE)
    stage = column(frame, "hs_pipeline_stage")
    first = pipeline.map({p: first_stage(p) for p in pipeline.unique()}).fillna("")
    out = frame.copy()
    out["hs_pipeline"] = pipeline
    out["hs_pipeline_stage"] = stage.where(stage != "", first)
    decisions: list[dict[str, Any]] = []
    issues: list[RowIssue] = []
    default_label = TICKET_PIPELINES[DEFAULT_TICKET_PIPELINE]["label"]
    if "hs_pipeline" not in frame.columns and len(frame):
        decisions.append(
            _decision(
                file,
                "hs_pipeline",
                DEFAULT_TICKET_PIPELINE,
                f"no pipeline column: every ticket goes to the default pipeline, {default_label}",
            )
        )
    if "hs_pipeline_stage" not in frame.columns:
        if len(frame):
            decisions.append(
                _decision(
                    file,
                    "hs_pipeline_stage",
                    first_stage(DEFAULT_TICKET_PIPELINE),
                    "no status column: every ticket gets the pipeline's first stage, "
                    + stage_label(DEFAULT_TICKET_PIPELINE, first_stage(DEFAULT_TICKET_PIPELINE)),
                )
            )
        return out, issues, decisions
    blank = stage == ""
    for row, pipe, value in zip(
        frame.index[blank].tolist(), pipeline[blank].tolist(), first[blank].tolist(), strict=True
    ):
        issues.append(
            RowIssue(
                file,
                int(row),
                "plan",
                DEFAULT_STAGE,
                f"no usable stage: the pipeline's first stage, {stage_label(pipe, value)}",
                "hs_pipeline_stage",
                value,
                None,
                "warning",
            )
        )
    return out, issues, decisions


def _decision(file: str, prop: str, value: str, reason: str) -> dict[str, Any]:
    return {
        "file": file,
        "column": "",
        "property": prop,
        "value": value,
        "reason": reason,
        "action": "default",
    }


DEFAULT_CATEGORIES = frozenset({DEFAULT_STAGE, DEFAULT_SUBJECT})
"""Issue categories that mean "a documented default took the value's place" (values.csv)."""
