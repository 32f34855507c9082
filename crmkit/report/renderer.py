"""A Plotly renderer for the exported report: figures as offline ``text/html``.

Under a kernel Plotly emits only ``application/vnd.plotly.v1+json``, which JupyterLab and
GitHub draw but nbconvert drops from HTML with a mere warning: the charts silently vanish from
the report. For batch runs (``run_notebooks`` sets ``CRMKIT_REPORT_HTML=1`` for the kernel)
each figure also carries a ``text/html`` div that draws it with plotly.js, no CDN and no
MathJax. plotly.js itself is not in the div: the report template embeds it once per page, so a
report merged from several notebooks still carries it once and the run's notebooks stay small.
Interactive use keeps Plotly's own default, so committed notebooks stay small as well.
"""

from __future__ import annotations

import os
from typing import Any

import plotly.io as pio
from plotly.io._base_renderers import MimetypeRenderer

ENV_FLAG = "CRMKIT_REPORT_HTML"
RENDERER_NAME = "crmkit_html"
BATCH_RENDERERS = f"plotly_mimetype+{RENDERER_NAME}"
FIGURE_CLASS = "crmkit-figure"
"""CSS class on every exported figure's wrapper; the HTML export looks for it."""


class OfflineHtmlRenderer(MimetypeRenderer):
    """Emit a figure as a ``text/html`` div that expects plotly.js on the page."""

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = dict(config or {})

    def to_mimebundle(self, fig_dict: dict[str, Any]) -> dict[str, str]:
        return {"text/html": figure_html(fig_dict, config=self.config)}


def figure_html(fig: Any, *, config: dict[str, Any] | None = None) -> str:
    """The div and the script that draw ``fig``, with no plotly.js, MathJax or CDN reference."""
    body = pio.to_html(
        fig,
        full_html=False,
        include_plotlyjs=False,
        include_mathjax=False,
        config={"displaylogo": False, "responsive": True, **(config or {})},
        validate=False,
    )
    return f'<div class="{FIGURE_CLASS}">{body}</div>'


def enabled(environ: os._Environ[str] | dict[str, str] | None = None) -> bool:
    """True when this process renders for the exported report (set by ``run_notebooks``)."""
    env = os.environ if environ is None else environ
    return env.get(ENV_FLAG, "").strip().lower() in {"1", "true", "yes"}


def install(*, force: bool | None = None) -> str:
    """Register the renderer; in a batch run also make it part of Plotly's default.

    Idempotent, called when ``crmkit.report`` is imported. ``force`` overrides the environment
    (tests). Returns the default renderer string now in effect.
    """
    if RENDERER_NAME not in pio.renderers:
        pio.renderers[RENDERER_NAME] = OfflineHtmlRenderer()
    active = enabled() if force is None else force
    if active and pio.renderers.default != BATCH_RENDERERS:
        pio.renderers.default = BATCH_RENDERERS
    return str(pio.renderers.default)
