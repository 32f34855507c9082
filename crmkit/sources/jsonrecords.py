"""JSON and NDJSON exports (Zendesk's, an API dump) as the same ``SourceTable`` a CSV gives.

A ``.json`` file holds a list of records, or an object whose first list of objects is the
records (``{"tickets": [...], "next_page": …}``, as the Zendesk API pages them); a file with
one JSON object per line (NDJSON: Zendesk's incremental export, ``.ndjson``/``.jsonl``, often
named ``.json`` too) is read line by line. Records are flattened for mapping: scalars as text,
lists of scalars joined with ``;`` (tags), nested objects one level deep as ``parent.child``
(``via.channel``); lists of objects (comments, custom fields) are left to the export's own
reader (:mod:`crmkit.sources.zendesk`). The row number is the line of an NDJSON file and the
position (1 = first) of a record in a JSON list.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from crmkit.errors import ExportFileError
from crmkit.io.detect import check_path
from crmkit.io.excel import cell_text
from crmkit.io.reader import SourceTable

JSON_SUFFIXES = (".json", ".ndjson", ".jsonl")
Record = dict[str, Any]


def is_json(path: str | Path) -> bool:
    return Path(path).suffix.lower() in JSON_SUFFIXES


def read_records(path: str | Path) -> list[tuple[int, Record]]:
    """``(row, record)`` for every record of the file; raises ``ExportFileError``."""
    source = Path(path)
    check_path(source)
    text = source.read_text(encoding="utf-8-sig", errors="strict")
    if not text.strip():
        raise ExportFileError("the file is empty", file=str(source), kind="empty")
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        return list(_lines(source, text))
    records = _records_in(whole)
    if records is None:
        raise ExportFileError(
            'holds no list of records (expected [...] or {"<name>": [...]})',
            file=str(source),
            kind="malformed",
        )
    return list(enumerate(records, start=1))


def _records_in(value: Any) -> list[Record] | None:
    if isinstance(value, dict):
        lists = [v for v in value.values() if isinstance(v, list)]
        for item in lists:
            if item and all(isinstance(r, dict) for r in item):
                return item
        if lists and not any(lists):  # an API page of an empty collection
            return []
        return [value] if value and not lists else None
    if isinstance(value, list) and all(isinstance(r, dict) for r in value):
        return value
    return None


def _lines(source: Path, text: str) -> Iterator[tuple[int, Record]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ExportFileError(
                f"line {number} is not JSON ({exc.msg}, column {exc.colno})",
                file=str(source),
                row=number,
                kind="malformed",
            ) from None
        if not isinstance(record, dict):
            raise ExportFileError(
                f"line {number} is not a JSON object", file=str(source), row=number,
                kind="malformed",
            )  # fmt: skip
        yield number, record


def flatten(record: Record) -> dict[str, str]:
    """One record as text cells: see the module docstring."""
    out: dict[str, str] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            for inner, v in value.items():
                if not isinstance(v, dict | list):
                    out[f"{key}.{inner}"] = cell_text(v)
        elif isinstance(value, list):
            if all(not isinstance(v, dict | list) for v in value):
                out[key] = ";".join(cell_text(v) for v in value)
        else:
            out[key] = cell_text(value)
    return out


def table_of(source: Path, rows: list[tuple[int, Record]], name: str | None = None) -> SourceTable:
    """Records (already chosen, e.g. only end users) as a ``SourceTable``."""
    flat = [flatten(r) for _, r in rows]
    columns = list(dict.fromkeys(k for f in flat for k in f))
    index = pd.Index([n for n, _ in rows], name="row")
    frame = pd.DataFrame(
        [[f.get(c, "") for c in columns] for f in flat], columns=columns, index=index, dtype=object
    ).astype(str)
    return SourceTable(source, name or source.name, frame, "utf-8", "")


def read_json(path: str | Path) -> SourceTable:
    source = Path(path)
    rows = read_records(source)
    if not rows:
        raise ExportFileError("holds no records", file=str(source), kind="header_only")
    return table_of(source, rows)
