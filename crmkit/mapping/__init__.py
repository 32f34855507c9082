"""Columns and values of a CSV export onto HubSpot properties and options.

``auto_map`` proposes; a person reviews ``Mapping.describe()`` and corrects it with a mapping
file (``load_mapping_file`` + ``apply_overrides``); coercion then follows the mapping.
"""

from crmkit.mapping.columns import auto_map, fill_values
from crmkit.mapping.files import (
    MappingSection,
    apply_overrides,
    check_columns,
    load_mapping_file,
    parse_section,
    save_mapping_file,
)
from crmkit.mapping.model import ROLES, ColumnMatch, Mapping
from crmkit.mapping.normalize import compact, normalize, normalize_header
from crmkit.mapping.values import map_multi, map_value, map_values

__all__ = [
    "ROLES",
    "ColumnMatch",
    "Mapping",
    "MappingSection",
    "apply_overrides",
    "auto_map",
    "check_columns",
    "compact",
    "fill_values",
    "load_mapping_file",
    "map_multi",
    "map_value",
    "map_values",
    "normalize",
    "normalize_header",
    "parse_section",
    "save_mapping_file",
]
