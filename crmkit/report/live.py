"""The import, live in JupyterLab: records landed per object, requests, retries and 429s.

The dashboard listens to the pipeline's progress events (:mod:`crmkit.pipeline.progress`),
the ones the CLI's progress bars print, and redraws a Plotly ``FigureWidget`` as each batch is
journaled. Where no widget can draw (papermill, nbconvert, a plain Python process) it degrades
to a static figure, replaced at the end of each stage, so a saved notebook shows the final
counts rather than a frozen first frame.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from crmkit import OBJECT_TYPES
from crmkit.pipeline.progress import REQUEST_COUNTERS, ProgressEvent, subscribe, unsubscribe
from crmkit.report.look import OUTCOME_COLORS, TEMPLATE

REQUEST_LABELS: dict[str, str] = {
    "requests": "requests",
    "retried": "retries",
    "rate_limited": "429s",
    "server_errors": "5xx",
}
REQUEST_COLORS = ("#1565c0", "#f9a825", "#ef6c00", "#c62828")
WRITE_STAGES = (*OBJECT_TYPES, "associations")


def widgets_available() -> bool:
    """True when a FigureWidget can be made (anywidget installed)."""
    try:
        import anywidget  # noqa: F401
    except ImportError:
        return False
    return True


class LiveDashboard:
    """Counts of the running import and the figure that shows them."""

    def __init__(self, *, live: bool) -> None:
        self.live = live and widgets_available()
        self.landed = dict.fromkeys(OBJECT_TYPES, 0)
        self.failed = dict.fromkeys(OBJECT_TYPES, 0)
        self.links = {"landed": 0, "failed": 0}
        self.requests = dict.fromkeys(REQUEST_COUNTERS, 0)
        self.stage = ""
        self.redraws = 0
        self.on_stage_end: Callable[[go.Figure], None] | None = None
        base = self.build()
        self.figure: Any = go.FigureWidget(base) if self.live else base

    def handle(self, event: ProgressEvent) -> None:
        """Take one progress event and redraw (live) or wait for the stage's end (static)."""
        if event.stage not in WRITE_STAGES:
            return
        counters = event.counters
        if event.stage == "associations":
            self.links = {k: int(counters.get(k, self.links[k])) for k in self.links}
        else:
            self.landed[event.stage] = int(counters.get("landed", self.landed[event.stage]))
            self.failed[event.stage] = int(counters.get("failed", self.failed[event.stage]))
        for name in REQUEST_COUNTERS:
            self.requests[name] = max(self.requests[name], int(counters.get(name, 0)))
        self.stage = f"{event.stage}: {event.done:,} of {event.total or 0:,}"
        if event.kind == "end":
            self.stage = f"{event.stage}: done"
        if self.live:
            self._redraw(self.figure)
        elif event.kind == "end":
            self.figure = self.build()
            self.redraws += 1
            if self.on_stage_end is not None:
                self.on_stage_end(self.figure)

    def _title(self) -> str:
        landed = sum(self.landed.values())
        return f"Import, live · {landed:,} records landed · {self.stage or 'waiting'}"

    def build(self) -> go.Figure:
        """The figure for the counts so far (also the FigureWidget's first frame)."""
        fig = make_subplots(
            rows=1,
            cols=2,
            column_widths=[0.6, 0.4],
            subplot_titles=("Records per object", "Requests to the portal"),
        )
        types = list(OBJECT_TYPES)
        fig.add_bar(
            name="landed",
            x=types,
            y=[self.landed[t] for t in types],
            marker_color=OUTCOME_COLORS["created"],
            row=1,
            col=1,
        )
        fig.add_bar(
            name="failed",
            x=types,
            y=[self.failed[t] for t in types],
            marker_color=OUTCOME_COLORS["failed"],
            row=1,
            col=1,
        )
        fig.add_bar(
            name="requests",
            x=[REQUEST_LABELS[n] for n in REQUEST_COUNTERS],
            y=[self.requests[n] for n in REQUEST_COUNTERS],
            marker_color=list(REQUEST_COLORS),
            text=[f"{self.requests[n]:,}" for n in REQUEST_COUNTERS],
            textposition="auto",
            showlegend=False,
            row=1,
            col=2,
        )
        fig.update_layout(
            title={"text": self._title(), "x": 0.0},
            template=TEMPLATE,
            height=380,
            barmode="stack",
            margin={"l": 60, "r": 20, "t": 80, "b": 70},
            legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0.0},
        )
        return fig

    def _redraw(self, fig: Any) -> None:
        types = list(OBJECT_TYPES)
        with fig.batch_update():
            fig.data[0].y = [self.landed[t] for t in types]
            fig.data[1].y = [self.failed[t] for t in types]
            fig.data[2].y = [self.requests[n] for n in REQUEST_COUNTERS]
            fig.data[2].text = [f"{self.requests[n]:,}" for n in REQUEST_COUNTERS]
            fig.layout.title.text = self._title()
        self.redraws += 1


_current: LiveDashboard | None = None


def show_dashboard(*, live: bool, dry_run: bool = False) -> LiveDashboard | None:
    """Display the dashboard and listen to the run's progress (a re-run replaces it).

    ``live`` is the notebook's ``progress`` parameter: off in papermill runs, where the
    figure is static and replaced at the end of each stage instead. A dry run sends nothing,
    so there is nothing to watch.
    """
    from IPython.display import display

    global _current
    if _current is not None:
        unsubscribe(_current.handle)
        _current = None
    if dry_run:
        print("Dry run: nothing is sent, so there is no live view of the import.")
        return None
    dashboard = LiveDashboard(live=live)
    if dashboard.live:
        display(dashboard.figure)
    else:
        # Plotly's own display path drops display_id, so the bundle is displayed raw.
        handle = display(dashboard.figure._repr_mimebundle_(), raw=True, display_id=True)
        if handle is not None:
            dashboard.on_stage_end = lambda fig: handle.update(fig._repr_mimebundle_(), raw=True)
    subscribe(dashboard.handle)
    _current = dashboard
    return dashboard
