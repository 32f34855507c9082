"""What a mapping is: each column's property (or none), why, and how its values translate."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crmkit.errors import MappingError
from crmkit.schema import Schema, check_object_type

if TYPE_CHECKING:
    import pandas as pd

ROLES = (
    "source_id",
    "contact_email",
    "contact_name",
    "contact_phone",
    "contact_id",
    "company_name",
    "company_domain",
    "company_id",
    "ticket_id",
    "full_name",
    "owner",
)
"""Linking roles a column can play besides (or instead of) a property; the planner uses them."""


@dataclass(frozen=True)
class ColumnMatch:
    """One column's fate: the property it fills (None = not imported), how sure, and why.

    ``role`` says what the column is good for when linking records, whether or not it is
    imported as a property: e.g. a ticket's "Requester Email" has no property but role
    ``contact_email``; a contact's "Company" fills ``company`` and has role ``company_name``.
    """

    column: str
    property: str | None
    confidence: float
    reason: str
    role: str | None = None

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "property": self.property,
            "confidence": round(self.confidence, 3),
            "reason": self.reason,
            "role": self.role,
        }


@dataclass
class Mapping:
    """Columns of one file onto one object type's properties, and enumeration values onto options.

    ``values[column][raw] = option value`` for the distinct values seen so far;
    ``unmatched_values[column]`` lists raw values that match no option (reported, never sent);
    ``suggestions[column][raw] = (option value, confidence)`` is the likely option of an unmatched
    value that was too unsure to apply, for a person to accept in the review screen or a mapping
    file; ``unmatched_counts[column][raw]`` counts the rows holding each unmatched value.
    """

    object_type: str
    columns: dict[str, ColumnMatch] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    unmatched_values: dict[str, list[str]] = field(default_factory=dict)
    samples: dict[str, list[str]] = field(default_factory=dict)
    suggestions: dict[str, dict[str, tuple[str, float]]] = field(default_factory=dict)
    unmatched_counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_object_type(self.object_type)

    def to_dict(self) -> dict[str, str | None]:
        """``{column: property or None}`` in column order."""
        return {c: m.property for c, m in self.columns.items()}

    def mapped(self) -> dict[str, str]:
        """``{column: property}`` for the columns that are imported."""
        return {c: m.property for c, m in self.columns.items() if m.property}

    def column_for(self, prop: str) -> str | None:
        """The column that fills ``prop``, if any."""
        for c, m in self.columns.items():
            if m.property == prop:
                return c
        return None

    def roles(self) -> dict[str, str]:
        """``{role: column}``; one column per role."""
        out: dict[str, str] = {}
        for c, m in self.columns.items():
            if m.role and m.role not in out:
                out[m.role] = c
        return out

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "object_type": self.object_type,
            "columns": {c: m.to_json_dict() for c, m in self.columns.items()},
            "values": self.values,
            "unmatched_values": self.unmatched_values,
            "samples": self.samples,
            "suggestions": {
                c: {raw: {"option": o, "confidence": conf} for raw, (o, conf) in table.items()}
                for c, table in self.suggestions.items()
            },
            "unmatched_counts": self.unmatched_counts,
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_json_dict(), indent=indent, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | dict[str, Any]) -> Mapping:
        """Inverse of :meth:`to_json` (accepts the text or the parsed dict)."""
        try:
            data = json.loads(text) if isinstance(text, str) else text
            cols = {
                c: ColumnMatch(
                    column=c,
                    property=m.get("property"),
                    confidence=float(m.get("confidence", 1.0)),
                    reason=str(m.get("reason", "")),
                    role=m.get("role"),
                )
                for c, m in data.get("columns", {}).items()
            }
            return cls(
                object_type=data["object_type"],
                columns=cols,
                values={c: dict(v) for c, v in data.get("values", {}).items()},
                unmatched_values={c: list(v) for c, v in data.get("unmatched_values", {}).items()},
                samples={c: list(v) for c, v in data.get("samples", {}).items()},
                suggestions={
                    c: {raw: (str(s["option"]), float(s["confidence"])) for raw, s in table.items()}
                    for c, table in data.get("suggestions", {}).items()
                },
                unmatched_counts={
                    c: {raw: int(n) for raw, n in table.items()}
                    for c, table in data.get("unmatched_counts", {}).items()
                },
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise MappingError(f"not a crmkit mapping: {exc}") from exc

    def describe(self, schema: Schema | None = None) -> pd.DataFrame:
        """A review table: column, property, label, confidence, reason, role, samples."""
        import pandas as pd

        schema = schema or Schema.bundled(self.object_type)
        rows = []
        for c, m in self.columns.items():
            prop = schema.get(m.property) if m.property else None
            unmatched = self.unmatched_values.get(c, [])
            reason = m.reason
            if unmatched:
                suggested = self.suggestions.get(c, {})
                held = self.unmatched_counts.get(c, {})
                reason += f"; {len(unmatched)} value(s) match no option: " + ", ".join(
                    repr(v)
                    + (f" ×{held[v]}" if v in held else "")
                    + (f" (maybe {suggested[v][0]})" if v in suggested else "")
                    for v in sorted(unmatched, key=lambda v: -held.get(v, 0))[:5]
                )
            rows.append(
                {
                    "column": c,
                    "property": m.property or "",
                    "label": prop.label if prop else "",
                    "confidence": round(m.confidence, 2),
                    "reason": reason,
                    "role": m.role or "",
                    "samples": ", ".join(self.samples.get(c, [])[:3]),
                }
            )
        columns = ["column", "property", "label", "confidence", "reason", "role", "samples"]
        return pd.DataFrame(rows, columns=columns)
