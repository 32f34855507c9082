"""The notebooks' helper functions, recorded numbers and publishing outputs back."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import nbformat
import pytest
from tests.notebooks.small_export import NEW_FROM_TICKETS, TRUTH

from crmkit.errors import ConfigError
from crmkit.notebooks import steps
from crmkit.notebooks.publish import PLOTLY_MIMETYPE, publish_notebook
from crmkit.notebooks.records import RECORD_MIMETYPE, read_records, record_bundle
from crmkit.plan import build_plan
from crmkit.prepare import Prepared
from crmkit.report import figures


@pytest.fixture(scope="module")
def prepared(module_data: Path) -> Prepared:
    return steps.validate_folder(module_data)


def test_validation_summary_counts_every_row(prepared: Prepared) -> None:
    table = steps.validation_summary(prepared)
    for object_type, (rows, rejected) in TRUTH.items():
        line = table.loc[object_type]
        assert (line["rows"], line["rejected"], line["valid"]) == (rows, rejected, rows - rejected)
        assert line["quality %"] == pytest.approx(100.0 * (rows - rejected) / rows, abs=0.1)


def test_issues_table_and_counts(prepared: Prepared) -> None:
    issues = steps.issues_frame(prepared.issues)
    assert list(issues.columns) == steps.ISSUE_COLUMNS
    found = {(f, r, c) for f, r, c in issues[["file", "row", "category"]].itertuples(index=False)}
    assert found == {
        ("companies.csv", 4, "MISSING_REQUIRED"),
        ("contacts.csv", 4, "INVALID_EMAIL"),
        ("tickets.csv", 5, "INVALID_OPTION"),
    }
    assert steps.issues_frame(prepared.issues, severity="warning").empty
    counts = steps.issue_counts(prepared)
    assert counts.loc[("INVALID_EMAIL", "error"), "contacts"] == 1
    assert counts.to_numpy().sum() == len(prepared.issues)


def test_quality_report_draws_the_data_quality_chart(prepared: Prepared) -> None:
    report = steps.quality_report(prepared)
    assert set(report["quality"]) == set(TRUTH)
    fig = figures.data_quality(report)
    assert {trace.name.split(" ")[0] for trace in fig.data} == set(TRUTH)


def test_plan_and_links_tables(prepared: Prepared) -> None:
    plan = build_plan(prepared)
    table = steps.plan_table(plan)
    for object_type, (rows, rejected) in TRUTH.items():
        assert table.loc[object_type, "rows"] == rows
        assert table.loc[object_type, "to upsert"] == rows - rejected
    assert table.loc["contacts", "from tickets"] == NEW_FROM_TICKETS
    links = steps.links_table(plan)
    assert links["count"].sum() == len(plan.links)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"n": 3}, {"n": 3}),
        ({"path": Path("a/b"), "set": {2, 1}}, {"path": "a/b", "set": [1, 2]}),
        ({"nested": {"t": (1, 2)}}, {"nested": {"t": [1, 2]}}),
    ],
)
def test_record_bundle_is_plain_json(values: dict[str, Any], expected: dict[str, Any]) -> None:
    bundle = record_bundle("x", values, "text")
    assert bundle["text/markdown"] == "text"
    assert bundle[RECORD_MIMETYPE] == {"name": "x", "values": expected}


def _notebook(path: Path, outputs: list[dict[str, Any]], *, injected: bool = False) -> Path:
    book = nbformat.v4.new_notebook()
    book.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = nbformat.v4.new_code_cell("a = 1")
    params.metadata["tags"] = ["parameters"]
    params["id"] = "params"
    book.cells.append(params)
    if injected:
        extra = nbformat.v4.new_code_cell("a = 2")
        extra.metadata["tags"] = ["injected-parameters"]
        extra["id"] = "injected"
        book.cells.append(extra)
    body = nbformat.v4.new_code_cell("show()")
    body["id"] = "body"
    body.outputs = [nbformat.from_dict(o) for o in outputs]
    body.execution_count = 3
    book.cells.append(body)
    nbformat.write(book, str(path))
    return path


def test_read_records_last_one_wins(tmp_path: Path) -> None:
    outputs: list[dict[str, Any]] = [
        {"output_type": "display_data", "metadata": {}, "data": record_bundle("a", {"n": 1}, "")},
        {"output_type": "display_data", "metadata": {}, "data": record_bundle("a", {"n": 2}, "")},
        {"output_type": "display_data", "metadata": {}, "data": record_bundle("b", {"m": 0}, "")},
        {"output_type": "stream", "name": "stdout", "text": "hello"},
    ]
    path = _notebook(tmp_path / "n.ipynb", outputs)
    assert read_records(path) == {"a": {"n": 2}, "b": {"m": 0}}
    with pytest.raises(ConfigError):
        read_records(tmp_path / "missing.ipynb")


def test_publish_keeps_source_cells_and_cleans_outputs(tmp_path: Path) -> None:
    figure = {
        "output_type": "display_data",
        "metadata": {},
        "data": {PLOTLY_MIMETYPE: {"data": [], "layout": {}}, "text/html": "<div>big</div>"},
    }
    text = {"output_type": "stream", "name": "stdout", "text": "see /abs/out/runs/r1/report.json"}
    source = _notebook(tmp_path / "source.ipynb", [])
    executed = _notebook(tmp_path / "run.ipynb", [figure, text], injected=True)
    book = publish_notebook(executed, source, {"/abs/out": "../output"})
    assert [c.get("id") for c in book.cells] == ["params", "body"]
    figure_out, text_out = book.cells[1].outputs
    assert set(figure_out["data"]) == {PLOTLY_MIMETYPE}
    assert text_out["text"] == "see ../output/runs/r1/report.json"
    assert book.cells[1].execution_count == 2


def test_publish_refuses_a_token_and_a_changed_notebook(tmp_path: Path) -> None:
    leak = {"output_type": "stream", "name": "stdout", "text": "token sandbox-secret-123"}
    source = _notebook(tmp_path / "source.ipynb", [])
    executed = _notebook(tmp_path / "run.ipynb", [leak])
    with pytest.raises(ConfigError, match="token"):
        publish_notebook(executed, source, {}, secret="sandbox-secret-123")
    book = nbformat.read(str(source), as_version=4)
    book.cells.append(nbformat.v4.new_code_cell("new()"))
    nbformat.write(book, str(source))
    with pytest.raises(ConfigError, match="not executed"):
        publish_notebook(executed, source, {})


# -- where the import writes -------------------------------------------------------------


def test_dry_run_needs_no_target_and_no_token(clean_token_env: None) -> None:
    said: list[str] = []
    assert steps.import_target(None, True, say=said.append) is None
    assert steps.import_target("http://127.0.0.1:1", True, say=said.append) == "http://127.0.0.1:1"
    assert all("dry run" in line for line in said)


def test_real_run_against_a_target_needs_the_token_in_the_environment(
    clean_token_env: None,
) -> None:
    with pytest.raises(ConfigError, match="HUBSPOT_ACCESS_TOKEN"):
        steps.import_target("http://127.0.0.1:1", False, say=lambda _: None)


def test_real_run_without_target_starts_an_embedded_sandbox(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", "user-token-kept")
    said: list[str] = []
    url = steps.import_target(None, False, say=said.append)
    try:
        assert url is not None and url.startswith("http://127.0.0.1:")
        assert os.environ["HUBSPOT_ACCESS_TOKEN"] != "user-token-kept"
        import requests

        token = os.environ["HUBSPOT_ACCESS_TOKEN"]  # the sandbox's own: it is let in
        auth = {"Authorization": f"Bearer {token}"}
        stats = requests.get(f"{url}/_sandbox/stats", headers=auth, timeout=5).json()
        assert stats["requests"]["total"] == 0
    finally:
        steps.stop_embedded_sandbox()
    assert os.environ["HUBSPOT_ACCESS_TOKEN"] == "user-token-kept"
    assert "embedded sandbox" in said[0]


def test_schema_source(clean_token_env: None) -> None:
    said: list[str] = []
    assert steps.schema_source(None, say=said.append) is None
    assert steps.schema_source("http://127.0.0.1:1", say=said.append) is None
    assert "not set" in said[0]


def test_live_schema_from_a_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    from crmkit.sandbox import running

    with running() as box:
        monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", box.token)
        schema_for = steps.schema_source(box.base_url, say=lambda _: None)
        assert schema_for is not None
        assert schema_for("contacts").get("email") is not None
        assert schema_for("contacts") is schema_for("contacts")  # fetched once


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"dry_run": True, "mapping_file": None, "run_id": None}),
        ({"mapping_file": "", "run_id": ""}, {"mapping_file": None, "run_id": None}),
        (
            {"mapping_file": "m.json", "dry_run": False},
            {"mapping_file": Path("m.json"), "dry_run": False},
        ),
    ],
)
def test_import_options_from_parameters(params: dict[str, Any], expected: dict[str, Any]) -> None:
    options = steps.import_options("data", output_dir="out", **params)
    for name, value in expected.items():
        assert getattr(options, name) == value
    assert options.data_dir == Path("data") and options.output_dir == Path("out")


def test_import_options_are_validated() -> None:
    with pytest.raises(ConfigError):
        steps.import_options("data", run_id="../escape")


def test_record_json_round_trip() -> None:
    assert json.loads(json.dumps(record_bundle("r", {"x": 1.5}, "")))[RECORD_MIMETYPE][
        "values"
    ] == {"x": 1.5}


def test_value_table_lists_translations_and_misses(small_data: Path) -> None:
    from crmkit.review import ReviewState

    table = steps.value_table(ReviewState.from_folder(small_data))
    priority = table[table["column"] == "Priority"].iloc[0]
    assert priority["no option: value dropped"] == "Whenever"
    assert "High → HIGH" in priority["value → option"]
    assert set(table["column"]) == {"Industry", "Priority", "Status"}


def test_value_table_shows_values_left_empty(small_data: Path) -> None:
    from crmkit.review import EMPTY, ReviewState

    state = ReviewState.from_folder(small_data)
    state.set_value("tickets", "Priority", "Whenever", EMPTY)
    priority = steps.value_table(state).set_index("column").loc["Priority"]
    assert "Whenever → (empty)" in priority["value → option"]
    assert priority["no option: value dropped"] == ""
