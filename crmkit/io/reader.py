"""Reading a CSV export into a ``SourceTable``: every cell a string, every row accounted for.

Two passes: ``scan`` (csv module) finds ragged and empty records and checks the encoding over
the whole file; pandas' C engine then reads the cells fast. The rejected records are dropped
from the frame by their record number and reported as ``RowIssue``s, so
``rows == len(frame) + len(rejected)`` always holds and no row disappears silently.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from crmkit.errors import CsvError
from crmkit.io.detect import (
    SAMPLE_BYTES,
    Dialect,
    Undecodable,
    detect,
    legacy_encoding,
    read_sample,
    undecodable_error,
)
from crmkit.io.scan import EMPTY_ROW, Problem, Scan, check_header, rename_repeats, scan
from crmkit.issues import RowIssue

FIRST_RECORD_ROW = 2
"""Spreadsheet row of the first record: the header is row 1."""


@dataclass
class SourceTable:
    """One CSV file (or one chunk of it) as read.

    ``frame`` has the original header names as columns, ``str`` cells (missing = ``""``) and an
    index named ``"row"`` holding the spreadsheet row number of each record, which every later
    stage keeps so a person can find the row in the file they exported.
    """

    path: Path
    name: str
    frame: pd.DataFrame
    encoding: str
    delimiter: str
    rejected: list[RowIssue] = field(default_factory=list)
    sheet: str | None = None
    """The worksheet read, for a workbook (``crmkit.io.excel``)."""
    notes: list[str] = field(default_factory=list)
    """Decisions the reader took that a person should see (e.g. title lines skipped)."""

    @property
    def rows(self) -> int:
        """Records read from the file (or chunk): kept plus rejected."""
        return len(self.frame) + len(self.rejected)


def read_csv(path: str | Path, *, strict: bool = False) -> SourceTable:
    """Read a whole CSV file; raises ``CsvError`` for file-level problems.

    With ``strict`` a ragged row raises too; otherwise it lands in ``rejected``. An all-blank
    row is rejected as ``EMPTY_ROW`` (it holds nothing to import).
    """
    source = Path(path)
    dialect, found = _prepare(source, strict)
    try:
        frame = pd.read_csv(source, **_pandas_options(dialect, found))
    except pd.errors.ParserError as exc:
        raise _parser_error(source, exc) from None
    table = next(_tables(source, dialect, found, iter([frame])))
    if table.rows != found.records:  # the two parsers disagree: never drop rows silently
        raise _mismatch(source, found.records, table.rows)
    return table


def header_notes(path: str | Path) -> list[str]:
    """What reading will say about the header (repeated names), from the first record only.

    For a file read later in chunks, so the note is in the run's sources before any chunk; a
    file whose header cannot be read says nothing here, its read raises the error itself.
    """
    source = Path(path)
    try:
        dialect = detect(source)
        with source.open(encoding=dialect.encoding, newline="") as fh:
            for _ in range(dialect.skip_lines):
                fh.readline()
            raw = next(csv.reader(fh, delimiter=dialect.delimiter), None)
        return rename_repeats(check_header(raw, str(source)))[1] if raw else []
    except (CsvError, UnicodeDecodeError, csv.Error, OSError):
        return []


def iter_csv(path: str | Path, *, chunk_rows: int = 100_000) -> Iterator[SourceTable]:
    """Read a CSV file in chunks of ``chunk_rows`` records, with memory flat in file size.

    Detection and the field-count pass run once; each chunk is a ``SourceTable`` whose index
    continues the row numbers of the previous one. File-level problems raise before the first
    chunk is yielded.
    """
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    source = Path(path)
    dialect, found = _prepare(source, strict=False)
    return _iterate(source, dialect, found, chunk_rows)


def _iterate(source: Path, dialect: Dialect, found: Scan, chunk_rows: int) -> Iterator[SourceTable]:
    total = 0
    options = _pandas_options(dialect, found)
    with pd.read_csv(source, chunksize=chunk_rows, **options) as chunks:
        for table in _tables(source, dialect, found, chunks):
            total += table.rows
            yield table
    if total != found.records:
        raise _mismatch(source, found.records, total)


def _prepare(source: Path, strict: bool) -> tuple[Dialect, Scan]:
    """Detect the dialect and run the field-count pass, re-detecting on a late bad byte."""
    dialect = detect(source)
    try:
        return dialect, scan(source, dialect, strict=strict)
    except UnicodeDecodeError:
        pass
    offset = _first_bad_offset(source, dialect.encoding)
    sample, whole = read_sample(source)
    if dialect.encoding not in ("utf-8",):
        bad = Undecodable(offset, f"undecodable bytes: not valid {dialect.encoding}")
        raise undecodable_error(source, bad, sample, whole)
    with source.open("rb") as fh:  # judge the bytes around the failure, not only the head
        fh.seek(max(0, offset - SAMPLE_BYTES // 2))
        window = fh.read(SAMPLE_BYTES)
    local = min(offset, SAMPLE_BYTES // 2)
    try:
        encoding = legacy_encoding(sample + window, len(sample) + local)
    except Undecodable as problem:
        problem.offset = offset
        raise undecodable_error(source, problem, sample, whole) from None
    dialect = Dialect(encoding=encoding, delimiter=dialect.delimiter)
    try:
        return dialect, scan(source, dialect, strict=strict)
    except UnicodeDecodeError:
        late = Undecodable(
            _first_bad_offset(source, encoding), f"undecodable bytes: not {encoding}"
        )
        raise undecodable_error(source, late, sample, whole) from None


def _first_bad_offset(path: Path, encoding: str) -> int:
    """Byte offset of the first undecodable byte, streaming so memory stays flat."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                pending = len(decoder.getstate()[0]) if encoding.startswith("utf-8") else 0
                return max(0, offset - pending + exc.start)
            offset += len(chunk)
    return offset


def _pandas_options(dialect: Dialect, found: Scan) -> dict[str, Any]:
    """pandas' C engine, every cell as text; wide ragged rows are cut to the header's width."""
    n = len(found.header)
    return {
        "sep": dialect.delimiter,
        "encoding": dialect.encoding,
        "encoding_errors": "strict",
        "skiprows": dialect.skip_lines,
        "header": 0,
        "names": list(range(found.width)),
        "usecols": list(range(n)) if found.width > n else None,
        "index_col": False,
        "dtype": str,
        "keep_default_na": False,
        "na_filter": False,
        "skip_blank_lines": False,
        "quotechar": '"',
        "doublequote": True,
        "engine": "c",
    }


def _tables(
    source: Path, dialect: Dialect, found: Scan, chunks: Iterator[pd.DataFrame]
) -> Iterator[SourceTable]:
    """Number the rows, drop the rejected ones and wrap each frame as a ``SourceTable``."""
    start = 0
    while True:
        try:
            frame = next(chunks)
        except StopIteration:
            return
        except pd.errors.ParserError as exc:
            raise _parser_error(source, exc) from None
        stop = start + len(frame)
        frame.columns = pd.Index(found.header)
        frame.index = pd.RangeIndex(start + FIRST_RECORD_ROW, stop + FIRST_RECORD_ROW, name="row")
        bad = [i for i in found.problems if start <= i < stop] if found.problems else []
        issues = [_issue(source.name, i, found.problems[i], len(found.header)) for i in sorted(bad)]
        if bad:
            frame = frame.drop(index=[i + FIRST_RECORD_ROW for i in bad])
        yield SourceTable(
            path=source,
            name=source.name,
            frame=frame,
            encoding=dialect.encoding,
            delimiter=dialect.delimiter,
            rejected=issues,
            notes=list(found.notes),
        )
        start = stop


def _issue(name: str, index: int, problem: Problem, width: int) -> RowIssue:
    if problem.category == EMPTY_ROW:
        message = "the row is empty"
    else:
        message = f"has {problem.fields} fields but the header has {width}"
    return RowIssue(
        file=name,
        row=index + FIRST_RECORD_ROW,
        stage="read",
        category=problem.category,
        message=message,
        value=problem.preview or None,
    )


def _parser_error(source: Path, exc: Exception) -> CsvError:
    text = str(exc)
    match = re.search(r"row (\d+)", text)
    row = int(match.group(1)) + 1 if match else None
    if "EOF inside string" in text:
        text = "a quoted field is never closed (a stray double quote)"
    return CsvError(f"malformed CSV: {text}", file=str(source), row=row, kind="malformed")


def _mismatch(source: Path, expected: int, got: int) -> CsvError:
    return CsvError(
        f"malformed CSV: quoting is ambiguous ({expected} records by one parser, {got} by "
        "another); open the file in a spreadsheet and save it again as CSV",
        file=str(source),
        kind="malformed",
    )
