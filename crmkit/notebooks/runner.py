"""Run the four notebooks headless with papermill, then write the run's ``report.html``.

The page is built from the run folder (``crmkit.report.page``), not from the notebooks' cells:
it reads report.json, errors.csv and the notebooks' records, so it holds no code or notebook
prose and shares its numbers with summary.txt.

The executed notebooks land in ``output/runs/<run_id>/notebooks/`` next to the pipeline's
files, so the run folder holds everything about one run. The kernel gets
``CRMKIT_REPORT_HTML=1`` (figures carry offline HTML for the export) and inherits this
process's ``HUBSPOT_ACCESS_TOKEN``; the token is never a papermill parameter, because
parameters are written into the executed notebooks.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import papermill
from papermill.exceptions import PapermillExecutionError

from crmkit.pipeline.runfolder import RunFolder, write_text_atomically
from crmkit.errors import ConfigError, NotebookError
from crmkit.notebooks.params import notebook_parameters, parameters_for, resolve_parameters
from crmkit.pipeline.options import check_run_id, new_run_id
from crmkit.report.page import write_page
from crmkit.report.renderer import ENV_FLAG

NOTEBOOK_NAMES: tuple[str, ...] = (
    "01_validate.ipynb",
    "02_map.ipynb",
    "03_import.ipynb",
    "04_report.ipynb",
)
NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
FIXED_PARAMETERS = frozenset({"data_dir", "run_id", "output_dir", "target"})
"""Set from ``run_notebooks``'s own arguments (``--data``, ``--run-id`` …), not from ``-p``."""
BATCH_DEFAULTS: Mapping[str, Any] = {"progress": False}
"""A frozen "0 %" bar in a static page misleads, so batch runs turn progress bars off."""
KERNEL_ARGUMENTS: list[str] = ["--IPKernelApp.log_level=CRITICAL"]
"""The kernel's own log only repeats, per notebook, that its loopback TCP link is unencrypted;
cell errors reach us through papermill and a dead kernel through nbclient, not this log."""
KERNEL_ENV: Mapping[str, str] = {ENV_FLAG: "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


def default_notebooks(directory: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The four notebooks in run order; a missing one is a broken checkout, said plainly."""
    paths = [directory / name for name in NOTEBOOK_NAMES]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise ConfigError(f"notebooks missing in {directory}: {', '.join(missing)}")
    return paths


@contextmanager
def kernel_environment(extra: Mapping[str, str]) -> Iterator[None]:
    """Set variables for kernels started inside the block (they inherit os.environ)."""
    saved = {name: os.environ.get(name) for name in extra}
    os.environ.update(extra)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def batch_parameters(
    user: Mapping[str, Any], declared: Mapping[str, Mapping[str, Any]], target: str | None
) -> dict[str, Any]:
    """Batch defaults, then the user's ``-p`` values typed after the notebooks' defaults.

    Naming a target means importing into it, so ``dry_run`` defaults to false then;
    ``-p dry_run=true`` still plans only.
    """
    values: dict[str, Any] = dict(BATCH_DEFAULTS)
    if target:
        values["dry_run"] = False
    values |= resolve_parameters(user, declared)
    return values


def _record_report_path(run_dir: Path, report_html: Path) -> None:
    """Add ``files.report_html`` to the run's report.json (written before the page existed)."""
    path = RunFolder(run_dir).report_json
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if not isinstance(report, dict):
        return
    files = report.setdefault("files", {})
    relative = not any("/" in str(v) or "\\" in str(v) for v in files.values())
    files["report_html"] = report_html.name if relative else str(report_html)
    write_text_atomically(path, json.dumps(report, indent=2, ensure_ascii=False) + "\n")


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run_notebooks(
    data_dir: Path | str,
    target: str | None = None,
    run_id: str | None = None,
    params: Mapping[str, Any] | None = None,
    output_dir: Path | str = "output",
    *,
    notebooks: Sequence[Path] | None = None,
    kernel_name: str = "python3",
    timeout_s: float | None = None,
    log: Callable[[str], None] | None = None,
) -> Path:
    """Execute the notebooks in order into the run folder and return the report.html path.

    ``params`` are ``-p name=value`` pairs (strings are typed after each notebook's defaults)
    or already-typed values. A notebook that stops raises ``NotebookError`` after the report
    of what ran is exported, so the page shows the failing cell's error too. ``log`` gets one
    line per notebook (default: stderr, since a run takes minutes and is otherwise silent).
    """
    say = log or _stderr
    data = Path(data_dir).resolve()
    if not data.is_dir():
        raise ConfigError(f"data folder {data_dir} does not exist")
    run_id = check_run_id(run_id) if run_id else new_run_id()
    sources = list(notebooks) if notebooks is not None else default_notebooks()
    declared = {p.name: notebook_parameters(p) for p in sources}
    user = dict(params or {})
    fixed = sorted(FIXED_PARAMETERS & user.keys())
    if fixed:
        raise ConfigError(
            f"set {', '.join(fixed)} with --data, --target, --run-id and --output, not -p"
        )
    out = Path(output_dir).resolve()
    values = batch_parameters(user, declared, target)
    values |= {"data_dir": str(data), "run_id": run_id, "output_dir": str(out), "target": target}

    folder = RunFolder.of(out, run_id)
    run_dir = folder.path
    executed_dir = folder.notebooks
    executed_dir.mkdir(parents=True, exist_ok=True)
    executed: list[Path] = []
    failure: tuple[Path, PapermillExecutionError] | None = None
    with kernel_environment(KERNEL_ENV):
        for number, source in enumerate(sources, start=1):
            destination = executed_dir / source.name
            executed.append(destination)
            say(f"[{number}/{len(sources)}] {source.name} …")
            began = time.monotonic()
            try:
                papermill.execute_notebook(
                    str(source),
                    str(destination),
                    parameters=parameters_for(declared[source.name], values),
                    kernel_name=kernel_name,
                    language="python",
                    progress_bar=False,
                    cwd=str(source.parent),
                    execution_timeout=timeout_s,
                    extra_arguments=KERNEL_ARGUMENTS,
                )
            except PapermillExecutionError as exc:
                failure = (destination, exc)
                say(f"      {source.name} stopped: {exc.ename}: {exc.evalue}")
                break
            say(f"      done in {time.monotonic() - began:.1f} s")

    problem = None
    if failure is not None:
        problem = f"{failure[0].name} stopped: {failure[1].ename}: {failure[1].evalue}"
    report = write_page(run_dir, problem=problem)
    _record_report_path(run_dir, report)
    if failure is not None:
        destination, error = failure
        raise NotebookError(
            f"{destination.name} stopped at cell {error.exec_count}: {error.ename}: "
            f"{error.evalue} (executed notebook: {destination}; partial report: {report})",
            notebook=destination.name,
            ename=str(error.ename),
            evalue=str(error.evalue),
            executed_path=str(destination),
            report_path=str(report),
        )
    return report
