"""Great Expectations glue: run one object type's suite over a coerced frame, get row issues.

The suites live as plain JSON in ``expectations/{object_type}.json`` (GX 1.x ``ExpectationSuite``
shape) and are written against HubSpot property names, because validation runs on the coerced
frame (columns = property names, values = HubSpot-format strings, ``""`` = empty).

crmkit reads a few keys of each expectation's ``meta``:

- ``category`` — the :class:`~crmkit.issues.RowIssue` category (``MISSING_REQUIRED``, ...);
- ``severity`` — ``"error"`` rejects the row, ``"warning"`` only reports it (e.g. duplicate
  emails, which the planner merges);
- ``value_set_from_schema`` — the enumeration's option values are filled in at load time from
  the portal's schema (the bundled defaults unless one is given), so the option lists exist in
  exactly one place and a live portal's custom options are honoured;
- ``description`` — the human part of the issue message.

The suite's own ``meta.case_insensitive_columns`` lists columns compared case-insensitively
(HubSpot treats emails and domains so): they are lower-cased before GX sees them.

Expectations on columns absent from the frame are skipped, not failed.

Quality scores are not computed here: crmkit.quality scores a file once, over the issues of
every stage (reading, coercion and validation alike).
"""

from __future__ import annotations

import copy
import json
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from crmkit.errors import ConfigError, InternalError
from crmkit.issues import RowIssue, Severity

if TYPE_CHECKING:
    from crmkit.schema import Schema

SUITE_DIR = Path(__file__).resolve().parent.parent / "expectations"
"""Where the bundled suites live (the repository's ``expectations/`` folder)."""

_INDEX_NAME = "_crmkit_row"
_POSITION = "crmkit_position"
_NOT_NULL = "expect_column_values_to_not_be_null"
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
    """Row issues and each expectation's outcome for one validated frame (the data-quality
    scores are computed once, over every stage's issues, by crmkit.quality)."""

    issues: list[RowIssue] = field(default_factory=list)
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

    GX sees each checked column on its own, and for expectations whose verdict on a row
    depends only on that row's cell (:data:`PER_VALUE`) only the column's distinct values:
    a million rows hold a few thousand dates or options, and GX hashes, filters and
    regex-matches everything it is given. Verdicts on distinct values are mapped back to the
    rows holding them, so the issues are the same as over the whole column.
    """
    suite_dict = load_suite_dict(object_type, schema=schema, suite_dir=suite_dir)
    present = [
        exp
        for exp in suite_dict.get("expectations", [])
        if exp.get("kwargs", {}).get("column") in frame.columns
    ]
    if frame.empty or not present:
        return ValidationReport()
    folded = set(suite_dict.get("meta", {}).get("case_insensitive_columns", []))
    required = {str(e["kwargs"]["column"]) for e in present if e["type"] == _NOT_NULL}
    by_column: dict[str, list[dict[str, Any]]] = {}
    for position, exp in enumerate(present):
        exp.setdefault("meta", {})[_POSITION] = position
        by_column.setdefault(str(exp["kwargs"]["column"]), []).append(exp)

    issues: list[RowIssue] = []
    outcomes: list[tuple[int, ExpectationOutcome]] = []
    for column, expectations in by_column.items():
        checked = _Checked.of(frame[column], folded=column in folded, stripped=column in required)
        for exp, positions in _run_column(checked, column, object_type, suite_dict, expectations):
            meta = exp.get("meta", {})
            severity: Severity = "warning" if meta.get("severity") == "warning" else "error"
            category = str(meta.get("category", "INVALID_VALUE"))
            outcome = ExpectationOutcome(
                expectation_type=str(exp["type"]),
                column=column,
                success=len(positions) == 0,
                unexpected_count=len(positions),
                severity=severity,
                category=category,
            )
            outcomes.append((int(meta[_POSITION]), outcome))
            why = meta.get("description") or exp["type"].replace("_", " ")
            message = f"{column}: {why} ({exp['type']})"
            rows = frame.index[positions].tolist()
            values = frame[column].to_numpy()[positions].tolist()
            issues.extend(
                RowIssue(
                    file=file,
                    row=int(row),
                    stage="validate",
                    category=category,
                    message=message,
                    column=column,
                    value=str(value),
                    severity=severity,
                )
                for row, value in zip(rows, values, strict=True)
            )
    issues.sort(key=lambda issue: (issue.row, issue.column or "", issue.category))
    return ValidationReport(
        issues=issues,
        results=[outcome for _, outcome in sorted(outcomes, key=lambda pair: pair[0])],
    )


PER_VALUE = frozenset(
    {
        "expect_column_values_to_not_be_null",
        "expect_column_values_to_be_null",
        "expect_column_values_to_match_regex",
        "expect_column_values_to_not_match_regex",
        "expect_column_values_to_be_in_set",
        "expect_column_values_to_not_be_in_set",
        "expect_column_value_lengths_to_be_between",
        "expect_column_value_lengths_to_equal",
    }
)
"""Expectations whose verdict on a row depends on that row's cell alone (GX "map" metrics).

Anything else (uniqueness, aggregates such as a mean or a share of nulls) needs every row and
runs over the whole column.
"""


@dataclass(frozen=True)
class _Checked:
    """One column as GX checks it: its distinct values and, per row, which one it holds.

    Values are what validation compares: ``""`` (and, for required columns, blank-only text)
    as missing, lower-cased where the suite says case does not matter. Coercion already trims
    values, so only required columns are stripped again.
    """

    codes: np.ndarray[Any, np.dtype[np.intp]]
    distinct: pd.Series

    @classmethod
    def of(cls, series: pd.Series, *, folded: bool, stripped: bool) -> _Checked:
        codes, uniques = pd.factorize(series.astype("str"), use_na_sentinel=False)
        distinct = pd.Series(uniques, dtype="str")
        distinct = distinct.where((distinct.str.strip() if stripped else distinct) != "")
        if folded:
            distinct = distinct.str.lower()
        return cls(np.asarray(codes, dtype=np.intp), distinct)

    def frame(self, column: str, *, whole: bool) -> pd.DataFrame:
        """A one-column frame, index = position (of the row, or of the distinct value)."""
        values = self.distinct.take(self.codes) if whole else self.distinct
        out = pd.DataFrame({column: values.to_numpy()})
        out.index.name = _INDEX_NAME
        return out

    def rows_holding(self, distinct_positions: list[int]) -> np.ndarray[Any, np.dtype[np.intp]]:
        """Positions of the rows whose value is one of ``distinct_positions``, in row order."""
        return np.flatnonzero(np.isin(self.codes, distinct_positions))


def _run_column(
    checked: _Checked,
    column: str,
    object_type: str,
    suite_dict: dict[str, Any],
    expectations: list[dict[str, Any]],
) -> Iterator[tuple[dict[str, Any], np.ndarray[Any, np.dtype[np.intp]]]]:
    """Each expectation of one column with the positions of the rows it failed, in row order.

    Per-value expectations see the distinct values, unless the column is mostly distinct and
    has to be given whole anyway (a unique email): then one pass over the whole column is
    cheaper than two.
    """
    whole_only = [e for e in expectations if e["type"] not in PER_VALUE]
    few = len(checked.distinct) * 2 <= len(checked.codes)
    groups = (
        [(True, expectations)]
        if whole_only and not few
        else [(False, [e for e in expectations if e["type"] in PER_VALUE]), (True, whole_only)]
    )
    for whole, group in groups:
        if not group:
            continue
        for exp, labels in _run_suite(
            checked.frame(column, whole=whole), object_type, suite_dict, group
        ):
            positions = (
                np.asarray(sorted(labels), dtype=np.intp) if whole else checked.rows_holding(labels)
            )
            yield exp, positions


def _failing_labels(result: Any) -> list[int]:
    """Index labels GX reported as unexpected, without repeats."""
    found = result.result.get("unexpected_index_list") or []
    labels: dict[int, None] = {}
    for item in found:
        label = item.get(_INDEX_NAME) if isinstance(item, dict) else item
        if label is not None:
            labels[int(label)] = None
    return list(labels)


def _run_suite(
    gx_frame: pd.DataFrame,
    object_type: str,
    suite_dict: dict[str, Any],
    expectations: list[dict[str, Any]],
) -> list[tuple[dict[str, Any], list[int]]]:
    """Validate ``expectations`` over ``gx_frame``: each with the index labels it failed.

    The simplest expectations are evaluated by :mod:`crmkit.cellchecks` with GX's own pandas
    semantics, so a run of the bundled suites never waits for GX's import (4–6 s); the rest
    go to GX. GX's ``Validator`` is what ``Batch.validate`` builds; using it directly skips
    ``get_batch``'s own load of the frame, which hashes every cell only for the validator to
    load and hash it again. Results name their expectation by ``meta[_POSITION]``.
    """
    from crmkit import cellchecks

    native = [
        (e, cellchecks.failing_labels(gx_frame, e)) for e in expectations if cellchecks.handles(e)
    ]
    expectations = [e for e in expectations if not cellchecks.handles(e)]
    if not expectations:
        return native
    import great_expectations as gx
    from great_expectations.validator.v1_validator import Validator

    by_position = {int(e["meta"][_POSITION]): e for e in expectations}
    with _lock:
        validator = Validator(
            batch_definition=_batch_definition(object_type),
            batch_parameters={"dataframe": gx_frame},
            result_format="COMPLETE",
        )
        suite = gx.ExpectationSuite(
            name=suite_dict.get("name", object_type), expectations=copy.deepcopy(expectations)
        )
        results = validator.validate_expectation_suite(suite).results
    out: list[tuple[dict[str, Any], list[int]]] = native
    for result in results:
        config = result.expectation_config
        if config is None or config.meta is None:
            raise InternalError("a GX result without its expectation")
        out.append((by_position[int(config.meta[_POSITION])], _failing_labels(result)))
    return out


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
