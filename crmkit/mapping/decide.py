"""The mapping a file is imported with, decided in one place for the import and the review.

``prepare_folder`` and the review screen (``crmkit.review``) both call :func:`file_mapping`
with the file's own frame and the mapping file's section: the automatic mapping on the
file's distinct values, the person's choices on top, enumeration values filled for columns a
choice moved, owner columns turned into owner links, and the rows of each unmatched value
counted. One function, so the screen never shows a mapping other than the one the import uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from crmkit.mapping.columns import auto_map, fill_values
from crmkit.mapping.files import MappingSection, apply_overrides
from crmkit.mapping.optionchoices import apply_option_choices
from crmkit.mapping.unmatched import count_unmatched

if TYPE_CHECKING:
    from crmkit.mapping.model import Mapping
    from crmkit.schema import Schema


def distinct_values(frame: pd.DataFrame, columns: list[str] | None = None) -> dict[str, list[str]]:
    """Each column's distinct values, in the order they first appear."""
    names = list(frame.columns) if columns is None else columns
    return {str(c): frame[c].unique().tolist() for c in names}


def automatic_mapping(
    frame: pd.DataFrame, object_type: str, schema: Schema, samples: dict[str, list[str]]
) -> Mapping:
    """What ``auto_map`` proposes for the file's headers, its distinct values confirming them."""
    return auto_map(list(frame.columns), object_type, schema, samples)


def with_choices(
    automatic: Mapping,
    section: MappingSection | None,
    schema: Schema,
    samples: dict[str, list[str]],
    frame: pd.DataFrame,
) -> Mapping:
    """``automatic`` with the section's choices about this file's columns applied.

    ``section`` may name columns of the object type's other files: only this file's are used.
    """
    from crmkit.sources.owners import owner_columns  # names/emails for owners

    mine = section.only(frame.columns) if section else None
    mapping = apply_overrides(automatic, mine, schema)
    if mine is not None and mine.columns:  # a column moved onto an enumeration: map its values
        mapping = fill_values(mapping, schema, samples)
    if mine is not None:  # the analyst's choices for unmatched options (map, empty, add)
        mapping = apply_option_choices(mapping, mine.options)
    return count_unmatched(owner_columns(mapping), frame)


def file_mapping(
    frame: pd.DataFrame, object_type: str, schema: Schema, section: MappingSection | None
) -> Mapping:
    """The mapping the import uses for ``frame`` (a file, or the first chunk of one)."""
    samples = distinct_values(frame)
    automatic = automatic_mapping(frame, object_type, schema, samples)
    return with_choices(automatic, section, schema, samples, frame)
