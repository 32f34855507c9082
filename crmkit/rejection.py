"""Which bad values reject their row, and which are left out of a row that still lands.

Coercion and validation say what is wrong with a value (an ``error`` issue: unreadable,
unmatched, too long); this module decides what it costs the row. The rule (issue 9):

- A row is **rejected** only when it cannot be written safely: its upsert key is bad (a
  contact's ``email``: contacts are upserted by email and crmkit has no other contact key, so
  a contact whose only address is invalid would be created again on every re-run), or a
  property HubSpot requires has no valid value and no sensible default (a company's ``name``,
  a ticket's ``subject``). Those issues stay ``error``.
- Every other bad value is **dropped** (``severity="dropped"``): the cell is left empty (so
  nothing is sent for it: an upsert never blanks what the portal holds), the row lands, and
  the value is reported row by row (values.csv). A value longer than HubSpot's limit is cut
  instead of left out. A ticket's unmatched stage or pipeline is dropped and the planner puts
  the pipeline's first stage in its place (reported as a default, DEFAULT_STAGE).
- An unusable domain (already left out by coercion) counts as dropped too.
- ``strict=True`` (``--strict``) restores the old rule: every bad value rejects its row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import pandas as pd

from crmkit.issues import RowIssue
from crmkit.schema import REQUIRED_PROPERTIES

DEFAULTED = {"tickets": frozenset({"hs_pipeline", "hs_pipeline_stage"})}
"""Required properties with a documented default: a bad value there is dropped, not fatal."""

CUT = frozenset({"VALUE_TOO_LONG"})
"""Categories whose value is cut to HubSpot's limit rather than left out."""

LEFT_OUT_WARNINGS = frozenset({"INVALID_DOMAIN", "AMBIGUOUS_DATE"})
"""Warnings whose value coercion already left out: reported as dropped."""

UNMATCHED = frozenset({"INVALID_OPTION"})
"""A readable value that names no option of its property (option drift, not dirt)."""

_STAGES = frozenset({"coerce", "validate"})
_NOT_A_VALUE = frozenset({"MISSING_REQUIRED"})


PORTAL_REQUIRED = {"tickets": ("subject",)}
"""Properties HubSpot refuses to create a record without and crmkit has no default for (a
ticket's pipeline and stage have one). A file without such a column must not send its rows to be
refused one by one: AnaMaria779/Zendesk-ticket-analysis' ticket report has no subject at all."""


def absent_required(frame: pd.DataFrame, object_type: str, file: str) -> list[RowIssue]:
    """A ``MISSING_REQUIRED`` error on every row when the file has no column for such a property."""
    out: list[RowIssue] = []
    for prop in PORTAL_REQUIRED.get(object_type, ()):
        if prop in frame.columns:
            continue
        message = (
            f"{prop}: no column of the file is mapped to it and HubSpot needs it for every "
            f"{object_type[:-1]}; name the column in a mapping file"
        )
        out.extend(
            RowIssue(file, int(row), "validate", "MISSING_REQUIRED", message, column=prop)
            for row in frame.index
        )
    return out


def must_have(object_type: str) -> frozenset[str]:
    """Properties whose bad value rejects the row: key and required ones without a default."""
    required = set(REQUIRED_PROPERTIES.get(object_type, ()))
    return frozenset(required - DEFAULTED.get(object_type, frozenset()))


def settle(
    issues: Iterable[RowIssue],
    object_type: str,
    prop_of: dict[str, str],
    *,
    strict: bool = False,
) -> list[RowIssue]:
    """The issues with each value error turned ``dropped`` unless it must reject its row.

    ``prop_of`` maps a source column to its property (issues name the column the user sees).
    """
    fatal = must_have(object_type)
    out: list[RowIssue] = []
    for issue in issues:
        if issue.severity == "warning" and issue.category in LEFT_OUT_WARNINGS:
            issue = replace(issue, severity="dropped")
        elif issue.severity == "error" and issue.stage in _STAGES:
            if issue.category in _NOT_A_VALUE:
                pass
            elif prop_of.get(issue.column or "", issue.column or "") in fatal:
                if issue.category not in CUT or strict:
                    issue = replace(issue, message=_fatal_message(issue, object_type))
                else:
                    issue = replace(issue, severity="dropped")
            elif not strict:
                issue = replace(issue, severity="dropped")
        out.append(issue)
    return out


def _fatal_message(issue: RowIssue, object_type: str) -> str:
    if object_type == "contacts" and issue.category == "INVALID_EMAIL":
        return (
            f"{issue.message}; a contact is upserted by its email, so without a valid one it "
            "cannot be written without risking a duplicate on every re-run"
        )
    return issue.message


def blank_dropped(
    frame: pd.DataFrame, issues: Iterable[RowIssue], prop_of: dict[str, str]
) -> pd.DataFrame:
    """``frame`` with every dropped value's cell emptied (cut values stay as cut)."""
    cells: dict[str, list[int]] = {}
    for issue in issues:
        if issue.severity != "dropped" or issue.category in CUT:
            continue
        prop = prop_of.get(issue.column or "", issue.column or "")
        if prop in frame.columns:
            cells.setdefault(prop, []).append(issue.row)
    if not cells:
        return frame
    out = frame.copy()
    for prop, rows in cells.items():
        present = out.index.intersection(rows)
        out.loc[present, prop] = ""
    return out


def is_partial(issue: RowIssue) -> bool:
    """Whether the issue means its row lands without (some of) a value it had."""
    return issue.severity == "dropped"


DEFAULT_SUBJECT = "DEFAULT_SUBJECT"
SUBJECT_FROM_CONTENT = 100  # characters of the description a default subject takes


def with_default_subject(
    props: pd.DataFrame, source_ids: pd.Series | None, *, file: str
) -> tuple[pd.DataFrame, list[RowIssue]]:
    """Tickets of a file that has no subject column at all get one.

    Such exports exist (a Zendesk ticket report of ids, types and times), HubSpot needs a
    subject, and a ticket with an id or a description can be written safely: its subject
    becomes ``Ticket <id>``, else the description's first line (cut at 100 characters). Each
    such row is a ``DEFAULT_SUBJECT`` warning naming the subject given, so nothing is guessed
    in silence; a ticket with neither is refused as MISSING_REQUIRED. A blank cell in a file
    that does have a subject column is dirt to fix in the file and stays MISSING_REQUIRED.
    """
    if "subject" in props.columns:  # a blank cell of a subject column stays MISSING_REQUIRED
        return props, []
    subject = _text(props, "subject")
    blank = subject == ""
    ids = (
        source_ids.reindex(props.index).fillna("").astype(str).str.strip()
        if (source_ids is not None)
        else pd.Series("", index=props.index, dtype=object)
    )
    first_line = _text(props, "content").str.split("\n").str[0].str.strip()
    from_content = first_line.str.slice(0, SUBJECT_FROM_CONTENT)
    given = ("Ticket " + ids).where(ids != "", from_content)
    fill = blank & (given != "")
    if not bool(fill.any()):
        return props, []
    out = props.copy()
    out["subject"] = subject.where(~fill, given)
    issues = [
        RowIssue(
            file,
            int(row),
            "coerce",
            DEFAULT_SUBJECT,
            f"no subject: the ticket is named {value!r} (from its "
            + ("id" if ids.at[row] else "description")
            + ")",
            column="subject",
            value=str(value),
            severity="warning",
        )
        for row, value in zip(given[fill].index.tolist(), given[fill].tolist(), strict=True)
    ]
    return out, issues


def _text(frame: pd.DataFrame, name: str) -> pd.Series:
    """The column as stripped strings ("" for missing cells, all "" when there is no column)."""
    if name not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[name].fillna("").astype(str).str.strip()
