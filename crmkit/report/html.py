"""Export executed notebooks as one self-contained ``report.html``.

The page is for a manager opening an email attachment: no code cells, no parameters, charts
drawn by plotly.js embedded once in the page, nothing fetched from the network (no require.js,
MathJax, Mermaid or widget manager from a CDN) and never the access token. nbconvert's own
``lab`` look is kept through a template that extends it (``crmkit/templates/crmkit_report``).
"""

from __future__ import annotations

import copy
import os
import re
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from plotly.offline import get_plotlyjs

from crmkit.errors import ConfigError
from crmkit.hubspot import auth
from crmkit.report.renderer import FIGURE_CLASS, figure_html

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE_NAME = "crmkit_report"
PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
WIDGET_MIMETYPE = "application/vnd.jupyter.widget-view+json"
HIDDEN_TAGS = frozenset({"parameters", "injected-parameters", "report-skip", "remove-cell"})
"""Cells with these tags stay out of the report (parameters and the cells authors hide)."""

_NETWORK_REFERENCE = re.compile(
    r"""<(?:script|img|iframe|embed|source|audio|video)\b[^>]*\bsrc\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//"""
    r"""|\burl\(\s*["']?\s*(?:https?:)?//""",
    re.IGNORECASE,
)


def find_network_references(html: str) -> list[str]:
    """Tags or CSS rules in ``html`` that would fetch something from the network."""
    return [
        html[max(0, m.start() - 20) : m.end() + 60].replace("\n", " ")
        for m in _NETWORK_REFERENCE.finditer(html)
    ]


def _output_for_report(output: Any) -> Any | None:
    """The output as the page should hold it, or None to drop it.

    Widgets and stderr cannot help a reader of a static page (a frozen progress bar or a
    library warning), so they go. A Plotly figure without HTML (a notebook run interactively)
    gets its offline HTML here, so the chart is never silently lost.
    """
    if output.get("output_type") == "stream":
        return None if output.get("name") == "stderr" else output
    data = output.get("data")
    if data is None:
        return output
    if WIDGET_MIMETYPE in data:
        return None
    if PLOTLY_MIMETYPE in data and "text/html" not in data:
        output = copy.deepcopy(output)
        output["data"]["text/html"] = figure_html(data[PLOTLY_MIMETYPE])
    return output


def merge_notebooks(paths: Sequence[Path], *, title: str) -> Any:
    """One notebook holding the cells of ``paths`` in order, with report-only outputs."""
    if not paths:
        raise ConfigError("no notebooks to export")
    merged = nbformat.v4.new_notebook()
    for index, path in enumerate(paths):
        try:
            nb = nbformat.read(str(path), as_version=4)
        except FileNotFoundError:
            raise ConfigError(f"notebook {path} does not exist") from None
        if index == 0:
            merged.metadata = copy.deepcopy(nb.metadata)
        for cell in nb.cells:
            cell = copy.deepcopy(cell)
            cell["id"] = f"nb{index}-{cell.get('id') or len(merged.cells)}"
            if cell.cell_type == "code":
                kept = (_output_for_report(o) for o in cell.get("outputs", []))
                cell["outputs"] = [o for o in kept if o is not None]
            merged.cells.append(cell)
    merged.metadata.pop("widgets", None)
    merged.metadata.pop("papermill", None)
    merged.metadata["title"] = title
    return merged


def _has_figure(nb: Any) -> bool:
    return any(
        FIGURE_CLASS in str(o.get("data", {}).get("text/html", ""))
        for cell in nb.cells
        if cell.cell_type == "code"
        for o in cell.get("outputs", [])
    )


def render_report(
    notebooks: Sequence[Path], *, title: str = "crmkit report", footer: str | None = None
) -> str:
    """The report page as a string (see ``export_report``)."""
    nb = merge_notebooks(notebooks, title=title)
    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags=set(HIDDEN_TAGS), enabled=True), enabled=True
    )
    resources: dict[str, Any] = {
        "metadata": {"name": title},
        "crmkit_plotlyjs": get_plotlyjs() if _has_figure(nb) else "",
        "crmkit_footer": footer or "",
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return str(body)


def redact(html: str, secrets: Iterable[str]) -> tuple[str, int]:
    """The page with every secret scrubbed (the one redaction of crmkit.hubspot.auth), and how
    many occurrences there were, so the export can warn that a token reached an output."""
    wanted = [s for s in secrets if len(s) >= auth.MIN_SECRET_LEN]
    found = sum(html.count(s) for s in wanted)
    return auth.redact(html, wanted), found


def export_report(
    notebooks: Sequence[Path | str],
    dest: Path | str,
    *,
    title: str = "crmkit report",
    footer: str | None = None,
    secrets: Iterable[str] | None = None,
) -> Path:
    """Write the executed ``notebooks`` as one self-contained page at ``dest``.

    ``secrets`` default to the ``HUBSPOT_ACCESS_TOKEN`` of this process: should one ever reach
    an output, it is replaced before the page is written (and a warning says so), because the
    page is meant to be mailed around.
    """
    html = render_report([Path(p) for p in notebooks], title=title, footer=footer)
    if secrets is None:
        secrets = [os.environ.get("HUBSPOT_ACCESS_TOKEN", "")]
    html, leaked = redact(html, secrets)
    if leaked:
        warnings.warn(
            f"the access token appeared {leaked} time(s) in the report; redacted", stacklevel=2
        )
    references = find_network_references(html)
    if references:
        warnings.warn(f"report.html refers to the network: {references[:3]}", stacklevel=2)
    target = Path(dest)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(html, encoding="utf-8")
    partial.replace(target)
    return target
