"""File-level mapping decisions a person should see: columns not imported, and guesses.

Nothing is dropped in silence: a column the mapping does not import (and why), and a column
mapped with less than full confidence (a guess), each get a line in values.csv.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crmkit.mapping.model import Mapping

GUESS_BELOW = 0.9
"""A column mapped with lower confidence than this is reported as a guess."""


def column_decisions(mapping: Mapping | None, file: str) -> list[dict[str, Any]]:
    """One decision per column not imported or mapped by a guess."""
    if mapping is None:
        return []
    out: list[dict[str, Any]] = []
    for column, match in mapping.columns.items():
        if match.property is None:
            used = f" (used as {match.role})" if match.role else ""
            action = "column not imported"
            reason = match.reason + used
        elif match.confidence < GUESS_BELOW:
            action, reason = "guess", f"{match.reason} (confidence {match.confidence:.2f})"
        else:
            continue
        out.append(
            {
                "file": file,
                "column": column,
                "property": match.property or "",
                "value": "",
                "reason": reason,
                "action": action,
            }
        )
    return out
