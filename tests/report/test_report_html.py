"""HTML export of notebooks: one self-contained page, no code, no token, plotly.js once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from plotly.offline import get_plotlyjs

from crmkit.errors import ConfigError
from crmkit.report import figures
from crmkit.report.html import export_report, find_network_references, render_report
from tests.support.notebook_builders import (
    code,
    figure_output,
    markdown,
    notebook,
    save,
    stream,
    widget_output,
)

TOKEN = "pat-na1-fakeaaaa-1111-bbbb-2222-cccc3333dddd"
PLOTLYJS_MARK = get_plotlyjs()[:300]


@pytest.fixture
def two_notebooks(tmp_path: Path, faulty_run: dict[str, Any]) -> list[Path]:
    """A validate-like and a report-like notebook, outputs as a kernel would leave them."""
    first = notebook(
        markdown("# Validation of the demo folder"),
        code("data_dir = 'secret_input_value'", tags=("parameters",)),
        code("run_id = 'x'", tags=("injected-parameters",)),
        code("import crmkit  # distinctive_source_text", stream("validated 14 rows\n")),
        code("warn()", stream("FutureWarning: noisy library\n", name="stderr")),
        code("bar", widget_output()),
        code("hidden()", stream("hidden output\n"), tags=("report-skip",)),
        code("fig", figure_output(figures.data_quality(faulty_run))),
    )
    second = notebook(
        markdown("## Import report"),
        code("fig", figure_output(figures.success_by_object(faulty_run))),
        code("fig", figure_output(figures.throughput(faulty_run))),
        code("leak", stream(f"token is {TOKEN}\n")),
    )
    return [save(first, tmp_path / "01.ipynb"), save(second, tmp_path / "02.ipynb")]


def test_report_holds_outputs_and_markdown_but_no_code(two_notebooks: list[Path]) -> None:
    html = render_report(two_notebooks, title="crmkit report · r1")
    assert "<title>crmkit report · r1</title>" in html
    assert "Validation of the demo folder" in html and "Import report" in html
    assert "validated 14 rows" in html
    assert "distinctive_source_text" not in html
    assert "secret_input_value" not in html


@pytest.mark.parametrize(
    "absent",
    ["FutureWarning: noisy library", "HBox(children=", "hidden output"],
    ids=["stderr", "widget", "report-skip"],
)
def test_outputs_a_static_page_cannot_use_are_dropped(
    two_notebooks: list[Path], absent: str
) -> None:
    assert absent not in render_report(two_notebooks)


def test_plotlyjs_embedded_once_and_every_figure_converted(two_notebooks: list[Path]) -> None:
    """Three JSON-only figures across two notebooks: three drawn divs, one plotly.js."""
    html = render_report(two_notebooks)
    assert html.count(PLOTLYJS_MARK) == 1
    assert html.count("Plotly.newPlot(") == 3


def test_page_refers_to_nothing_on_the_network(two_notebooks: list[Path]) -> None:
    html = render_report(two_notebooks)
    assert find_network_references(html) == []
    for cdn in ("require.js", "require.min.js", "mathjax", "html-manager", "mermaid.esm"):
        assert cdn not in html.lower().replace(get_plotlyjs().lower(), "")


def test_no_plotlyjs_without_figures(tmp_path: Path) -> None:
    path = save(
        notebook(markdown("# nothing to draw"), code("1", stream("1\n"))), tmp_path / "a.ipynb"
    )
    assert PLOTLYJS_MARK not in render_report([path])


def test_export_redacts_the_token_and_warns(two_notebooks: list[Path], tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="redacted"):
        path = export_report(two_notebooks, tmp_path / "out" / "report.html", secrets=[TOKEN])
    html = path.read_text(encoding="utf-8")
    assert TOKEN not in html
    assert "token is [REDACTED]" in html
    assert not list(path.parent.glob("*.partial"))


def test_export_reads_the_token_from_the_environment(
    two_notebooks: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", TOKEN)
    with pytest.warns(UserWarning, match="redacted"):
        path = export_report(two_notebooks, tmp_path / "report.html")
    assert TOKEN not in path.read_text(encoding="utf-8")


def test_missing_notebook_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        render_report([tmp_path / "nope.ipynb"])


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ('<script src="https://cdn.example/require.js"></script>', True),
        ("<script src='//cdn.example/x.js'></script>", True),
        ('<link rel="stylesheet" href="http://fonts.example/css">', True),
        ('<img src="https://example.com/a.png">', True),
        ("<style>@import url('https://fonts.example/x.css');</style>", True),
        ("<style>body { background: url(https://x.example/a.png) }</style>", True),
        ('<script type="text/javascript">var u = "https://plot.ly";</script>', False),
        ('<img src="data:image/png;base64,AAAA">', False),
        ('<a href="https://hubspot.com">docs</a>', False),
    ],
)
def test_find_network_references(html: str, found: bool) -> None:
    assert bool(find_network_references(html)) is found
