"""Great Expectations glue: run one object type's suite over a coerced frame, get row issues.

The suites live as plain JSON in ``expectations/{object_type}.json`` (GX 1.x ``ExpectationSuite``
shape) and are written against HubSpot property names, because validation runs on the coerced
frame (columns = property names, values = HubSpot-format strings, ``""`` = empty).

crmkit reads a few keys of each expectation's ``meta``:

- ``category`` — the :class:`~crmkit.rowissues.RowIssue` category (``MISSING_REQUIRED``, ...);
- ``severity`` — ``"error"`` rejects the row, ``"warning"`` only reports it (e.g. duplicate
  emails, which the planner merges);
- ``value_set_from_schema`` — the enumeration's option values are filled in at load time from
  the portal's schema (the bundled defaults unless one is given), so the option lists exist in
  exactly one place and a live portal's custom options are honoured;
- ``description`` — the human part of the issue message.

The suite's own ``meta.case_insensitive_columns`` lists columns compared case-insensitively
(HubSpot treats emails and domains so): they are lower-cased before GX sees them.

Expectations on columns absent from the frame are skipped, not failed.

Quality (documented in data/README.md too): ``column_quality[c]`` is the share of rows whose
cell in ``c`` fails no expectation (an empty cell passes unless the column is required);
``quality`` is the share of rows without any error-severity issue (warnings do not lower it).
"""

from __future__ import annotations

import copy
import json
import logging
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from crmkit.errors import ConfigError
from crmkit.rowissues import RowIssue, Severity

if TYPE_CHECKING:
    from crmkit.schema import Schema

SUITE_DIR = Path(__file__).resolve().parent.parent / "expectations"
"""Where the bundled suites live (the repository's ``expectations/`` folder)."""

_INDEX_NAME = "_crmkit_row"
_POSITION = "crmkit_position"
_NOT_NULL = "expect_column_values_to_not_be_null"
_PER_COLUMN = True
"""One GX validation per column over a one-column frame (False: one over all checked columns)."""
_lock = threading.Lock()


@dataclass(frozen=True)
class ExpectationOutcome:
    """How one expectation fared over the whole frame."""

    expectation_type: str
    column: str | None
    success: bool
    unexpected_count: int
    severity: Severity
    category: str


@dataclass
class ValidationReport:
    """Row issues plus quality scores for one validated frame."""

    issues: list[RowIssue] = field(default_factory=list)
    quality: float = 1.0
    column_quality: dict[str, float] = field(default_factory=dict)
    results: list[ExpectationOutcome] = field(default_factory=list)


def suite_path(object_type: str, suite_dir: Path | None = None) -> Path:
    """The JSON file holding ``object_type``'s suite."""
    return (suite_dir or SUITE_DIR) / f"{object_type}.json"


def load_suite_dict(
    object_type: str, *, schema: Schema | None = None, suite_dir: Path | None = None
) -> dict[str, Any]:
    """The suite as a plain dict, enumeration value sets filled in from ``schema``.

    ``schema`` is a :class:`crmkit.schema.Schema`; ``None`` means the bundled defaults.
    """
    path = suite_path(object_type, suite_dir)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"no expectation suite for {object_type!r} at {path}") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    suite: dict[str, Any] = copy.deepcopy(raw)
    if schema is None:
        schema = _bundled_schema(object_type)
    for exp in suite.get("expectations", []):
        prop = exp.get("meta", {}).get("value_set_from_schema")
        if prop:
            exp["kwargs"]["value_set"] = schema_values(schema, prop)
    return suite


def schema_values(schema: Schema, prop: str) -> list[str]:
    """Option values of enumeration ``prop`` in ``schema`` (hidden options included)."""
    definition = schema.get(prop)
    if definition is None:
        raise ConfigError(f"the suite names {prop!r}, which the {schema.object_type} schema lacks")
    values = [str(option.value) for option in definition.options]
    if not values:
        raise ConfigError(f"property {prop!r} has no options to validate against")
    return values


def _bundled_schema(object_type: str) -> Schema:
    from crmkit.schema import Schema

    return Schema.bundled(object_type)


def validate_frame(
    frame: pd.DataFrame,
    object_type: str,
    *,
    file: str,
    schema: Schema | None = None,
    suite_dir: Path | None = None,
) -> ValidationReport:
    """Validate ``frame`` (index = source row numbers) against ``object_type``'s suite.

    GX sees only the checked columns, each once: every validation hashes the frame it is given
    and filters it once per metric, so running each expectation over the whole frame would be
    many times slower on big files (see ``_run_suite``; 1M rows x 8 columns ≈ 6 s of CPU).
    """
    suite_dict = load_suite_dict(object_type, schema=schema, suite_dir=suite_dir)
    present = [
        exp
        for exp in suite_dict.get("expectations", [])
        if exp.get("kwargs", {}).get("column") in frame.columns
    ]
    if frame.empty or not present:
        return ValidationReport(
            quality=1.0, column_quality=dict.fromkeys(map(str, frame.columns), 1.0)
        )
    folded = set(suite_dict.get("meta", {}).get("case_insensitive_columns", []))
    required = {str(e["kwargs"]["column"]) for e in present if e["type"] == _NOT_NULL}
    columns = {str(exp["kwargs"]["column"]) for exp in present}
    gx_frame = _gx_frame(frame, columns, folded=folded, stripped=required)
    for position, exp in enumerate(present):
        exp.setdefault("meta", {})[_POSITION] = position
    suite_dict["expectations"] = present
    results = _run_suite(gx_frame, object_type, suite_dict, per_column=_PER_COLUMN)

    issues: list[RowIssue] = []
    outcomes: list[ExpectationOutcome] = []
    for result in results:
        exp = present[int(result.expectation_config.meta[_POSITION])]
        meta = exp.get("meta", {})
        column = str(exp["kwargs"]["column"])
        severity: Severity = "warning" if meta.get("severity") == "warning" else "error"
        category = str(meta.get("category", "INVALID_VALUE"))
        rows = _failing_rows(result)
        outcomes.append(
            ExpectationOutcome(
                expectation_type=str(exp["type"]),
                column=column,
                success=not rows,
                unexpected_count=len(rows),
                severity=severity,
                category=category,
            )
        )
        why = meta.get("description") or exp["type"].replace("_", " ")
        values = frame[column]
        for row in rows:
            issues.append(
                RowIssue(
                    file=file,
                    row=int(row),
                    stage="validate",
                    category=category,
                    message=f"{column}: {why} ({exp['type']})",
                    column=column,
                    value=str(values.at[row]),
                    severity=severity,
                )
            )
    issues.sort(key=lambda issue: (issue.row, issue.column or "", issue.category))
    quality, column_quality = _scores(frame, issues)
    return ValidationReport(
        issues=issues, quality=quality, column_quality=column_quality, results=outcomes
    )


def _gx_frame(
    frame: pd.DataFrame, columns: set[str], *, folded: set[str], stripped: set[str]
) -> pd.DataFrame:
    """Only the checked columns, ``""`` as missing, case-folded where the suite says so.

    Coercion already trims values; only required columns are checked for blank-only text
    again (stripping every column costs about half a second per million cells).
    """
    out: dict[str, pd.Series] = {}
    for column in sorted(columns):
        series = frame[column].astype("str")
        series = series.where((series.str.strip() if column in stripped else series) != "")
        if column in folded:
            series = series.str.lower()
        out[column] = series
    gx_frame = pd.DataFrame(out, index=frame.index.copy())
    gx_frame.index.name = _INDEX_NAME
    return gx_frame


def _failing_rows(result: Any) -> list[int]:
    """Source row numbers GX reported as unexpected, in order, without repeats."""
    found = result.result.get("unexpected_index_list") or []
    rows: dict[int, None] = {}
    for item in found:
        label = item.get(_INDEX_NAME) if isinstance(item, dict) else item
        if label is not None:
            rows[int(label)] = None
    return list(rows)


def _scores(frame: pd.DataFrame, issues: list[RowIssue]) -> tuple[float, dict[str, float]]:
    total = len(frame)
    bad_rows = {issue.row for issue in issues if issue.severity == "error"}
    per_column: dict[str, set[int]] = {}
    for issue in issues:
        per_column.setdefault(issue.column or "", set()).add(issue.row)
    column_quality = {
        str(column): 1.0 - len(per_column.get(str(column), ())) / total for column in frame.columns
    }
    return 1.0 - len(bad_rows) / total, column_quality


def _run_suite(
    gx_frame: pd.DataFrame, object_type: str, suite_dict: dict[str, Any], *, per_column: bool
) -> list[Any]:
    """Validate the suite; results name their expectation by ``meta[_POSITION]``.

    GX's ``Validator`` is what ``Batch.validate`` builds; using it directly skips
    ``get_batch``'s own load of the frame, which hashes every cell only for the validator to
    load and hash it again. With ``per_column`` each column's expectations run over a
    one-column frame: GX filters the whole frame once per metric, so this does the same
    hashing in total but far less copying when a suite checks many columns.
    """
    import great_expectations as gx
    from great_expectations.validator.v1_validator import Validator

    groups: list[tuple[list[str], list[dict[str, Any]]]]
    if per_column:
        by_column: dict[str, list[dict[str, Any]]] = {}
        for exp in suite_dict["expectations"]:
            by_column.setdefault(str(exp["kwargs"]["column"]), []).append(exp)
        groups = [([column], exps) for column, exps in by_column.items()]
    else:
        groups = [(list(gx_frame.columns), suite_dict["expectations"])]
    results: list[Any] = []
    with _lock:
        batch_definition = _batch_definition(object_type)
        for columns, expectations in groups:
            suite = gx.ExpectationSuite(
                name=suite_dict.get("name", object_type), expectations=copy.deepcopy(expectations)
            )
            validator = Validator(
                batch_definition=batch_definition,
                batch_parameters={"dataframe": gx_frame[columns]},
                result_format="COMPLETE",
            )
            results.extend(validator.validate_expectation_suite(suite).results)
    return results


@cache
def _context() -> Any:
    """One ephemeral context per process, progress bars off (they break HTML reports)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return context


@cache
def _batch_definition(object_type: str) -> Any:
    """The whole-dataframe batch definition for ``object_type``; re-running never re-adds."""
    source = _context().data_sources.add_or_update_pandas(f"crmkit-{object_type}")
    names = {asset.name for asset in source.assets}
    asset = (
        source.get_asset(object_type)
        if object_type in names
        else source.add_dataframe_asset(object_type)
    )
    return asset.add_batch_definition_whole_dataframe(f"{object_type}-all")
