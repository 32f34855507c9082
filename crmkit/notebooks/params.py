"""The notebooks' parameter contract: what each declares, and turning ``-p name=value`` into it.

Papermill reads the cell tagged ``parameters``. Write parameters there as plain assignments
(``target = None``, optionally ``name: Optional[str] = None``): papermill's parser skips lines
annotated with ``X | None``, which would silently drop that parameter from the contract.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import papermill

from crmkit.errors import ConfigError

REQUIRED_PARAMETERS: tuple[str, ...] = (
    "data_dir",
    "run_id",
    "output_dir",
    "target",
    "dry_run",
    "progress",
    "mapping_file",
)
"""Every crmkit notebook declares at least these (docs/architecture.md)."""

_SECRET_NAME = re.compile(r"token|secret|password|api_?key|hapikey|authorization", re.IGNORECASE)
_NONE_WORDS = frozenset({"none", "null", ""})
_TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
_FALSE_WORDS = frozenset({"false", "no", "off", "0"})


def notebook_parameters(path: Path | str) -> dict[str, Any]:
    """Name → default value (Python literal, or its source text when not a literal).

    This is the contract a test pins: papermill's inspection of the ``parameters`` cell.
    """
    notebook = Path(path)
    if not notebook.is_file():
        raise ConfigError(f"notebook {notebook} does not exist")
    try:
        found = papermill.inspect_notebook(str(notebook), parameters=None)
    except ValueError as exc:  # no kernel or language in the metadata, unparseable JSON
        raise ConfigError(f"notebook {notebook}: {exc}") from None
    return {name: _literal(spec.get("default", "None")) for name, spec in found.items()}


def _literal(source: str) -> Any:
    try:
        return ast.literal_eval(source)
    except (ValueError, SyntaxError):
        return source


def parse_value(name: str, text: str, default: Any) -> Any:
    """Turn a command-line string into the type of the notebook's default for ``name``."""
    word = text.strip().lower()
    try:
        if isinstance(default, bool):
            if word in _TRUE_WORDS:
                return True
            if word in _FALSE_WORDS:
                return False
            raise ValueError("expected true or false")
        if default is not None and word in _NONE_WORDS - {""}:
            return None
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
        if default is None:
            if word in _NONE_WORDS:
                return None
            if word in _TRUE_WORDS - {"1"} or word in _FALSE_WORDS - {"0"}:
                return word in _TRUE_WORDS
        return text
    except ValueError as exc:
        raise ConfigError(f"parameter {name}={text!r}: {exc}") from None


def check_not_secret(params: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> None:
    """Refuse a token passed as a parameter: papermill writes parameters into the notebook."""
    env = os.environ if environ is None else environ
    token = env.get("HUBSPOT_ACCESS_TOKEN", "")
    for name, value in params.items():
        if _SECRET_NAME.search(name) or (token and isinstance(value, str) and token in value):
            raise ConfigError(
                f"parameter {name!r} looks like a secret; parameters are saved in the executed "
                "notebooks, so pass the token through HUBSPOT_ACCESS_TOKEN instead"
            )


def resolve_parameters(
    user: Mapping[str, Any], declared: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """Check ``user`` parameters against every notebook's declarations and type them.

    ``declared`` maps notebook name → its ``notebook_parameters``. A name no notebook declares
    is a typo the user wants to hear about, not something papermill should inject silently.
    """
    check_not_secret(user)
    defaults: dict[str, Any] = {}
    for params in declared.values():
        for name, default in params.items():
            defaults.setdefault(name, default)
    resolved: dict[str, Any] = {}
    for name, value in user.items():
        if name not in defaults:
            known = ", ".join(sorted(defaults)) or "none"
            raise ConfigError(f"unknown parameter {name!r}; the notebooks take: {known}")
        if isinstance(value, str):
            value = parse_value(name, value, defaults[name])
        resolved[name] = value
    return resolved


def parameters_for(notebook_params: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """The subset of ``values`` one notebook declares (papermill warns about the others)."""
    return {name: value for name, value in values.items() if name in notebook_params}
