"""What a ``… - Type`` / ``… - Label`` column says about its ``… - Value`` column.

Google Contacts and vCard-derived exports store "Phone 1 - Type: Mobile" beside "Phone 1 - Value".
The header alone cannot say whether phone 1 is a mobile or a desk phone; the labels in the
sampled rows can. The label most rows carry decides (a leading ``*`` marks Google's primary
entry); too few labels, or labels that disagree, decide nothing and the header rules apply.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from crmkit.mapping.headerwords import QUALIFIERS, HeaderWords
from crmkit.mapping.normalize import normalize

_MAJORITY = 0.6
_LABELS_READ = 1000
# label words → what they make of a phone column (besides the usual qualifiers)
_PHONE_KINDS = {
    "mobile": "mobile phone",
    "cell": "mobile phone",
    "cellular": "mobile phone",
    "iphone": "mobile phone",
    "handy": "mobile phone",
    "fax": "fax",
    "work fax": "fax",
    "business fax": "fax",
    "pager": "",
    "home fax": "",
    "other fax": "",
}


@dataclass(frozen=True)
class LabelHint:
    """The label column's verdict on one value column."""

    label_column: str
    label: str  # the winning label as the rows spell it
    share: str  # "3 of 4 rows"
    lookup: str | None  # text to look up instead of the group ("mobile phone"); "" = none fits
    qualifier: str | None
    weight: float | None
    primary: bool

    def describe(self) -> str:
        return f"labelled {self.label!r} in {self.share} of {self.label_column!r}"


def _verdict(values: Sequence[str]) -> tuple[str, str, bool] | None:
    """(label, share, starred) of the label most rows carry, or None when none stands out."""
    labels = [v.strip() for v in values[:_LABELS_READ] if v and v.strip()]
    if not labels:
        return None
    starred = sum(1 for v in labels if v.startswith("*")) / len(labels) >= _MAJORITY
    counts = Counter(normalize(v.lstrip("* ")) for v in labels)
    counts.pop("", None)
    if not counts:
        return ("*", f"{len(labels)} of {len(labels)} rows", starred) if starred else None
    label, n = counts.most_common(1)[0]
    if n / len(labels) < _MAJORITY:
        return None
    spelled = next(v.lstrip("* ") for v in labels if normalize(v.lstrip("* ")) == label)
    return spelled, f"{n} of {len(labels)} rows", starred


def label_hints(
    words: Mapping[str, HeaderWords], samples: Mapping[str, Sequence[str]]
) -> dict[str, LabelHint]:
    """``{value column: hint}`` for value columns whose label column has sampled labels."""
    label_cols = {w.label_of: col for col, w in words.items() if w.label_of}
    out: dict[str, LabelHint] = {}
    for col, w in words.items():
        if w.label_of or w.group is None or w.index is None:
            continue
        label_col = label_cols.get((w.group, w.index))
        verdict = _verdict(samples.get(label_col, [])) if label_col else None
        if label_col is None or verdict is None:
            continue
        label, share, starred = verdict
        key = normalize(label)
        lookup = _PHONE_KINDS.get(key) if w.group == "phone" else None
        kind, weight = QUALIFIERS.get(key.split()[0] if key else "", (None, 1.0))
        if starred and weight is not None:
            kind, weight = kind or "primary", 1.0
        out[col] = LabelHint(label_col, label, share, lookup, kind, weight, starred)
    return out
