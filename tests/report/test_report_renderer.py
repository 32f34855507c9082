"""The offline renderer: figures as HTML that draws without any network or MathJax."""

from __future__ import annotations

from collections.abc import Iterator

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from crmkit.report import renderer
from crmkit.report.html import find_network_references


@pytest.fixture
def restore_default() -> Iterator[None]:
    saved = pio.renderers.default
    yield
    pio.renderers.default = saved


def test_figure_html_draws_with_page_plotlyjs_only() -> None:
    """The div calls Plotly.newPlot and carries no plotly.js, MathJax or CDN reference."""
    html = renderer.figure_html(go.Figure(go.Bar(x=["a"], y=[1]), layout_title_text="T"))
    assert html.startswith(f'<div class="{renderer.FIGURE_CLASS}">')
    assert "Plotly.newPlot" in html
    assert "<script src" not in html.replace(" ", "")
    assert "MathJax" not in html
    assert len(html) < 20_000  # plotly.js (megabytes) is not in it
    assert find_network_references(html) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), ("YES", True), ("0", False), ("", False), ("no", False)],
)
def test_enabled_by_environment_flag(value: str, expected: bool) -> None:
    assert renderer.enabled({renderer.ENV_FLAG: value}) is expected
    assert renderer.enabled({}) is False


def test_install_in_batch_mode_adds_html_next_to_plotly_json(restore_default: None) -> None:
    """A batch run keeps the JSON (Lab draws it) and adds the HTML the export needs."""
    assert renderer.install(force=True) == renderer.BATCH_RENDERERS
    bundle = go.Figure(go.Scatter(x=[1], y=[2]))._repr_mimebundle_()
    assert "application/vnd.plotly.v1+json" in bundle
    assert renderer.FIGURE_CLASS in bundle["text/html"]


def test_install_interactively_leaves_plotly_default_alone(restore_default: None) -> None:
    pio.renderers.default = "plotly_mimetype"
    assert renderer.install(force=False) == "plotly_mimetype"
    assert renderer.RENDERER_NAME in pio.renderers
