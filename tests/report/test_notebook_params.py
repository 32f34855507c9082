"""The parameter contract: inspection, typing of -p values, refusing secrets and typos."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crmkit.errors import ConfigError
from crmkit.notebooks.params import (
    check_not_secret,
    notebook_parameters,
    parameters_for,
    parse_value,
    resolve_parameters,
)
from tests.support.notebook_builders import code, notebook, save

PARAMETER_CELL = """\
data_dir = "data"  # folder with the CSV files
run_id = None
target = None
dry_run = False
progress = True
concurrency = 4
ratio = 0.5
mapping_file = "mapping.json"
"""


@pytest.fixture
def params_notebook(tmp_path: Path) -> Path:
    return save(
        notebook(code(PARAMETER_CELL, tags=("parameters",)), code("print(data_dir)")),
        tmp_path / "p.ipynb",
    )


def test_notebook_parameters_reads_defaults_as_values(params_notebook: Path) -> None:
    assert notebook_parameters(params_notebook) == {
        "data_dir": "data",
        "run_id": None,
        "target": None,
        "dry_run": False,
        "progress": True,
        "concurrency": 4,
        "ratio": 0.5,
        "mapping_file": "mapping.json",
    }


def test_notebook_parameters_of_a_missing_notebook(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        notebook_parameters(tmp_path / "missing.ipynb")


@pytest.mark.parametrize(
    ("text", "default", "expected"),
    [
        ("true", False, True),
        ("No", True, False),
        ("0", True, False),
        ("8", 4, 8),
        ("0.25", 0.5, 0.25),
        ("None", "mapping.json", None),
        ("other.json", "mapping.json", "other.json"),
        ("http://127.0.0.1:8080", None, "http://127.0.0.1:8080"),
        ("", None, None),
        ("true", None, True),
        ("1", None, "1"),
    ],
)
def test_parse_value_follows_the_default_type(text: str, default: Any, expected: Any) -> None:
    assert parse_value("p", text, default) == expected
    assert type(parse_value("p", text, default)) is type(expected)


@pytest.mark.parametrize(("text", "default"), [("maybe", False), ("four", 4), ("x", 0.5)])
def test_parse_value_rejects_a_value_of_the_wrong_type(text: str, default: Any) -> None:
    with pytest.raises(ConfigError, match=f"p={text!r}"):
        parse_value("p", text, default)


def test_resolve_types_values_against_any_notebook_that_declares_them() -> None:
    declared = {"01.ipynb": {"dry_run": False}, "02.ipynb": {"concurrency": 4}}
    assert resolve_parameters({"dry_run": "yes", "concurrency": "2"}, declared) == {
        "dry_run": True,
        "concurrency": 2,
    }


def test_resolve_refuses_a_name_no_notebook_declares() -> None:
    with pytest.raises(ConfigError, match=r"unknown parameter 'dryrun'.*dry_run"):
        resolve_parameters({"dryrun": "true"}, {"01.ipynb": {"dry_run": False}})


@pytest.mark.parametrize(
    "params",
    [
        {"hubspot_token": "abc"},
        {"api_key": "abc"},
        {"HAPIKEY": "abc"},
        {"note": "prefix-pat-na1-secretvalue-suffix"},
    ],
)
def test_secrets_are_never_parameters(params: dict[str, str]) -> None:
    """Papermill writes parameters into the executed notebook, so a token must not be one."""
    with pytest.raises(ConfigError, match="HUBSPOT_ACCESS_TOKEN"):
        check_not_secret(params, {"HUBSPOT_ACCESS_TOKEN": "pat-na1-secretvalue"})


def test_parameters_for_keeps_what_a_notebook_declares() -> None:
    values = {"data_dir": "/d", "batch_size": 5, "progress": False}
    assert parameters_for({"data_dir": "data", "progress": True}, values) == {
        "data_dir": "/d",
        "progress": False,
    }


def test_report_notebook_parameters_are_pinned() -> None:
    """04_report's contract: the shared parameters with defaults that work from notebooks/."""
    from crmkit.notebooks import NOTEBOOKS_DIR, REQUIRED_PARAMETERS

    params = notebook_parameters(NOTEBOOKS_DIR / "04_report.ipynb")
    assert set(REQUIRED_PARAMETERS) <= set(params)
    assert params == {
        "data_dir": "../data",
        "run_id": None,
        "output_dir": "../output",
        "target": None,
        "dry_run": True,
        "progress": True,
        "mapping_file": None,
    }


@pytest.mark.parametrize(
    ("target", "user", "expected_dry_run"),
    [
        (None, {}, None),  # no target: the notebooks' own default (a dry run) applies
        ("http://127.0.0.1:9", {}, False),  # a target means importing into it
        ("http://127.0.0.1:9", {"dry_run": "true"}, True),  # unless the user says plan only
    ],
)
def test_a_target_turns_the_dry_run_off_unless_asked(
    target: str | None, user: dict[str, str], expected_dry_run: bool | None
) -> None:
    """`crmkit run --target URL` imports; `-p dry_run=true` keeps it a plan."""
    from crmkit.notebooks.params import notebook_parameters
    from crmkit.notebooks.runner import batch_parameters, default_notebooks

    declared = {p.name: notebook_parameters(p) for p in default_notebooks()}
    values = batch_parameters(user, declared, target)
    assert values.get("dry_run") is expected_dry_run
    assert values["progress"] is False
