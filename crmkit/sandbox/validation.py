"""Property values checked the way HubSpot checks them, with HubSpot's error codes.

Each check returns the value as the portal would store it (emails lower-cased, dates as
``YYYY-MM-DD``, datetimes as ISO-8601 UTC) or a :class:`Problem`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from crmkit.sandbox.notes import MAX_STRING, NOTE_REQUIRED
from crmkit.sandbox.replies import JSON, iso
from crmkit.sandbox.schemadata import SERVER_SET, TICKET_REQUIRED
from crmkit.schema import TICKET_PIPELINES

Pipelines = Mapping[str, frozenset[str]]
"""Pipeline id → its stage ids, as ``PipelineTable.stage_map`` gives them."""
DEFAULT_PIPELINES: Pipelines = {pid: frozenset(p["stages"]) for pid, p in TICKET_PIPELINES.items()}

_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9-]{2,}$"
)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DAY_MS = 86_400_000


@dataclass(frozen=True)
class Problem:
    """One invalid property value, as HubSpot lists it in ``Property values were not valid``."""

    name: str
    code: str
    message: str

    def listed(self) -> JSON:
        return {"isValid": False, "message": self.message, "error": self.code, "name": self.name}

    def detail(self) -> JSON:
        return {
            "message": self.message,
            "code": self.code,
            "context": {"propertyName": [self.name]},
        }


def problems_message(problems: list[Problem]) -> str:
    listed = json.dumps([p.listed() for p in problems], separators=(",", ":"))
    return "Property values were not valid: " + listed


def check_properties(
    schema: Mapping[str, JSON], properties: Any, object_type: str
) -> tuple[dict[str, str], list[Problem]]:
    """Normalise one input's ``properties``; unknown, read-only and malformed values fail."""
    if properties is None:
        return {}, []
    if not isinstance(properties, dict):
        return {}, [Problem("properties", "INVALID_INPUT", "properties must be an object")]
    values: dict[str, str] = {}
    problems: list[Problem] = []
    for name, raw in properties.items():
        prop = schema.get(name)
        if prop is None:
            problems.append(
                Problem(name, "PROPERTY_DOESNT_EXIST", f'Property "{name}" does not exist')
            )
            continue
        if name in SERVER_SET or _read_only(prop):
            problems.append(
                Problem(
                    name,
                    "READ_ONLY_VALUE",
                    f'"{name}" is a read only property; its value cannot be set.',
                )
            )
            continue
        text = _as_text(raw)
        if text == "":
            values[name] = ""
            continue
        value, problem = check_value(prop, text, object_type)
        if problem is not None:
            problems.append(problem)
        else:
            values[name] = value
    return values, problems


def check_value(prop: JSON, value: str, object_type: str) -> tuple[str, Problem | None]:
    """One non-empty value against one property definition."""
    name = str(prop["name"])
    kind = prop.get("type", "string")
    if name == "email" and object_type == "contacts":
        email = value.strip().lower()
        if not _EMAIL.match(email) or ".." in email:
            return value, Problem(name, "INVALID_EMAIL", f"Email address {value} is invalid")
        return email, None
    if object_type == "tickets" and name in ("hs_pipeline", "hs_pipeline_stage"):
        return value.strip(), None  # checked against the pipeline by check_ticket
    if kind == "number":
        text = value.strip()
        if not _NUMBER.match(text):
            return value, Problem(name, "INVALID_INTEGER", f"{value} was not a valid number.")
        return text, None
    if kind == "bool":
        text = value.strip().lower()
        if text not in ("true", "false"):
            return value, Problem(name, "INVALID_BOOLEAN", f"{value} was not a valid boolean.")
        return text, None
    if kind == "date":
        return _check_date(name, value)
    if kind == "datetime":
        return _check_datetime(name, value)
    if kind == "enumeration":
        return _check_option(prop, value)
    if len(value) > MAX_STRING:
        return value, Problem(
            name,
            "VALUE_TOO_LONG",
            f"{name} is {len(value)} characters long; the limit is {MAX_STRING}.",
        )
    return value, None


def check_record(
    object_type: str,
    merged: Mapping[str, str],
    *,
    creating: bool,
    pipelines: Pipelines = DEFAULT_PIPELINES,
) -> list[Problem]:
    """Whole-record rules: required properties on create, a ticket's stage in its pipeline."""
    if object_type == "tickets":
        return check_ticket(merged, creating=creating, pipelines=pipelines)
    if object_type == "notes" and creating:
        return _required(merged, NOTE_REQUIRED)
    return []


def _required(merged: Mapping[str, str], names: tuple[str, ...]) -> list[Problem]:
    return [
        Problem(name, "REQUIRED_PROPERTY", f"{name} is required")
        for name in names
        if not merged.get(name)
    ]


def check_ticket(
    merged: Mapping[str, str], *, creating: bool, pipelines: Pipelines = DEFAULT_PIPELINES
) -> list[Problem]:
    """A ticket needs subject, pipeline and stage, and the stage must belong to the pipeline."""
    problems = _required(merged, TICKET_REQUIRED) if creating else []
    pipeline, stage = merged.get("hs_pipeline"), merged.get("hs_pipeline_stage")
    if pipeline and pipeline not in pipelines:
        allowed = ", ".join(sorted(pipelines))
        problems.append(
            Problem(
                "hs_pipeline",
                "INVALID_OPTION",
                f"{pipeline} was not one of the allowed options: [{allowed}]",
            )
        )
    elif stage:
        stages = pipelines.get(pipeline or "0", frozenset())
        if stage not in stages:
            allowed = ", ".join(sorted(stages))
            problems.append(
                Problem(
                    "hs_pipeline_stage",
                    "INVALID_OPTION",
                    f"{stage} was not one of the allowed options: [{allowed}]",
                )
            )
    return problems


def _read_only(prop: JSON) -> bool:
    meta = prop.get("modificationMetadata") or {}
    return bool(meta.get("readOnlyValue") or prop.get("calculated"))


def _as_text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    return str(raw)


def _check_option(prop: JSON, value: str) -> tuple[str, Problem | None]:
    allowed = [str(o.get("value")) for o in prop.get("options") or []]
    parts = value.split(";") if prop.get("fieldType") == "checkbox" else [value]
    for part in parts:
        if part not in allowed:
            return value, Problem(
                str(prop["name"]),
                "INVALID_OPTION",
                f"{part} was not one of the allowed options: [{', '.join(allowed)}]",
            )
    return value, None


def _check_date(name: str, value: str) -> tuple[str, Problem | None]:
    text = value.strip()
    if re.fullmatch(r"-?\d+", text):
        ms = int(text)
        if ms % _DAY_MS:
            moment = datetime.fromtimestamp(ms / 1000, tz=UTC)
            clock = moment.strftime("%H:%M:%S.") + f"{ms % 1000:03d}"
            return value, Problem(name, "INVALID_DATE", f"{text} is at {clock} UTC, not midnight!")
        return datetime.fromtimestamp(ms / 1000, tz=UTC).date().isoformat(), None
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat(), None
        moment = datetime.fromisoformat(text)
    except ValueError:
        return value, Problem(name, "INVALID_DATE", f"{value} is not a valid date")
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    if moment.time() != datetime.min.time():
        return value, Problem(name, "INVALID_DATE", f"{value} is not at midnight UTC")
    return moment.date().isoformat(), None


def _check_datetime(name: str, value: str) -> tuple[str, Problem | None]:
    text = value.strip()
    if re.fullmatch(r"-?\d+", text):
        return iso(int(text)), None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return value, Problem(name, "INVALID_DATE", f"{value} is not a valid date-time")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return iso(int(moment.timestamp() * 1000)), None
