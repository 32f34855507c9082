"""Which object type a file's headers describe, when its name says nothing.

Each object type's automatic mapping (``crmkit.mapping.auto_map``, with the first rows as
samples) is scored: the confidence of the columns it maps to properties, over all columns
but the numbered repeats of a kind ("E-mail 2 Address", "Business Phone 2": one more value of
a property, never imported automatically, so Outlook's and Google's wide layouts are not
diluted by them), halved when the column the upsert key comes from is missing (contacts'
email; companies' name or domain; tickets' subject). The best type is taken when it scores at
least ``MIN_SCORE`` and leads the runner-up by ``MIN_LEAD``; otherwise the file is reported,
with both scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crmkit.errors import CsvError

MIN_SCORE = 0.35
MIN_LEAD = 0.15
SAMPLE_ROWS = 200
KEY_PROPERTIES = {
    "contacts": ("email",),
    "companies": ("name", "domain"),
    "tickets": ("subject",),
}


@dataclass(frozen=True)
class Fit:
    role: str | None
    why: str
    ambiguous: bool = False
    error: str | None = None


def sample(path: Path, sheet: str | None) -> dict[str, list[str]]:
    """Header → its first distinct values (CSV read in a first chunk only)."""
    from crmkit.io import is_excel, iter_csv, read_excel
    from crmkit.sources.jsonrecords import is_json, read_json

    if is_excel(path):
        frame = read_excel(path, sheet=sheet).frame.head(SAMPLE_ROWS)
    elif is_json(path):
        frame = read_json(path).frame.head(SAMPLE_ROWS)
    else:
        frame = next(iter(iter_csv(path, chunk_rows=SAMPLE_ROWS))).frame
    return {str(c): frame[c].unique().tolist() for c in frame.columns}


def score(columns: dict[str, list[str]], object_type: str) -> float:
    from crmkit.mapping import auto_map

    if not columns:
        return 0.0
    from crmkit.mapping.headerwords import parse_header

    mapping = auto_map(list(columns), object_type, None, columns)
    mapped = {m.property: m.confidence for m in mapping.columns.values() if m.property}
    repeats = sum(
        1
        for column, m in mapping.columns.items()
        if not m.property and (parse_header(column, object_type).index or 0) >= 2
    )
    total = sum(mapped.values()) / max(1, len(columns) - repeats)
    if not any(p in mapped for p in KEY_PROPERTIES[object_type]):
        total /= 2
    return round(total, 2)


def best_fit(path: Path, sheet: str | None, types: list[str]) -> Fit:
    """The object type the headers fit, or why none (``error`` when unreadable)."""
    try:
        columns = sample(path, sheet)
    except CsvError as exc:
        return Fit(None, "", error=exc.message.partition(": ")[2] or exc.message)
    if not types:
        return Fit(None, "every object type is named by an option")
    scores = sorted(((score(columns, t), t) for t in types), reverse=True)
    (top, best), rest = scores[0], scores[1:]
    second = rest[0] if rest else (0.0, "")
    shown = ", ".join(f"{t} {s:.2f}" for s, t in scores)
    if top < MIN_SCORE:
        return Fit(None, f"the name says nothing and the headers fit no object type ({shown})")
    if top - second[0] < MIN_LEAD:
        return Fit(None, f"the headers fit {best} and {second[1]} about equally ({shown})", True)
    return Fit(best, f"headers look like {best} ({shown})")
