"""Key numbers a notebook records, so tests and tools read them back from the executed file.

A record is one ``display_data`` output carrying two representations: ``text/markdown`` for
people (GitHub, JupyterLab and report.html show it) and a JSON payload under
:data:`RECORD_MIMETYPE` that only :func:`read_records` looks at. Tests assert on the payload,
never on rendered output, so wording can change without breaking them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nbformat

from crmkit.errors import ConfigError

RECORD_MIMETYPE = "application/vnd.crmkit.record+json"


def _plain(value: Any) -> Any:
    """JSON-safe copy (numpy numbers and tuples become plain numbers and lists)."""
    return json.loads(json.dumps(value, default=_default))


def _default(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot record a {type(value).__name__}")


def record_bundle(name: str, values: Mapping[str, Any], text: str) -> dict[str, Any]:
    """The mime bundle :func:`record` displays (separate so it is testable without a kernel)."""
    return {"text/markdown": text, RECORD_MIMETYPE: {"name": name, "values": _plain(values)}}


def record(name: str, values: Mapping[str, Any], text: str | None = None) -> None:
    """Display ``text`` (default: the values as a line) and record ``values`` under ``name``."""
    from IPython.display import display

    shown = text if text is not None else ", ".join(f"{k}: **{v}**" for k, v in values.items())
    display(record_bundle(name, values, shown), raw=True)


def read_records(notebook: Path | str) -> dict[str, dict[str, Any]]:
    """``{name: values}`` of every record in an executed notebook (a later one wins)."""
    path = Path(notebook)
    try:
        nb = nbformat.read(str(path), as_version=4)
    except FileNotFoundError:
        raise ConfigError(f"notebook {path} does not exist") from None
    found: dict[str, dict[str, Any]] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            payload = output.get("data", {}).get(RECORD_MIMETYPE)
            if isinstance(payload, dict) and "name" in payload:
                found[str(payload["name"])] = dict(payload.get("values") or {})
    return found
