"""``report.html``: the page a manager receives, built from one run folder.

Read top to bottom it answers, in order: what happened (per file: rows read, landed, landed
without some values, rejected, failed; links; duration; the portal), what needs attention (the
rows to fix, grouped by reason in plain words), the charts, and a technical appendix (mapping,
validation, requests). Every figure comes from report.json through
:mod:`crmkit.report.outcome` and :mod:`crmkit.report.figures`, and the rows from errors.csv,
so the page, the summary and the charts cannot disagree.

The page is one offline file: plotly.js embedded once, no CDN, a few lines of JavaScript so a
click on a reason or an object type in a chart filters the table of rows to fix. The executed
notebooks stay in the run folder; their records (mapping, validation) feed the appendix.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from crmkit.pipeline.runfolder import (
    ERRORS_CSV,
    PLAN_JSON,
    REPORT_HTML,
    REPORT_JSON,
    SUMMARY_TXT,
    VALUES_CSV,
    RunFolder,
)
from crmkit.report import figures
from crmkit.report.attention import rows_to_fix, values_left_out
from crmkit.report.history import (
    group_of,
    history_figure,
    history_groups,
    load_history,
    same_group,
)
from crmkit.report.html import write_offline_page
from crmkit.report.outcome import file_outcomes, run_outcome, unplaced_files
from crmkit.report.proof import PROOF_FILES, proof_context
from crmkit.report.reasons import reason
from crmkit.report.renderer import figure_html

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
PAGE_TEMPLATE = "report_page.html.j2"
DRILL: dict[str, str] = {"success_by_object": "object", "error_categories": "category"}
"""Charts whose bars filter the rows to fix when clicked, and by what."""
RUN_FILES: tuple[str, ...] = (SUMMARY_TXT, ERRORS_CSV, VALUES_CSV, REPORT_JSON, PLAN_JSON)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def notebook_records(run_dir: Path) -> dict[str, dict[str, Any]]:
    """The records of the run's executed notebooks (``validate``, ``mapping`` …), if any."""
    from crmkit.notebooks.records import read_records

    found: dict[str, dict[str, Any]] = {}
    for path in sorted(RunFolder(run_dir).notebooks.glob("*.ipynb")):
        try:
            found |= read_records(path)
        except (OSError, ValueError) as exc:
            warnings.warn(f"skipping the records of {path}: {exc}", stacklevel=2)
    return found


def _mapping_rows(records: Mapping[str, Any]) -> list[dict[str, Any]]:
    mapping = records.get("mapping") or {}
    rows = []
    for object_type, section in mapping.items():
        if not isinstance(section, dict):
            continue
        mapped = section.get("mapped") or {}
        rows.append(
            {
                "object_type": object_type,
                "columns": int(section.get("columns") or len(mapped)),
                "mapped": sorted(mapped.items()),
                "unmatched": sorted((section.get("unmatched_values") or {}).items()),
            }
        )
    return rows


def _charts(report: Mapping[str, Any], output_dir: Path) -> list[dict[str, str]]:
    charts = []
    builders = (
        figures.success_by_object,
        figures.error_categories,
        figures.throughput,
        figures.requests_timeline,
        figures.associations,
    )
    for build in builders:
        charts.append({"drill": DRILL.get(build.__name__, ""), "html": figure_html(build(report))})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a broken earlier run must not break this page
        history = load_history(output_dir)
    mine = same_group(history, report)
    if len(mine) > 1:
        folder = Path(str(report.get("data_dir"))).name or "this folder"
        title = f"Runs of {folder} into this portal: throughput and success rate"
        charts.append({"drill": "", "html": figure_html(history_figure(mine, title=title))})
    return charts


def page_context(run_dir: Path, *, problem: str | None = None) -> dict[str, Any]:
    """Everything the template shows, computed from the run folder."""
    report = _read_json(RunFolder(run_dir).report_json) or {}
    outcomes = file_outcomes(report)
    records = notebook_records(run_dir)
    output_dir = run_dir.parent.parent
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        groups_table = history_groups(load_history(output_dir))
    others = [
        row
        for row in groups_table.to_dict("records")
        if (row["data folder"], row["target"]) != group_of(report)
    ]
    codes = sorted(
        ((str(k), int(v)) for k, v in (report.get("errors_by_category") or {}).items()),
        key=lambda kv: -kv[1],
    )
    return {
        "report": report,
        "run_id": report.get("run_id") or run_dir.name,
        "problem": problem,
        "outcome": run_outcome(report),
        "files": outcomes,
        "unplaced": unplaced_files(report),
        "object_of_file": {o.file: o.object_type for o in outcomes},
        "groups": rows_to_fix(RunFolder(run_dir).errors_csv),
        "value_groups": values_left_out(RunFolder(run_dir).values_csv),
        "charts": _charts(report, output_dir) if report else [],
        "quality_chart": figure_html(figures.data_quality(report)) if report else "",
        "mapping": _mapping_rows(records),
        "mapping_source": (records.get("mapping") or {}).get("source"),
        "validation": records.get("validate") or {},
        "codes": [(code, reason(code), n) for code, n in codes],
        "other_groups": others,
        "run_files": [name for name in (*RUN_FILES, *PROOF_FILES) if (run_dir / name).is_file()],
        **proof_context(run_dir, report),
        "notebooks": sorted(p.name for p in RunFolder(run_dir).notebooks.glob("*.ipynb")),
        "exported": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["n"] = lambda v: f"{int(v):,}"
    env.filters["pct"] = lambda v: "–" if v is None else f"{100.0 * float(v):.1f} %"
    return env


def render_page(run_dir: Path | str, *, problem: str | None = None) -> str:
    """The page of the run in ``run_dir`` as a string (see :func:`write_page`)."""
    context = page_context(Path(run_dir), problem=problem)
    context["plotlyjs"] = Markup(get_plotlyjs())
    return _environment().get_template(PAGE_TEMPLATE).render(**context)


def write_page(
    run_dir: Path | str,
    *,
    problem: str | None = None,
    secrets: Iterable[str] | None = None,
) -> Path:
    """Write ``report.html`` into ``run_dir`` (atomically) and return its path.

    ``problem`` is shown first when the run did not get to the end (a notebook that stopped).
    ``secrets`` default to this process's ``HUBSPOT_ACCESS_TOKEN``: should one ever reach the
    page it is replaced before writing, because the page is meant to be mailed around.
    """
    folder = Path(run_dir)
    page = render_page(folder, problem=problem)
    return write_offline_page(page, folder / REPORT_HTML, secrets=secrets)
