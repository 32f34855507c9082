"""Charts and tables of a run, read from its ``report.json``, ``errors.csv`` and earlier runs.

Importing this package registers the offline HTML renderer (see ``crmkit.report.renderer``),
so a notebook run by ``run_notebooks`` puts drawable charts into the exported report.
"""

from crmkit.report import renderer
from crmkit.report.figures import (
    associations,
    data_quality,
    error_categories,
    report_figures,
    requests_timeline,
    success_by_object,
    success_rate,
    throughput,
)
from crmkit.report.history import history_figure, load_history
from crmkit.report.runs import LoadedRun, latest_run_id, load_run
from crmkit.report.tables import failed_rows_table

renderer.install()

__all__ = [
    "LoadedRun",
    "associations",
    "data_quality",
    "error_categories",
    "failed_rows_table",
    "history_figure",
    "latest_run_id",
    "load_history",
    "load_run",
    "report_figures",
    "requests_timeline",
    "success_by_object",
    "success_rate",
    "throughput",
]
