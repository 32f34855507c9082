"""crmkit.io: reading CSV exports; every bad file is generated here in tmp_path."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pandas as pd
import pytest

from crmkit.errors import CsvError
from crmkit.io import EMPTY_ROW, RAGGED_ROW, iter_csv, read_csv
from crmkit.io.detect import SAMPLE_BYTES, column_letter


def write(tmp_path: Path, data: bytes | str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# ---------------------------------------------------------------------------- error kinds


def _utf8_with_stray_byte() -> bytes:
    return "Name,City\nRené,Paris\nZoë,Köln\nBad,".encode() + b"Cr\xe9teil\n"


BAD_FILES: list[tuple[str, bytes, str, int | None, str | None]] = [
    # id, content, kind, row, column
    ("empty", b"", "empty", None, None),
    ("whitespace only", b"\r\n  \n\t\n", "empty", None, None),
    ("bom only", b"\xef\xbb\xbf", "empty", None, None),
    ("header only", b"Name,Email\n", "header_only", 1, None),
    ("header and blank lines", b"Name,Email\n\n,\n", "header_only", 1, None),
    ("blank header", b"Name,,City\n1,2,3\n", "blank_header", 1, None),
    ("blank first row", b"\nName,City\n1,2\n", "blank_header", 1, None),
    ("undecodable", _utf8_with_stray_byte(), "undecodable", 4, "City"),
    ("nul bytes", b"Name,City\n\x00\x00\x01\x02garbage\x00\n", "binary", None, None),
    ("xlsx workbook", b"PK\x03\x04\x14\x00\x06\x00" + b"x" * 100, "binary", None, None),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary", None, None),
    ("unclosed quote", b'Name,Note\nAnn,"never closed\nBob,x\n', "malformed", None, None),
]


@pytest.mark.parametrize(
    ("content", "kind", "row", "column"),
    [case[1:] for case in BAD_FILES],
    ids=[case[0] for case in BAD_FILES],
)
def test_bad_file_raises_typed_error(
    tmp_path: Path, content: bytes, kind: str, row: int | None, column: str | None
) -> None:
    """Each file-level problem gives a CsvError of its kind naming the file (and row/column)."""
    path = write(tmp_path, content, "contacts.csv")
    with pytest.raises(CsvError) as info:
        read_csv(path)
    err = info.value
    assert err.kind == kind
    assert err.file == str(path)
    assert "contacts.csv" in str(err)
    if row is not None:
        assert err.row == row
    if column is not None:
        assert err.column == column


def test_missing_file(tmp_path: Path) -> None:
    """A path that does not exist is a 'missing' error, not FileNotFoundError."""
    with pytest.raises(CsvError, match="not found") as info:
        read_csv(tmp_path / "nope.csv")
    assert info.value.kind == "missing"


def test_directory_instead_of_file(tmp_path: Path) -> None:
    """A directory given as the file says so."""
    with pytest.raises(CsvError, match="directory") as info:
        read_csv(tmp_path)
    assert info.value.kind == "missing"


def test_a_repeated_header_name_is_told_apart_and_said(tmp_path: Path) -> None:
    """HubSpot's contacts export with the associated company repeats names: read, not refused;
    the note names both positions so the person can find them."""
    path = write(tmp_path, "Email,Name, Email ,Email (2)\n1,2,3,4\n")
    table = read_csv(path)
    assert list(table.frame.columns) == ["Email", "Name", "Email (3)", "Email (2)"]
    assert table.frame.iloc[0].tolist() == ["1", "2", "3", "4"]
    assert table.notes == [
        "column 3 (C) repeats the name 'Email' of column 1 (A): read as 'Email (3)'"
    ]


def test_blank_header_names_the_position(tmp_path: Path) -> None:
    """A blank header cell is located by number and spreadsheet letter."""
    path = write(tmp_path, "a,b,  ,d\n1,2,3,4\n")
    with pytest.raises(CsvError, match=r"column 3 \(C\)"):
        read_csv(path)


def test_too_many_columns_is_quick_and_clear(tmp_path: Path) -> None:
    """A 10,000-column file is refused from the header, not parsed into a huge frame."""
    header = ",".join(f"c{i}" for i in range(10_000))
    path = write(tmp_path, header + "\n" + ",".join("x" * 10_000) + "\n")
    with pytest.raises(CsvError, match="too many columns") as info:
        read_csv(path)
    assert info.value.kind == "too_many_columns"
    assert info.value.row == 1


def test_too_many_columns_header_longer_than_sample(tmp_path: Path) -> None:
    """A header longer than the detection sample still counts as too wide."""
    header = ",".join(f"column_with_a_long_name_{i:06d}" for i in range(12_000))
    assert len(header) > SAMPLE_BYTES
    path = write(tmp_path, header + "\n")
    with pytest.raises(CsvError) as info:
        read_csv(path)
    assert info.value.kind == "too_many_columns"


def test_ragged_strict_names_row_and_column(tmp_path: Path) -> None:
    """Strict mode raises at the first ragged row, with its spreadsheet row number."""
    path = write(tmp_path, "Name,Email,City\nAnn,a@x.com,Paris\nBob,b@x.com\n")
    with pytest.raises(CsvError) as info:
        read_csv(path, strict=True)
    assert (info.value.kind, info.value.row, info.value.column) == ("ragged", 3, "City")


def test_undecodable_late_in_a_large_file(tmp_path: Path) -> None:
    """A stray byte past the detection sample is caught by the full pass, with its row."""
    rows = "".join(f"Zoë {i},Köln\n" for i in range(SAMPLE_BYTES // 10))
    data = ("Name,City\n" + rows).encode() + b"Bad,Cr\xe9teil\n"
    path = write(tmp_path, data)
    with pytest.raises(CsvError) as info:
        read_csv(path)
    assert info.value.kind == "undecodable"
    assert info.value.row == SAMPLE_BYTES // 10 + 2
    assert info.value.column == "City"


def test_user_errors_never_leak_other_exceptions(tmp_path: Path) -> None:
    """Random bytes give a CsvError (binary/undecodable), never a raw traceback type; a blob
    with a NUL byte in it (and no UTF-16 byte-order mark) is never taken for text."""
    import random

    rng = random.Random(7)
    for i in range(20):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4000)))
        path = write(tmp_path, data, f"r{i}.csv")
        utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
        if b"\x00" in data[:SAMPLE_BYTES] and not utf16:
            with pytest.raises(CsvError) as info:
                read_csv(path)
            assert info.value.kind == "binary"
        else:
            with contextlib.suppress(CsvError):
                read_csv(path)


# ---------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("cp1252", b"", "cp1252"),
        ("utf-16", b"", "utf-16"),
    ],
    ids=["utf8", "utf8-bom", "cp1252", "utf16"],
)
def test_encodings(tmp_path: Path, encoding: str, prefix: bytes, expected: str) -> None:
    """Accented names survive every common export encoding; the BOM never reaches a header."""
    text = "Email,Name,Note\nrene@x.com,René Müller,“5 €” – ok\n"
    path = write(tmp_path, prefix + text.encode(encoding))
    table = read_csv(path)
    assert table.encoding == expected
    assert list(table.frame.columns) == ["Email", "Name", "Note"]
    assert table.frame.loc[2, "Name"] == "René Müller"
    assert table.frame.loc[2, "Note"] == "“5 €” – ok"


def test_cp1252_detected_after_the_sample(tmp_path: Path) -> None:
    """An ASCII head and a cp1252 tail: re-detected from the bytes around the failure."""
    head = "".join(f"plain{i},Paris\n" for i in range(SAMPLE_BYTES // 12))
    data = ("Name,City\n" + head).encode() + "Zoé,Créteil\n".encode("cp1252")
    table = read_csv(write(tmp_path, data))
    assert table.encoding == "cp1252"
    assert table.frame["City"].iloc[-1] == "Créteil"


def test_cyrillic_cp1251(tmp_path: Path) -> None:
    """Non-Latin legacy text (high bytes in runs) goes to charset-normalizer."""
    text = "Имя,Город\n" + "".join(f"Иван {i},Москва\n" for i in range(30))
    table = read_csv(write(tmp_path, text.encode("cp1251")))
    assert table.frame.loc[2, "Город"] == "Москва"


# ---------------------------------------------------------------------------- delimiters


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ('Name,Address\nAnn,"1 rue X; Paris"\nBob,"2 rue Y; Lyon"\n', ","),
        ("Name;Amount;City\nAnn;1,50;Paris\nBob;2,75;Lyon\n", ";"),
        ("Name\tEmail\tCity, State\nAnn\ta@x.com\tAustin, TX\n", "\t"),
        ("Name|Email\nAnn|a@x.com\nBob|b@x.com\n", "|"),
        ('Name;Note\nAnn;"a, b, c; d"\nBob;"x"\n', ";"),
        ("Email\na@x.com\nb@x.com\n", ","),
    ],
    ids=["comma-quoted-semicolons", "semicolon-decimal-commas", "tab", "pipe", "semi", "1col"],
)
def test_delimiters(tmp_path: Path, text: str, delimiter: str) -> None:
    """The delimiter is the one that splits every record consistently."""
    table = read_csv(write(tmp_path, text))
    assert table.delimiter == delimiter
    assert table.rejected == []
    header = text.split("\n", 1)[0].split(delimiter)
    assert list(table.frame.columns) == header


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr (old Mac)"])
def test_line_endings(tmp_path: Path, newline: str) -> None:
    """Every line-ending convention gives the same rows."""
    text = newline.join(["Name,City", "Ann,Paris", '"Bob\nJr",Lyon', ""])
    table = read_csv(write(tmp_path, text))
    assert table.frame.to_dict("index") == {
        2: {"Name": "Ann", "City": "Paris"},
        3: {"Name": "Bob\nJr", "City": "Lyon"},
    }


def test_trailing_blank_line_is_an_empty_row(tmp_path: Path) -> None:
    """A blank line is a spreadsheet row too: reported as EMPTY_ROW, never silently lost."""
    table = read_csv(write(tmp_path, "a,b\n1,2\n\n"))
    assert [(i.row, i.category) for i in table.rejected] == [(3, EMPTY_ROW)]
    assert table.rows == 2


@pytest.mark.filterwarnings("error")
def test_blank_row_wider_than_header(tmp_path: Path) -> None:
    """A blank row with extra commas is EMPTY_ROW and widens nothing (no pandas warning)."""
    table = read_csv(write(tmp_path, "a,b\n1,2\n,,,,\n3,4\n"))
    assert table.frame.index.tolist() == [2, 4]
    assert [(i.row, i.category) for i in table.rejected] == [(3, EMPTY_ROW)]


def test_vertical_tab_in_cells_is_text(tmp_path: Path) -> None:
    """Excel writes vertical tabs for in-cell line breaks: not a sign of a binary file."""
    table = read_csv(write(tmp_path, b'a,b\n1,"x\x0by"\n'))
    assert table.frame.loc[2, "b"] == "x\x0by"


def test_excel_sep_hint_line(tmp_path: Path) -> None:
    """Excel's ``sep=;`` first line sets the delimiter and is not a row or the header."""
    table = read_csv(write(tmp_path, "sep=;\r\nName;Amount\r\nAnn;1,5\r\nBob;2\r\n"))
    assert table.delimiter == ";"
    assert list(table.frame.columns) == ["Name", "Amount"]
    assert table.frame.index.tolist() == [2, 3]
    chunks = list(iter_csv(table.path, chunk_rows=1))
    assert [c.frame.index.tolist() for c in chunks] == [[2], [3]]


# ---------------------------------------------------------------------------- cells and rows


def test_cells_are_strings_and_missing_is_empty(tmp_path: Path) -> None:
    """No type guessing: zip codes keep their zeros, 'NA' stays text, missing is ''."""
    table = read_csv(write(tmp_path, " Zip , Flag ,Count\n01234,NA,\n00501,null,3.0\n"))
    frame = table.frame
    assert list(frame.columns) == ["Zip", "Flag", "Count"]
    assert frame["Zip"].tolist() == ["01234", "00501"]
    assert frame["Flag"].tolist() == ["NA", "null"]
    assert frame["Count"].tolist() == ["", "3.0"]
    assert all(pd.api.types.is_string_dtype(dtype) for dtype in frame.dtypes)
    assert not frame.isna().to_numpy().any()


def test_embedded_newlines_and_row_numbers(tmp_path: Path) -> None:
    """Row numbers count records, not physical lines: a multi-line note is one row."""
    text = (
        "Subject,Description\r\n"
        'Login,"line one\r\nline two\r\nline three"\r\n'
        "Billing,short\r\n"
        '"Multi\nline subject","x"\r\n'
        "Last,end\r\n"
    )
    table = read_csv(write(tmp_path, text))
    assert table.frame.index.name == "row"
    assert table.frame.index.tolist() == [2, 3, 4, 5]
    assert table.frame.loc[2, "Description"] == "line one\r\nline two\r\nline three"
    assert table.frame.loc[5, "Subject"] == "Last"


def test_ragged_and_empty_rows_are_rejected_not_dropped(tmp_path: Path) -> None:
    """Without strict, bad rows are listed in rejected and rows adds up."""
    text = (
        "Name,Email,City\nAnn,a@x.com,Paris\nBob,b@x.com\n\n,,\n"
        "Cid,c@x.com,Rome,extra\nDan,d,Oslo\n"
    )
    table = read_csv(write(tmp_path, text))
    assert table.frame.index.tolist() == [2, 7]
    assert [(i.row, i.category) for i in table.rejected] == [
        (3, RAGGED_ROW),
        (4, EMPTY_ROW),
        (5, EMPTY_ROW),
        (6, RAGGED_ROW),
    ]
    assert all(i.stage == "read" and i.file == "data.csv" for i in table.rejected)
    assert table.rejected[0].value == "Bob,b@x.com"
    assert table.rows == 6 == len(table.frame) + len(table.rejected)


def test_wide_ragged_row_does_not_widen_the_frame(tmp_path: Path) -> None:
    """A row with far more fields than the header is rejected; the frame keeps the header."""
    text = "a,b\n1,2\n" + ",".join(["z"] * 5000) + "\n3,4\n"
    table = read_csv(write(tmp_path, text))
    assert list(table.frame.columns) == ["a", "b"]
    assert table.frame.index.tolist() == [2, 4]
    assert [i.row for i in table.rejected] == [3]


@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 7, 1000])
def test_chunked_reading_equals_whole_reading(tmp_path: Path, chunk_rows: int) -> None:
    """iter_csv's chunks concatenate to read_csv's frame and rejections."""
    lines = ["Id;Name;Note"]
    for i in range(40):
        if i % 9 == 4:
            lines.append(f"{i};ragged")
        elif i % 11 == 5:
            lines.append(";;")
        else:
            lines.append(f'{i};Zoé {i};"multi\nline {i}"')
    path = write(tmp_path, ("\n".join(lines) + "\n").encode("cp1252"))
    whole = read_csv(path)
    chunks = list(iter_csv(path, chunk_rows=chunk_rows))
    assert all(c.encoding == "cp1252" and c.delimiter == ";" for c in chunks)
    assert all(len(c.frame) + len(c.rejected) <= chunk_rows for c in chunks)
    pd.testing.assert_frame_equal(pd.concat([c.frame for c in chunks]), whole.frame)
    assert [i for c in chunks for i in c.rejected] == whole.rejected
    assert sum(c.rows for c in chunks) == whole.rows == 40


def test_iter_csv_raises_before_yielding(tmp_path: Path) -> None:
    """File-level errors surface at the call, before any chunk."""
    with pytest.raises(CsvError):
        iter_csv(write(tmp_path, b"Name,Email\n"))
    with pytest.raises(ValueError):
        iter_csv(write(tmp_path, b"a\n1\n", "ok.csv"), chunk_rows=0)


@pytest.mark.parametrize(("index", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ")])
def test_column_letter(index: int, letter: str) -> None:
    """Spreadsheet letters as people see them."""
    assert column_letter(index) == letter


def test_a_cell_past_the_csv_modules_default_limit_is_read_not_refused(tmp_path: Path) -> None:
    """A 1 MB cell (a pasted email thread) is a long value for coercion, not a broken file."""
    path = tmp_path / "contacts.csv"
    path.write_text("Name,Notes\nAnn," + "x" * 1_000_000 + "\nBob,short\n", encoding="utf-8")
    table = read_csv(path)
    assert table.rows == 2 and not table.rejected
    assert len(table.frame.loc[2, "Notes"]) == 1_000_000
