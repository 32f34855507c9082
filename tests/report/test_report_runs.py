"""Loading one run for the report notebook: the latest by start time, or a named one."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmkit.errors import ConfigError
from crmkit.report.runs import latest_run_id, load_run
from tests.support.report_scenarios import make_report, write_run


@pytest.fixture
def output(tmp_path: Path) -> Path:
    write_run(tmp_path, make_report(run_id="zz-old", started_at="2024-01-01T00:00:00Z"))
    newest = write_run(tmp_path, make_report(run_id="aa-new", started_at="2024-06-01T00:00:00Z"))
    (newest / "summary.txt").write_text("all good\n", encoding="utf-8")
    return tmp_path


def test_latest_run_is_the_one_that_started_last_not_the_last_name(output: Path) -> None:
    assert latest_run_id(output) == "aa-new"


def test_load_run_defaults_to_the_latest(output: Path) -> None:
    run = load_run(output)
    assert run.run_id == "aa-new"
    assert run.report["started_at"] == "2024-06-01T00:00:00Z"
    assert run.summary == "all good\n"
    assert run.errors_csv == output / "runs" / "aa-new" / "errors.csv"


def test_load_named_run_without_summary(output: Path) -> None:
    run = load_run(output, "zz-old")
    assert run.run_id == "zz-old" and run.summary == ""


@pytest.mark.parametrize(
    ("setup", "run_id", "message"),
    [
        ("empty", None, "no runs in"),
        ("empty", "missing", "has no report.json"),
        ("broken", "broken", "not valid JSON"),
        ("list", "list", "does not hold a report"),
    ],
)
def test_load_run_mistakes_are_config_errors(
    tmp_path: Path, setup: str, run_id: str | None, message: str
) -> None:
    if setup != "empty":
        folder = tmp_path / "runs" / setup
        folder.mkdir(parents=True)
        (folder / "report.json").write_text("{oops" if setup == "broken" else "[]")
    with pytest.raises(ConfigError, match=message):
        load_run(tmp_path, run_id)
