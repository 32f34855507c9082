"""The field-count pass: one streaming walk over the records before pandas reads them.

pandas' fast C engine cannot report which records have too many or too few fields without
falling back to the slow Python engine, so this pass (the csv module, C speed, flat memory)
finds them first: header problems, ragged and empty rows, the widest record, and whether the
whole file decodes in the detected encoding.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from crmkit.errors import CsvError
from crmkit.io.detect import MAX_COLUMNS, Dialect, column_letter

PREVIEW_CHARS = 200
FIELD_LIMIT = 256 * 1024 * 1024
"""Python's csv module refuses fields past 128 KiB by default, which turned one long cell (a
pasted email thread) into a file-level error. Cells this long are read and left to coercion,
which rejects a value past HubSpot's 65,536 characters row by row; an unclosed quote is still
caught by the pandas pass."""
"""How much of a rejected row's text is kept for the error report."""

RAGGED_ROW = "RAGGED_ROW"
EMPTY_ROW = "EMPTY_ROW"


@dataclass(frozen=True)
class Problem:
    """A record the reader rejects: category, field count and a preview of its text."""

    category: str
    fields: int
    preview: str


@dataclass
class Scan:
    """What the pass learnt: the header, record count, widest record, rejected records."""

    header: list[str]
    notes: list[str] = field(default_factory=list)
    """Decisions about the header a person should see (repeated names told apart)."""
    records: int = 0
    width: int = 0
    problems: dict[int, Problem] = field(default_factory=dict)
    """0-based data-record index → why it is rejected."""


def check_header(raw: list[str], file: str) -> list[str]:
    """Strip header names and refuse blank or too many of them.

    Blank names at the end are dropped: spreadsheets save empty columns right of the data
    ("Name;Email;;;"). Their cells must be blank too, which :func:`scan` checks. A repeated
    name is no refusal: :func:`rename_repeats` tells the columns apart.
    """
    header = [name.strip() for name in raw]
    if header:
        header[0] = header[0].lstrip("\ufeff").strip()
    while len(header) > 1 and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise CsvError(
            f"too many columns: the header has {len(header)} (at most {MAX_COLUMNS})",
            file=file,
            row=1,
            kind="too_many_columns",
        )
    if not any(header):
        raise CsvError(
            "the first row is empty; it must hold the column names",
            file=file,
            row=1,
            kind="blank_header",
        )
    for index, name in enumerate(header):
        where = f"{index + 1} ({column_letter(index)})"
        if not name:
            raise CsvError(
                f"column {where} has no name in the header row",
                file=file,
                row=1,
                kind="blank_header",
            )
    return header


def rename_repeats(header: list[str]) -> tuple[list[str], list[str]]:
    """Name a repeated header ``"Name (2)"``, ``"Name (3)"``…; one note per renamed column.

    HubSpot's contacts export with the associated company appends the company's columns under
    the contact's own names ("Create Date", "Phone Number", "Country/Region" twice), so a
    repeated name is a fact of real exports, not a broken file. The first column keeps the name
    (the mapping sees it first); the others are told apart, mapped on their own and said.
    """
    seen: dict[str, int] = {}
    taken = set(header)
    names: list[str] = []
    notes: list[str] = []
    for index, name in enumerate(header):
        if name not in seen:
            seen[name] = index
            names.append(name)
            continue
        count = 2
        while f"{name} ({count})" in taken:
            count += 1
        renamed = f"{name} ({count})"
        taken.add(renamed)
        first = seen[name]
        notes.append(
            f"column {index + 1} ({column_letter(index)}) repeats the name {name!r} of column "
            f"{first + 1} ({column_letter(first)}): read as {renamed!r}"
        )
        names.append(renamed)
    return names, notes


def scan(path: Path, dialect: Dialect, *, strict: bool) -> Scan:
    """Walk every record once, counting fields; raises ``UnicodeDecodeError`` untouched.

    An all-blank record is an ``EMPTY_ROW``; a record with another field count than the header
    is a ``RAGGED_ROW`` (strict mode raises instead).
    """
    file = str(path)
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)
    with path.open(encoding=dialect.encoding, newline="", errors="strict") as fh:
        for _ in range(dialect.skip_lines):
            fh.readline()
        reader = csv.reader(fh, delimiter=dialect.delimiter)
        try:
            raw = next(reader, None)
        except csv.Error as exc:
            raise _malformed(exc, file, 1) from None
        if raw is None:
            raise CsvError("the file is empty", file=file, kind="empty")
        header, notes = rename_repeats(check_header(raw, file))
        result = Scan(header=header, notes=notes, width=len(raw))
        _walk(reader, result, file, strict, dialect.delimiter, len(raw))
    if result.records == len(result.problems) and all(
        p.category == EMPTY_ROW for p in result.problems.values()
    ):
        blanks = f" and {result.records} empty row(s)" if result.records else ""
        raise CsvError(
            f"has a header but no data rows{blanks}", file=file, row=1, kind="header_only"
        )
    return result


def _unnamed_data(record: list[str], n: int, header_width: int, file: str, row: int) -> None:
    """A column left without a name in the header holds data: ask for a name."""
    for index in range(n, min(len(record), header_width)):
        if record[index].strip():
            where = f"{index + 1} ({column_letter(index)})"
            raise CsvError(
                f"column {where} has no name in the header row but holds data in row {row}",
                file=file,
                row=1,
                kind="blank_header",
            )


def _malformed(exc: csv.Error, file: str, row: int) -> CsvError:
    return CsvError(
        f"malformed CSV ({exc}); a quote that is never closed makes the rest of the file "
        "one huge field",
        file=file,
        row=row,
        kind="malformed",
    )


def _walk(
    reader: Iterator[list[str]],
    result: Scan,
    file: str,
    strict: bool,
    delimiter: str,
    header_width: int,
) -> None:
    """Classify each record (the hot loop: keep the common case cheap).

    Fields past the named columns that are all blank are no data (a spreadsheet's trailing
    delimiters), so they neither make the row ragged nor need a name.
    """
    header = result.header
    n = len(header)
    problems = result.problems
    width = result.width
    index = -1
    try:
        for record in reader:
            index += 1
            if len(record) == n and record[0][:1].strip():
                continue  # the common case, kept cheap: right width, first cell not blank
            k = len(record)
            width = max(width, k)  # pandas must be told the widest record, blank or not
            if not "".join(record).strip():
                problems[index] = Problem(EMPTY_ROW, k, "")
                continue
            if k == n:
                continue
            if k > n and not "".join(record[n:]).strip():
                continue
            if n < header_width and k > n:
                _unnamed_data(record, n, header_width, file, index + 2)
            if strict:
                if k > n:
                    message = f"has {k} fields but the header has {n}: extra field {n + 1}"
                    column = None
                else:
                    message = f"has {k} fields but the header has {n}"
                    column = header[k]
                raise CsvError(message, file=file, row=index + 2, column=column, kind="ragged")
            preview = delimiter.join(record)[:PREVIEW_CHARS]
            problems[index] = Problem(RAGGED_ROW, k, preview)
    except csv.Error as exc:
        raise _malformed(exc, file, index + 3) from None
    result.records = index + 1
    result.width = width
