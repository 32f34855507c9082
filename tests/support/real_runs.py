"""Real runs for the report tests: the demo data imported over HTTP into a faulty sandbox."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from crmkit.demo import DEMO_SANDBOX
from crmkit.hubspot import RetryPolicy
from crmkit.pipeline import ImportOptions, run_import
from crmkit.sandbox import RunningSandbox, running

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
FAST_RETRY = RetryPolicy(max_attempts=8, base_delay_s=0.01, max_delay_s=0.05, timeout_s=5.0)
FAULTS: dict[str, Any] = dict(DEMO_SANDBOX) | {"fault_rate": 0.2, "latency_ms": 5.0}
"""The demo's sandbox (every fault but the long hang) failing a fifth of the requests."""


@contextmanager
def faulty_sandbox() -> Iterator[RunningSandbox]:
    with running(**FAULTS) as box:
        yield box


def import_demo(box: RunningSandbox, output_dir: Path, run_id: str) -> Path:
    """Import data/ into ``box`` as ``crmkit import`` does; returns the run folder."""
    options = ImportOptions(
        data_dir=DATA_DIR,
        output_dir=output_dir,
        target=box.base_url,
        tier="professional",
        run_id=run_id,
        progress=False,
        retry=FAST_RETRY,
    )
    return run_import(options).run_dir


class _Text(HTMLParser):
    """The text a reader sees: no script, no style, no attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def page_figures(html: str) -> list[dict[str, Any]]:
    """Each chart drawn on the page, as the ``{data, layout}`` handed to Plotly.newPlot."""
    decoder = json.JSONDecoder()
    found = []
    for match in re.finditer(r'Plotly\.newPlot\(\s*"[^"]+",\s*', html):
        data, end = decoder.raw_decode(html, match.end())
        rest = html[end:].lstrip().lstrip(",").lstrip()
        layout, _ = decoder.raw_decode(rest)
        found.append({"data": data, "layout": layout})
    return found
