"""Sniffing a CSV file before reading it: path checks, binary check, encoding, delimiter.

Everything here looks at a bounded sample (``SAMPLE_BYTES``) so detection costs the same for a
1 KB and a 10 GB file; the full-file UTF-8 check happens during the reader's field-count pass.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from crmkit.errors import CsvError

SAMPLE_BYTES = 256 * 1024
"""How much of the file detection reads: enough for a few hundred rows, bounded for huge files."""

MAX_COLUMNS = 2_000
"""More columns than this is not a CRM export; refuse early rather than build a huge frame."""

DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")
"""Candidates, in order of preference when the evidence ties."""

_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (an .xlsx workbook?); export it as CSV"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) workbook; export it as CSV"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive; decompress it first"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

# A well-formed UTF-8 multi-byte sequence; used to tell "mostly UTF-8 with stray bytes"
# (corrupted: refuse) from "a legacy 8-bit file" (decode as cp1252 or what fits).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_HIGH_RUN = re.compile(rb"[\x80-\xff]{3,}")
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
_SEP_HINT = re.compile(r"sep=([,;\t|])\r?\n")
_WESTERN = {"cp1252", "latin_1", "iso8859_15", "iso8859_1"}


class Undecodable(Exception):
    """Internal: the bytes at ``offset`` decode in no acceptable encoding.

    The reader turns it into a ``CsvError`` naming the row and column that hold the offset.
    """

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


@dataclass(frozen=True)
class Dialect:
    """What detection decided; the reader uses it for every chunk of the file."""

    encoding: str
    delimiter: str
    skip_lines: int = 0
    """1 when the file starts with Excel's ``sep=;`` hint line, which is not a row."""


def check_path(path: Path) -> None:
    """Refuse what is not a readable regular file, with the user's words for it."""
    name = str(path)
    if not path.exists():
        raise CsvError("file not found", file=name, kind="missing")
    if path.is_dir():
        raise CsvError("is a directory, not a CSV file", file=name, kind="missing")
    if not path.is_file():
        raise CsvError("is not a regular file", file=name, kind="missing")


def read_sample(path: Path) -> tuple[bytes, bool]:
    """The first ``SAMPLE_BYTES`` of the file and whether that is the whole file."""
    try:
        with path.open("rb") as fh:
            sample = fh.read(SAMPLE_BYTES + 1)
    except OSError as exc:
        raise CsvError(f"cannot be opened: {exc.strerror}", file=str(path), kind="missing") from exc
    whole = len(sample) <= SAMPLE_BYTES
    return sample[:SAMPLE_BYTES], whole


def check_binary(sample: bytes, file: str) -> None:
    """Refuse files that are not text: known magic numbers, NUL bytes, many control bytes."""
    for magic, what in _BINARY_MAGIC:
        if sample.startswith(magic):
            raise CsvError(f"is not a CSV file: it looks like {what}", file=file, kind="binary")
    if sample.startswith(_UTF16_BOMS):
        return
    if b"\x00" in sample:
        raise CsvError("is not a text file (it contains NUL bytes)", file=file, kind="binary")
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise CsvError("is not a text file (too many control bytes)", file=file, kind="binary")


def is_blank(sample: bytes) -> bool:
    """True when the file holds nothing but whitespace and byte-order marks."""
    stripped = sample
    for bom in (codecs.BOM_UTF8, *_UTF16_BOMS):
        if stripped.startswith(bom):
            stripped = stripped[len(bom) :]
    if sample.startswith(_UTF16_BOMS):
        stripped = stripped.replace(b"\x00", b"")
    return not stripped.strip()


def guess_encoding(sample: bytes, whole: bool) -> str:
    """The encoding of the file judged from a sample (the reader verifies UTF-8 fully).

    Order: a BOM decides; UTF-8 when the sample decodes; otherwise a legacy encoding.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith(_UTF16_BOMS):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=whole)
    except UnicodeDecodeError as exc:
        return legacy_encoding(sample, exc.start)
    return "utf-8"


def legacy_encoding(sample: bytes, bad_offset: int) -> str:
    """Pick the encoding of a file that is not UTF-8.

    Mostly-UTF-8 text with stray bytes is corrupted, not legacy: decoding it as cp1252 would
    turn every accented letter into mojibake, so it is refused. Western text (sparse high
    bytes) is cp1252, the Windows/Excel default; charset-normalizer is asked only when the high
    bytes come in runs (Cyrillic, Greek, CJK), where its guesses are reliable and cp1252's would
    not be.
    """
    sequences = _UTF8_MULTIBYTE.findall(sample)
    good = len(sequences)
    high = len(_HIGH_BYTE.findall(sample))
    stray = high - sum(len(m) for m in sequences)
    if good and good >= stray:
        raise Undecodable(
            bad_offset,
            f"undecodable bytes: the file is UTF-8 but byte "
            f"{sample[bad_offset : bad_offset + 1]!r} is not; it is corrupted or mixes encodings",
        )
    in_runs = sum(len(m) for m in _HIGH_RUN.findall(sample))
    western = high == 0 or in_runs / high < 0.5
    if western and _decodes(sample, "cp1252"):
        return "cp1252"
    import charset_normalizer  # only on this rare path: not UTF-8, not plain Western

    best = charset_normalizer.from_bytes(sample).best()
    if best is not None:
        encoding = str(best.encoding)
        if encoding in _WESTERN or not western:
            return "cp1252" if encoding in _WESTERN and _decodes(sample, "cp1252") else encoding
    if western:
        return "latin-1"
    raise Undecodable(
        bad_offset, "undecodable bytes: neither UTF-8 nor a known legacy encoding; save as UTF-8"
    )


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def decode_sample(sample: bytes, encoding: str, whole: bool) -> str:
    """Decode the sample, dropping a trailing partial line when the file goes on."""
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=whole)
    if not whole:
        cut = max(text.rfind("\n"), text.rfind("\r"))
        if cut > 0:
            text = text[:cut]
    return text


def guess_delimiter(text: str, file: str) -> str:
    """Choose the delimiter whose field count is most consistent over the sample's records.

    Parsing each candidate with the csv module keeps quoted delimiters and embedded newlines
    out of the count, where ``csv.Sniffer`` counts characters and guesses wrong on quoted
    addresses or decimal commas. The header must split into at least two fields.
    """
    best: tuple[float, int, int] = (-1.0, 0, 0)
    chosen = DELIMITERS[0]
    for preference, delimiter in enumerate(DELIMITERS):
        counts = _field_counts(text, delimiter)
        if not counts or counts[0] < 2:
            continue
        header = counts[0]
        if header > MAX_COLUMNS:
            raise CsvError(
                f"too many columns: the header has {header} fields "
                f"separated by {delimiter!r} (at most {MAX_COLUMNS})",
                file=file,
                row=1,
                kind="too_many_columns",
            )
        data = counts[1:] or [header]
        consistency = sum(1 for n in data if n == header) / len(data)
        score = (consistency, header, -preference)
        if score > best:
            best, chosen = score, delimiter
    return chosen


def _field_counts(text: str, delimiter: str, limit: int = 200) -> list[int]:
    counts: list[int] = []
    for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        if record and any(field.strip() for field in record):
            counts.append(len(record))
            if len(counts) >= limit:
                break
    return counts


def column_letter(index: int) -> str:
    """Spreadsheet column name for a 0-based index (0 → A, 26 → AA), as people see it."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def locate(path: Path, offset: int, delimiter: str) -> tuple[int | None, str | None]:
    """The spreadsheet row and header name holding byte ``offset``, for error messages.

    Reads the file up to the offset (an error path, so the cost is fine) and counts records
    with the csv module, so quoted newlines do not shift the row number.
    """
    if offset > 256 * 1024 * 1024:
        return None, None
    with path.open("rb") as fh:
        prefix = fh.read(offset).decode("utf-8", errors="replace").lstrip("\ufeff")
    records = list(csv.reader(io.StringIO(prefix, newline=""), delimiter=delimiter))
    if not records:
        return 1, None
    header = [name.strip() for name in records[0]]
    if prefix.endswith(("\n", "\r")):
        return len(records) + 1, header[0] if header else None
    index = len(records[-1]) - 1
    column = header[index] if 0 <= index < len(header) else None
    return len(records), column


def undecodable_error(path: Path, problem: Undecodable, sample: bytes, whole: bool) -> CsvError:
    """Turn an internal ``Undecodable`` into the user's error, with row and column."""
    delimiter = guess_delimiter(decode_sample(sample, "utf-8", whole), str(path))
    row, column = locate(path, problem.offset, delimiter)
    return CsvError(problem.message, file=str(path), row=row, column=column, kind="undecodable")


def detect(path: Path) -> Dialect:
    """Check the path and sniff encoding and delimiter from a bounded sample."""
    check_path(path)
    file = str(path)
    sample, whole = read_sample(path)
    if is_blank(sample):
        raise CsvError("the file is empty", file=file, kind="empty")
    check_binary(sample, file)
    try:
        encoding = guess_encoding(sample, whole)
    except Undecodable as problem:
        raise undecodable_error(path, problem, sample, whole) from None
    text = decode_sample(sample, encoding, whole).lstrip("\ufeff")
    hint = _SEP_HINT.match(text)
    if hint:  # Excel's hint decides, and Excel does not show that line as a row
        return Dialect(encoding=encoding, delimiter=hint.group(1), skip_lines=1)
    return Dialect(encoding=encoding, delimiter=guess_delimiter(text, file))
