"""Small notebooks built in tests (nbformat), with outputs made in-process or by papermill."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import plotly.graph_objects as go

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def notebook(*cells: Any) -> Any:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.cells.extend(cells)
    return nb


def code(source: str, *outputs: Any, tags: tuple[str, ...] = ()) -> Any:
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = list(outputs)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def markdown(source: str) -> Any:
    return nbformat.v4.new_markdown_cell(source)


def figure_output(fig: go.Figure) -> Any:
    """What Plotly's default kernel renderer leaves in a notebook: the JSON mimetype only."""
    return nbformat.v4.new_output(
        "display_data",
        data={"application/vnd.plotly.v1+json": json.loads(fig.to_json()), "text/plain": "Figure"},
    )


def stream(text: str, name: str = "stdout") -> Any:
    return nbformat.v4.new_output("stream", name=name, text=text)


def widget_output() -> Any:
    return nbformat.v4.new_output(
        "display_data",
        data={
            "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2},
            "text/plain": "HBox(children=(FloatProgress(value=0.0),))",
        },
    )


def save(nb: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path
