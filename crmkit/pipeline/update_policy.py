"""Which update policy applies to which property: the run's ``--update-policy`` and the mapping
file's per-column choices.

A mapping file section may say ``"update_policy": {"Job Title": "fill-blanks"}``; the key is a
column the section's ``columns`` maps (its property gets the policy) or a property name.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from crmkit.errors import ConfigError, MappingError
from crmkit.pipeline.compare import UPDATE_POLICIES, UpdatePolicy

ColumnPolicies = dict[str, dict[str, UpdatePolicy]]
"""Object type → property → policy."""


def check_policy(value: str, where: str = "--update-policy") -> UpdatePolicy:
    if value not in UPDATE_POLICIES:
        raise ConfigError(
            f"{where}: {value!r} is not an update policy; use one of {UPDATE_POLICIES}"
        )
    return value


def column_policies(mapping_file: Path | None) -> ColumnPolicies:
    """The per-property policies a mapping file sets (empty without a file)."""
    if mapping_file is None:
        return {}
    try:
        data = json.loads(Path(mapping_file).read_text(encoding="utf-8-sig"))
    except (OSError, json.JSONDecodeError):
        return {}  # the mapping loader reports an unreadable file with its own message
    found: ColumnPolicies = {}
    if not isinstance(data, Mapping):
        return found
    for object_type, section in data.items():
        if not isinstance(section, Mapping) or "update_policy" not in section:
            continue
        raw = section["update_policy"]
        where = f"{mapping_file}: {object_type}.update_policy"
        if not isinstance(raw, Mapping):
            raise MappingError(f"{where} must map columns to a policy")
        columns = section.get("columns")
        columns = columns if isinstance(columns, Mapping) else {}
        chosen: dict[str, UpdatePolicy] = {}
        for name, policy in raw.items():
            prop = columns.get(name) or name
            chosen[str(prop)] = check_policy(str(policy), f"{where}[{name!r}]")
        found[str(object_type)] = chosen
    return found
