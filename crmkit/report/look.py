"""The charts' shared look: one colour per outcome and per object type, one layout.

A reader learns the colours once (landed is green, failed red, rejected orange) and finds them
the same in every chart of the page, the notebook and the live dashboard.
"""

from __future__ import annotations

import plotly.graph_objects as go

TEMPLATE = "plotly_white"
HEIGHT = 420

OUTCOME_COLORS: dict[str, str] = {
    "created": "#2e7d32",
    "updated": "#66bb6a",
    "unchanged": "#a5d6a7",
    "failed": "#c62828",
    "rejected": "#ef6c00",
    "duplicates": "#bdbdbd",
    "planned": "#1565c0",
}
OBJECT_COLORS: dict[str, str] = {
    "companies": "#1565c0",
    "contacts": "#6a1b9a",
    "tickets": "#00838f",
}


def new_figure(title: str, x_title: str, y_title: str, *, height: int = HEIGHT) -> go.Figure:
    """An empty figure with the shared look: title, labelled axes, legend below the title."""
    fig = go.Figure()
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left"},
        template=TEMPLATE,
        height=height,
        margin={"l": 70, "r": 30, "t": 80, "b": 60},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0},
        xaxis_title=x_title,
        yaxis_title=y_title,
    )
    return fig


def note(fig: go.Figure, text: str) -> go.Figure:
    """Write ``text`` in the middle of an empty chart (instead of drawing blank axes)."""
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font={"size": 15, "color": "#666"},
    )
    return fig
