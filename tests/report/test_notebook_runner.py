"""run_notebooks end to end with small notebooks: papermill, kernel environment, export."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from plotly.offline import get_plotlyjs

from crmkit.errors import ConfigError, NotebookError
from crmkit.notebooks import run_notebooks
from crmkit.report.html import find_network_references
from tests.support.notebook_builders import code, markdown, notebook, save

TOKEN = "pat-na1-runner-test-token-0123456789"
PARAMETERS = """\
data_dir = "data"
run_id = None
output_dir = "output"
target = None
dry_run = False
progress = True
mapping_file = None
"""
WRITER = """\
import json, os, pathlib
run_dir = pathlib.Path(output_dir) / "runs" / run_id
run_dir.mkdir(parents=True, exist_ok=True)
seen = {
    "token_in_env": bool(os.environ.get("HUBSPOT_ACCESS_TOKEN")),
    "html_flag": os.environ.get("CRMKIT_REPORT_HTML"),
    "dry_run": dry_run, "progress": progress, "batch_size": batch_size,
    "data_dir": data_dir, "target": target,
}
(run_dir / "seen.json").write_text(json.dumps(seen))
(run_dir / "report.json").write_text(json.dumps(REPORT))
print("report written for", run_id)
"""
REPORTER = """\
import json, pathlib
from crmkit.report import figures
report = json.loads((pathlib.Path(output_dir) / "runs" / run_id / "report.json").read_text())
for fig in figures.report_figures(report):
    fig.show()
"""


def write_notebooks(folder: Path, report: dict[str, Any]) -> list[Path]:
    """A writer notebook (like 03_import) and a report notebook (like 04_report)."""
    writer = notebook(
        markdown("# Import"),
        code(PARAMETERS + "batch_size = 100\n", tags=("parameters",)),
        code("import json\nREPORT = json.loads(" + repr(json.dumps(report)) + ")\n" + WRITER),
    )
    reporter = notebook(
        markdown("# Report"), code(PARAMETERS, tags=("parameters",)), code(REPORTER)
    )
    return [save(writer, folder / "03_import.ipynb"), save(reporter, folder / "04_report.ipynb")]


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One run of two notebooks with -p values, a token in the environment and a fixed id."""
    from tests.support.report_scenarios import batch, make_report

    root = tmp_path_factory.mktemp("batch")
    report = make_report(
        run_id="r1",
        objects={"contacts": {"rows": 3, "created": 2, "failed": 1}},
        batches=[batch(0.0, 2, failed=1)],
        timeline=[{"t": 0, "requests": 1, "retried": 0, "rate_limited": 0, "server_errors": 0}],
        errors={"CONFLICT": 1},
        quality={"contacts": {"score": 1.0, "columns": {"email": 1.0}}},
        associations={"planned": 1, "created": 1, "failed": 0},
        ceiling=100.0,
    )
    sources = write_notebooks(root / "src", report)
    (root / "data").mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HUBSPOT_ACCESS_TOKEN", TOKEN)
        mp.delenv("CRMKIT_REPORT_HTML", raising=False)
        path = run_notebooks(
            root / "data",
            target="http://127.0.0.1:9",
            run_id="r1",
            params={"dry_run": "true", "batch_size": "250"},
            output_dir=root / "output",
            notebooks=sources,
        )
        flag_after = os.environ.get("CRMKIT_REPORT_HTML")
    run_dir = root / "output" / "runs" / "r1"
    return {"path": path, "run_dir": run_dir, "root": root, "flag_after": flag_after}


def test_report_lands_in_the_run_folder(batch_run: dict[str, Any]) -> None:
    run_dir = batch_run["run_dir"]
    assert batch_run["path"] == run_dir / "report.html"
    assert sorted(p.name for p in (run_dir / "notebooks").iterdir()) == [
        "03_import.ipynb",
        "04_report.ipynb",
    ]
    report = json.loads((run_dir / "report.json").read_text())
    assert report["files"]["report_html"] == "report.html"


def test_kernel_gets_typed_parameters_and_the_environment(batch_run: dict[str, Any]) -> None:
    """-p strings arrive typed; progress is off in batch; the token comes by environment."""
    seen = json.loads((batch_run["run_dir"] / "seen.json").read_text())
    assert seen == {
        "token_in_env": True,
        "html_flag": "1",
        "dry_run": True,
        "progress": False,
        "batch_size": 250,
        "data_dir": str(batch_run["root"] / "data"),
        "target": "http://127.0.0.1:9",
    }
    assert batch_run["flag_after"] is None


def test_token_is_nowhere_in_the_run_files(batch_run: dict[str, Any]) -> None:
    for path in batch_run["run_dir"].rglob("*"):
        if path.is_file():
            assert TOKEN not in path.read_text(encoding="utf-8", errors="replace"), path


def test_report_draws_every_figure_offline(batch_run: dict[str, Any]) -> None:
    """The page is built from the run folder: its charts, plotly.js once, no notebook cell."""
    html = batch_run["path"].read_text(encoding="utf-8")
    assert html.count("Plotly.newPlot(") == 6  # five charts and the appendix's data quality
    assert html.count(get_plotlyjs()[:300]) == 1
    assert find_network_references(html) == []
    assert "report written for r1" not in html  # notebook outputs stay in the notebooks
    assert "batch_size" not in html


def test_a_failing_notebook_raises_after_writing_the_page(tmp_path: Path) -> None:
    """The page says which notebook stopped and why, first; the later notebook never ran."""
    broken = notebook(
        code(PARAMETERS, tags=("parameters",)),
        code("print('before the failure')"),
        code("raise ValueError('the CSV folder is odd')"),
    )
    never = notebook(code(PARAMETERS, tags=("parameters",)), code("print('never runs')"))
    sources = [save(broken, tmp_path / "a.ipynb"), save(never, tmp_path / "b.ipynb")]
    (tmp_path / "data").mkdir()
    with pytest.raises(NotebookError, match=r"a\.ipynb stopped at cell .*ValueError") as info:
        run_notebooks(
            tmp_path / "data", run_id="bad", output_dir=tmp_path / "out", notebooks=sources
        )
    assert info.value.ename == "ValueError"
    html = Path(str(info.value.report_path)).read_text(encoding="utf-8")
    assert "a.ipynb stopped: ValueError: the CSV folder is odd" in html
    assert "never runs" not in html
    assert not (tmp_path / "out" / "runs" / "bad" / "notebooks" / "b.ipynb").exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"params": {"dryrun": "1"}}, "unknown parameter 'dryrun'"),
        ({"params": {"data_dir": "/elsewhere"}}, "with --data"),
        ({"params": {"access_token": "x"}}, "HUBSPOT_ACCESS_TOKEN"),
        ({"params": {"dry_run": "perhaps"}}, "dry_run='perhaps'"),
        ({"run_id": "../escape"}, "run id"),
        ({"data_dir": "no-such-folder"}, "does not exist"),
    ],
)
def test_mistakes_are_config_errors_before_any_kernel_starts(
    tmp_path: Path, kwargs: dict[str, Any], message: str
) -> None:
    source = save(notebook(code(PARAMETERS, tags=("parameters",))), tmp_path / "n.ipynb")
    (tmp_path / "data").mkdir()
    arguments: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "output_dir": tmp_path / "out",
        "notebooks": [source],
    } | kwargs
    if arguments["data_dir"] == "no-such-folder":
        arguments["data_dir"] = tmp_path / "no-such-folder"
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        run_notebooks(**arguments)
    assert not (tmp_path / "out" / "runs").exists()
