"""report.html of a real run in headless Chromium, offline: charts draw, clicks drill down.

The demo data is imported over HTTP into a sandbox that fails a fifth of the requests, and
the page is built from that run folder, as ``crmkit run`` does. Debian's Chromium (``make
browser``) is driven through Playwright's Python package (its own browser download is not
used). Every request the page makes is recorded and any that is not the page itself is
aborted, so a CDN reference fails the test instead of loading.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crmkit.report.page import write_page
from tests.support.real_runs import faulty_sandbox, import_demo

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
SCREENSHOT = Path(__file__).resolve().parents[2] / "output" / "report-screenshot.png"
VISIBLE_ROWS = "#rows-to-fix tr.fix:not([hidden]):not(tbody[hidden] tr)"


@pytest.fixture(scope="module")
def run_page(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make browser)")
    out = tmp_path_factory.mktemp("browser") / "output"
    with faulty_sandbox() as box, pytest.MonkeyPatch.context() as mp:
        mp.setenv("HUBSPOT_ACCESS_TOKEN", box.token)
        run_dir = import_demo(box, out, "browser-run")
        page = write_page(run_dir)
    report = json.loads((run_dir / "report.json").read_text(encoding="utf-8"))
    return {"path": page, "report": report}


@pytest.fixture(scope="module")
def browser_page(run_page: dict[str, Any]) -> Iterator[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    page_url = run_page["path"].resolve().as_uri()
    requested: list[str] = []
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("request", lambda request: requested.append(request.url))
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.route(
                "**/*",
                lambda route: route.continue_() if route.request.url == page_url else route.abort(),
            )
            page.goto(page_url, wait_until="load")
            page.wait_for_function(
                "() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 6",
                timeout=30_000,
            )
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT))
            yield {"page": page, "url": page_url, "requested": requested, "errors": errors}
        finally:
            browser.close()


def click_bar(page: Any, drill: str, pick: str) -> None:
    """Click, as a person would, the bar whose ``customdata`` names ``pick``."""
    chart = f".chart[data-drill={drill}] .js-plotly-plot"
    position = 0 if drill == "category" else 1
    index = page.evaluate(
        "([sel, pick, pos]) => document.querySelector(sel).data[0].customdata"
        ".findIndex(c => String(c[pos]) === pick)",
        [chart, pick, position],
    )
    assert index >= 0, pick
    bar = page.locator(f"{chart} g.trace.bars").first.locator("g.point").nth(index)
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)  # Plotly picks the clicked point from the hover it computed
    page.mouse.click(x, y)


def visible(page: Any, attribute: str) -> list[str]:
    return page.eval_on_selector_all(
        "#rows-to-fix tr.fix",
        f"rows => rows.filter(r => !r.hidden && !r.parentElement.hidden)"
        f".map(r => r.dataset.{attribute})",
    )


def test_every_chart_draws_offline(browser_page: dict[str, Any]) -> None:
    page = browser_page["page"]
    plots = page.locator(".js-plotly-plot")
    assert plots.count() >= 6
    for index in range(plots.count()):
        assert plots.nth(index).locator("svg.main-svg").count() >= 1
    assert [u for u in browser_page["requested"] if u != browser_page["url"]] == []
    assert browser_page["errors"] == []
    assert SCREENSHOT.stat().st_size > 10_000


def test_clicking_a_reason_shows_only_its_rows(
    browser_page: dict[str, Any], run_page: dict[str, Any]
) -> None:
    page = browser_page["page"]
    errors = run_page["report"]["errors_by_category"]
    click_bar(page, "category", "INVALID_EMAIL")
    page.wait_for_selector("#drill-bar:not([hidden])")
    assert visible(page, "category") == ["INVALID_EMAIL"] * errors["INVALID_EMAIL"]
    status = page.inner_text("#drill-status")
    assert status.startswith(f"Showing {errors['INVALID_EMAIL']} row(s) to fix")
    assert status.endswith(": The email address is not valid")
    page.click("#drill-clear")
    assert len(visible(page, "category")) == sum(errors.values())
    assert page.locator("#drill-bar").is_hidden()


def test_clicking_an_object_type_shows_only_its_files_rows(
    browser_page: dict[str, Any], run_page: dict[str, Any]
) -> None:
    page = browser_page["page"]
    click_bar(page, "object", "tickets")
    page.wait_for_selector("#drill-bar:not([hidden])")
    shown = visible(page, "object")
    assert shown and set(shown) == {"tickets"}
    assert len(shown) == run_page["report"]["objects"]["tickets"]["rejected"]
    values = page.eval_on_selector_all(
        "#values-table tr.fix",
        "rows => rows.filter(r => !r.hidden && !r.parentElement.hidden).map(r => r.dataset.object)",
    )
    assert set(values) <= {"tickets"}  # the values left out follow the same filter
    page.click("#drill-clear")
