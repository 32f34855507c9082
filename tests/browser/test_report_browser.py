"""The exported report in headless Chromium, offline: every chart draws, nothing is fetched.

The real report notebook (notebooks/04_report.ipynb) runs through run_notebooks on a scenario
report.json, so the test covers the notebook, the renderer, the template and the export.

Debian's Chromium (``make browser``) is driven through Playwright's Python package; Playwright's
own browser download is not used. Every request the page makes is recorded and any that is
not the report file itself is aborted, so a CDN reference fails the test instead of loading.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crmkit.notebooks import NOTEBOOKS_DIR, run_notebooks
from crmkit.report import figures

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ERRORS_CSV = (
    "file,row,key,stage,category,message,column,value\n"
    "contacts.csv,7,,validate,MISSING_REQUIRED,email: a value is required,email,\n"
)
SCREENSHOT = Path(__file__).resolve().parents[2] / "output" / "report-screenshot.png"

REPORT: dict[str, Any] = {
    "run_id": "browser-run",
    "started_at": "2024-05-01T10:00:00Z",
    "dry_run": False,
    "objects": {
        "companies": {"rows": 40, "rejected": 2, "created": 30, "updated": 8, "failed": 0},
        "contacts": {"rows": 120, "rejected": 9, "created": 90, "updated": 15, "failed": 6},
        "tickets": {"rows": 60, "rejected": 4, "created": 50, "updated": 0, "failed": 6},
    },
    "associations": {"planned": 150, "created": 140, "failed": 4},
    "records_per_s": 38.0,
    "ceiling_records_per_s": 100.0,
    "quality": {
        "contacts": {"score": 0.93, "columns": {"email": 0.9, "phone": 0.85, "firstname": 1.0}},
        "companies": {"score": 0.97, "columns": {"domain": 0.95, "name": 1.0}},
    },
    "errors_by_category": {"INVALID_EMAIL": 7, "MISSING_REQUIRED": 8, "CONFLICT": 6},
    "batches": [
        {"t": 0.4 * i, "action": "upsert", "succeeded": 10, "failed": 0, "duration_s": 0.3}
        for i in range(24)
    ],
    "timeline": [
        {"t": s, "requests": 3, "retried": s % 3 == 0, "rate_limited": s == 4, "server_errors": 0}
        for s in range(10)
    ],
}


@pytest.fixture(scope="module")
def report_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make browser)")
    root = tmp_path_factory.mktemp("browser")
    run_dir = root / "output" / "runs" / REPORT["run_id"]
    run_dir.mkdir(parents=True)
    (run_dir / "report.json").write_text(json.dumps(REPORT), encoding="utf-8")
    (run_dir / "errors.csv").write_text(ERRORS_CSV, encoding="utf-8")
    (root / "data").mkdir()
    return run_notebooks(
        root / "data",
        run_id=REPORT["run_id"],
        output_dir=root / "output",
        notebooks=[NOTEBOOKS_DIR / "04_report.ipynb"],
    )


def test_report_draws_every_chart_offline(report_html: Path) -> None:
    """Each Plotly chart has its SVG and its title; the page asked the network for nothing."""
    from playwright.sync_api import sync_playwright

    expected_titles = [f.layout.title.text for f in figures.report_figures(REPORT)]
    expected_titles.append("Earlier runs: throughput and success rate")
    page_url = report_html.resolve().as_uri()
    requested: list[str] = []
    page_errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("request", lambda request: requested.append(request.url))
            page.on("pageerror", lambda error: page_errors.append(str(error)))
            page.route(
                "**/*",
                lambda route: route.continue_() if route.request.url == page_url else route.abort(),
            )
            page.goto(page_url, wait_until="load")
            page.wait_for_function(
                "n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n",
                arg=len(expected_titles),
                timeout=30_000,
            )
            plots = page.locator(".js-plotly-plot")
            assert plots.count() == len(expected_titles)
            for index in range(plots.count()):
                assert plots.nth(index).locator("svg.main-svg").count() >= 1
            titles = page.locator(".js-plotly-plot .gtitle").all_text_contents()
            text = page.inner_text("body")
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    assert titles == expected_titles
    assert "Rows in errors.csv: 1" in text and "email: a value is required" in text
    assert "from crmkit.report import" not in text  # no code cells in the report
    assert [url for url in requested if url != page_url] == []
    assert page_errors == []
    assert SCREENSHOT.stat().st_size > 10_000
