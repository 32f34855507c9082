"""The notebooks executed for real: papermill with other parameters, and ``crmkit run``.

Numbers are read back from what the notebooks recorded (``crmkit.notebooks.records``) and from
the run's report.json, never from rendered output.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import papermill
import pytest
from tests.notebooks.small_export import NEW_FROM_TICKETS, TRUTH, write_folder

from crmkit.notebooks import NOTEBOOKS_DIR, run_notebooks
from crmkit.notebooks.records import read_records
from crmkit.notebooks.runner import kernel_environment
from crmkit.sandbox import running

RUN_ID = "nb-test-run"
MAPPING = {
    "version": 1,
    "contacts": {"columns": {"Job Title": None}},
    "tickets": {"values": {"Priority": {"Whenever": "LOW"}}},
}
"""Leaves job titles out and rescues ticket row 5 ("Whenever" → LOW): 0 tickets rejected."""


def execute(name: str, out: Path, **parameters: Any) -> dict[str, dict[str, Any]]:
    """Run one notebook as nbval would (cwd = notebooks/) and return what it recorded."""
    executed = out / name
    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / name),
        str(executed),
        parameters=parameters,
        cwd=str(NOTEBOOKS_DIR),
        kernel_name="python3",
        progress_bar=False,
    )
    return read_records(executed)


def test_import_notebook_dry_run_on_another_folder(small_data: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    records = execute(
        "03_import.ipynb",
        tmp_path,
        data_dir=str(small_data),
        output_dir=str(output),
        run_id="dry-1",
        progress=False,
    )
    assert records["import"]["status"] == "planned"
    assert records["import"]["dry_run"] is True
    plan = records["plan"]["objects"]
    for object_type, (rows, rejected) in TRUTH.items():
        assert plan[object_type]["rows"] == rows
        assert plan[object_type]["rejected"] == rejected
        assert plan[object_type]["records"] == rows - rejected
    run_dir = output / "runs" / "dry-1"
    report = json.loads((run_dir / "report.json").read_text())
    assert report["objects"]["contacts"]["planned"] == plan["contacts"]["records"]
    assert not (run_dir / "journal.sqlite").exists()  # a dry run journals nothing


def test_import_notebook_without_target_imports_into_an_embedded_sandbox(
    small_data: Path, tmp_path: Path, clean_token_env: None
) -> None:
    records = execute(
        "03_import.ipynb",
        tmp_path,
        data_dir=str(small_data),
        output_dir=str(tmp_path / "output"),
        dry_run=False,
        progress=False,
    )
    result = records["import"]
    assert result["status"] == "complete" and result["dry_run"] is False
    for object_type, (rows, rejected) in TRUTH.items():
        counts = result["objects"][object_type]
        assert counts["created"] == rows - rejected
        assert counts["failed"] == 0
    assert result["objects"]["contacts"]["created_from_tickets"] == NEW_FROM_TICKETS
    assert result["associations"]["created"] == result["associations"]["planned"] > 0


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """``crmkit run`` (run_notebooks) on a small folder against a sandbox, with a mapping file."""
    base = tmp_path_factory.mktemp("batch")
    data = write_folder(base / "data")
    mapping = base / "mapping.json"
    mapping.write_text(json.dumps(MAPPING), encoding="utf-8")
    with running() as box, kernel_environment({"HUBSPOT_ACCESS_TOKEN": box.token}):
        report_html = run_notebooks(
            data,
            target=box.base_url,
            run_id=RUN_ID,
            params={"dry_run": "false", "mapping_file": str(mapping)},
            output_dir=base / "output",
            log=lambda _line: None,
        )
        stats = box.stats()
    run_dir = base / "output" / "runs" / RUN_ID
    yield {
        "html": report_html,
        "run_dir": run_dir,
        "report": json.loads((run_dir / "report.json").read_text()),
        "stats": stats,
        "token": box.token,
        "records": {p.name: read_records(p) for p in (run_dir / "notebooks").glob("*.ipynb")},
    }


def test_batch_run_writes_one_report_page(batch_run: dict[str, Any]) -> None:
    html = batch_run["html"]
    assert html == batch_run["run_dir"] / "report.html" and html.is_file()
    assert batch_run["token"] not in html.read_text(encoding="utf-8")
    assert Path(batch_run["report"]["files"]["report_html"]).name == "report.html"
    notebooks = sorted(p.name for p in (batch_run["run_dir"] / "notebooks").glob("*.ipynb"))
    assert notebooks == ["01_validate.ipynb", "02_map.ipynb", "03_import.ipynb", "04_report.ipynb"]


def test_batch_run_numbers_agree_with_the_sandbox(batch_run: dict[str, Any]) -> None:
    report, stats = batch_run["report"], batch_run["stats"]
    assert report["status"] == "complete"
    objects = report["objects"]
    assert stats["records"]["companies"] == objects["companies"]["created"]
    assert stats["records"]["tickets"] == objects["tickets"]["created"]
    assert (
        stats["records"]["contacts"]
        == objects["contacts"]["created"] + objects["contacts"]["created_from_tickets"]
    )
    assert stats["associations"] == report["associations"]["created"]
    assert stats["requests"]["total"] >= report["requests"]["total"]


def test_batch_run_applies_the_mapping_file_everywhere(batch_run: dict[str, Any]) -> None:
    records = batch_run["records"]
    validate = records["01_validate.ipynb"]["validate"]
    assert validate["tickets"]["rejected"] == 0  # "Whenever" mapped by the file
    assert validate["contacts"]["rejected"] == TRUTH["contacts"][1]
    mapping = records["02_map.ipynb"]["mapping"]
    assert mapping["source"] == "file"
    assert "Job Title" not in mapping["contacts"]["mapped"]
    assert mapping["tickets"]["unmatched_values"] == {}
    plan = records["03_import.ipynb"]["plan"]["objects"]
    assert plan["tickets"]["records"] == TRUTH["tickets"][0]
    assert batch_run["report"]["objects"]["tickets"]["created"] == TRUTH["tickets"][0]


def test_report_notebook_shows_the_run_the_import_made(batch_run: dict[str, Any]) -> None:
    records = batch_run["records"]
    assert records["03_import.ipynb"]["import"]["run_id"] == RUN_ID
    assert records["04_report.ipynb"]["report"] == {"run_id": RUN_ID, "status": "complete"}
