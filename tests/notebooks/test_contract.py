"""The notebooks' parameter contract (papermill's inspection) and what is committed of them."""

from __future__ import annotations

import re
from typing import Any

import nbformat
import papermill
import pytest

from crmkit.notebooks import NOTEBOOK_NAMES, NOTEBOOKS_DIR, REQUIRED_PARAMETERS, notebook_parameters
from crmkit.notebooks.publish import PLOTLY_MIMETYPE

SHARED_DEFAULTS: dict[str, Any] = {
    "data_dir": "../data",
    "run_id": None,
    "output_dir": "../output",
    "target": None,
    "dry_run": True,
    "progress": True,
    "mapping_file": None,
}
EXTRA: dict[str, dict[str, Any]] = {
    "01_validate.ipynb": {"strict": False},
    "02_map.ipynb": {},
    "03_import.ipynb": {"tier": "professional", "concurrency": 4, "strict": False},
    "04_report.ipynb": {},
}
MAX_COMMITTED_KB = 250


def _load(name: str) -> Any:
    return nbformat.read(str(NOTEBOOKS_DIR / name), as_version=4)


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_parameters_are_pinned(name: str) -> None:
    assert notebook_parameters(NOTEBOOKS_DIR / name) == SHARED_DEFAULTS | EXTRA[name]


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_papermill_sees_each_shared_parameter(name: str) -> None:
    found = papermill.inspect_notebook(str(NOTEBOOKS_DIR / name))
    assert set(REQUIRED_PARAMETERS) <= set(found)
    assert not [p for p in found if re.search("token|secret|key", p, re.IGNORECASE)]


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_committed_notebook_is_clean(name: str) -> None:
    """Small, portable, from the notebook's own cells: what GitHub shows and nbval compares."""
    path = NOTEBOOKS_DIR / name
    text = path.read_text(encoding="utf-8")
    book = _load(name)
    assert path.stat().st_size < MAX_COMMITTED_KB * 1024
    assert "papermill" not in book.metadata
    tags = [t for c in book.cells for t in c.metadata.get("tags", [])]
    assert "injected-parameters" not in tags
    assert tags.count("parameters") == 1
    params = next(c for c in book.cells if "parameters" in c.metadata.get("tags", []))
    assert params.outputs == []
    assert "/work/" not in text and "/tmp/" not in text and "/home/" not in text
    assert "pat-" not in text
    for cell in book.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if PLOTLY_MIMETYPE in data:
                assert "text/html" not in data  # no div, no plotly.js
            assert output.get("output_type") != "error"


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_committed_notebook_was_run_top_to_bottom(name: str) -> None:
    counts = [c.execution_count for c in _load(name).cells if c.cell_type == "code"]
    executed = [n for n in counts if n is not None]
    assert executed == sorted(executed) and len(executed) >= len(counts) - 1


def test_run_dependent_cells_are_tagged_for_nbval() -> None:
    """Committed outputs come from a real (demo) import; nbval runs the defaults (a dry run)."""
    book = _load("03_import.ipynb")
    for cell in book.cells:
        if "import_objects(" in cell.source or "finish_run(" in cell.source:
            assert "nbval-ignore-output" in cell.metadata.get("tags", [])


def test_sanitize_file_patterns_compile() -> None:
    import configparser

    parser = configparser.ConfigParser()
    parser.read(NOTEBOOKS_DIR / "sanitize.cfg")
    assert parser.sections()
    for section in parser.sections():
        re.compile(parser[section]["regex"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("run 20261128T101918Z-2cb420 done", "run RUN-ID done"),
        ("Target: http://127.0.0.1:40981", "Target: http://127.0.0.1:PORT"),
        ("Duration: 5.1 s", "Duration: N s"),
        ("at 2024-05-01T10:00:00Z", "at TIMESTAMP"),
    ],
)
def test_sanitize_file_rewrites_volatile_values(text: str, expected: str) -> None:
    import configparser

    parser = configparser.ConfigParser()
    parser.read(NOTEBOOKS_DIR / "sanitize.cfg")
    for section in parser.sections():
        text = re.sub(parser[section]["regex"], parser[section]["replace"], text)
    assert text == expected


def test_committed_records_match_the_demo_data() -> None:
    """The committed outputs of 01 and 03 come from one run: their row counts agree."""
    from crmkit.notebooks.records import read_records

    plan = read_records(NOTEBOOKS_DIR / "03_import.ipynb")["plan"]
    assert set(plan["objects"]) == {"companies", "contacts", "tickets"}
    validate = read_records(NOTEBOOKS_DIR / "01_validate.ipynb")["validate"]
    for object_type, counts in plan["objects"].items():
        assert counts["rows"] == validate[object_type]["rows"]
        assert counts["rejected"] == validate[object_type]["rejected"]
