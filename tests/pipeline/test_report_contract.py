"""report.json has exactly the keys and types of crmkit.pipeline.report_types: real runs of the
CLI against the sandbox (a preview, an import, a verify) are checked against the TypedDicts."""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path
from typing import Any, Literal, NotRequired, get_args, get_origin

import pytest

from crmkit.cli import main
from crmkit.pipeline.report_types import Report
from crmkit.sandbox import running
from tests.notebooks.small_export import write_folder


def problems(value: Any, hint: Any, where: str) -> list[str]:
    """Where ``value`` differs from the type ``hint`` (TypedDicts key by key)."""
    origin = get_origin(hint)
    if origin is NotRequired:
        return problems(value, get_args(hint)[0], where)
    if typing.is_typeddict(hint):
        if not isinstance(value, dict):
            return [f"{where}: a {type(value).__name__}, not an object"]
        hints = typing.get_type_hints(hint)
        found = [f"{where}.{k}: not in {hint.__name__}" for k in value if k not in hints]
        found += [f"{where}.{k}: missing" for k in hint.__required_keys__ if k not in value]
        for key, sub in hints.items():
            if key in value:
                found += problems(value[key], sub, f"{where}.{key}")
        return found
    if hint is Any:
        return []
    if origin is Literal:
        return [] if value in get_args(hint) else [f"{where}: {value!r} not in {get_args(hint)}"]
    if origin in (typing.Union, types.UnionType):
        options = [problems(value, arg, where) for arg in get_args(hint)]
        return [] if any(not o for o in options) else options[0]
    if hint is type(None):
        return [] if value is None else [f"{where}: {value!r} is not null"]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{where}: not an object"]
        return [p for k, v in value.items() for p in problems(v, get_args(hint)[1], f"{where}.{k}")]
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: not a list"]
        return [
            p for i, v in enumerate(value) for p in problems(v, get_args(hint)[0], f"{where}[{i}]")
        ]
    if hint is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return [] if ok else [f"{where}: {value!r} is not a number"]
    return [] if isinstance(value, hint) else [f"{where}: {value!r} is not {hint.__name__}"]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """A preview, an import and a verify of the small export, as report.json dicts."""
    base = tmp_path_factory.mktemp("contract")
    data = write_folder(base / "data")
    out = base / "out"
    with running(tier="enterprise") as box, pytest.MonkeyPatch.context() as env:
        env.setenv("HUBSPOT_ACCESS_TOKEN", box.token)
        common = ["--data", str(data), "--target", box.base_url, "--output", str(out)]
        assert main(["import", *common, "--no-progress", "--dry-run", "--run-id", "p"]) == 0
        assert main(["import", *common, "--no-progress", "--run-id", "i"]) in (0, 1)
        assert main(["verify", "i", "--target", box.base_url, "--output", str(out)]) == 0
    return {r: json.loads((out / "runs" / r / "report.json").read_text()) for r in ("p", "i")}


@pytest.mark.parametrize("run", ["p", "i"])
def test_report_json_matches_its_types(reports: dict[str, dict[str, Any]], run: str) -> None:
    """Every key is declared, every required key is there, every value has its type."""
    assert problems(reports[run], Report, "report") == []


def test_optional_sections_appear_where_the_run_made_them(
    reports: dict[str, dict[str, Any]],
) -> None:
    """The preview carries would_create/would_update; the verified import carries verify."""
    assert "would_create" in reports["p"]["objects"]["contacts"]
    assert reports["i"]["verify"]["ok"] is True
    assert "verify" not in reports["p"]


def test_a_preview_names_the_portal_it_compared_with(reports: dict[str, dict[str, Any]]) -> None:
    """A dry run against a portal reports that portal (URL and hub id), like the import."""
    assert reports["p"]["target"] == reports["i"]["target"]
    assert reports["p"]["portal_id"] == reports["i"]["portal_id"] is not None


def test_the_checker_catches_an_undeclared_key() -> None:
    """The check can fail: an extra key or a wrong type is named."""
    wrong: dict[str, Any] = {"checked": 1, "matched": "1", "mismatched": 0, "missing": 0}
    from crmkit.pipeline.report_types import Verification

    found = problems({**wrong, "surprise": 1}, Verification, "v")
    assert "v.surprise: not in Verification" in found
    assert "v.ok: missing" in found
    assert any(p.startswith("v.matched:") for p in found)


def test_architecture_doc_names_the_types() -> None:
    """docs/architecture.md points readers at the types instead of restating every key."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "architecture.md").read_text()
    assert "crmkit.pipeline.report_types" in doc
