"""Copy a run's executed notebooks back over ``notebooks/`` so GitHub shows real outputs.

Only outputs travel: the committed notebooks keep their own cells, tags and parameter
defaults (papermill's injected-parameters cell is not copied). Outputs are made small and
portable on the way: a Plotly figure keeps only its JSON (no HTML div, no plotly.js), this
machine's paths become the notebooks' own relative ones, and a notebook holding the access
token is refused outright.

    python -m crmkit.notebooks.publish output/runs/<run_id>
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import nbformat

from crmkit.pipeline.runfolder import RunFolder
from crmkit.errors import ConfigError, CrmkitError
from crmkit.notebooks.runner import NOTEBOOK_NAMES, NOTEBOOKS_DIR

PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
DROPPED_NOTEBOOK_METADATA = ("papermill", "widgets")


def portable_text(text: str, replacements: Mapping[str, str]) -> str:
    """``text`` with each absolute path replaced (longest first, so nested paths stay right)."""
    for old in sorted(replacements, key=len, reverse=True):
        if old:
            text = text.replace(old, replacements[old])
    return text


def clean_output(output: dict[str, Any], replacements: Mapping[str, str]) -> dict[str, Any]:
    """One output as it should be committed: figure JSON only, relative paths."""
    out = copy.deepcopy(output)
    data = out.get("data")
    if isinstance(data, dict) and PLOTLY_MIMETYPE in data:
        data.pop("text/html", None)
    out.get("metadata", {}).pop("papermill", None)
    text = json.dumps(out, ensure_ascii=False)
    cleaned: dict[str, Any] = json.loads(portable_text(text, _json_escaped(replacements)))
    return cleaned


def _json_escaped(replacements: Mapping[str, str]) -> dict[str, str]:
    """The replacements as they appear inside JSON strings (backslashes doubled on Windows)."""
    return {json.dumps(k)[1:-1]: json.dumps(v)[1:-1] for k, v in replacements.items()}


def publish_notebook(
    executed: Path, source: Path, replacements: Mapping[str, str], *, secret: str = ""
) -> Any:
    """The ``source`` notebook with the outputs of its ``executed`` copy (matched by cell id)."""
    run = nbformat.read(str(executed), as_version=4)
    book = nbformat.read(str(source), as_version=4)
    by_id = {cell.get("id"): cell for cell in run.cells if cell.cell_type == "code"}
    count = 0
    for cell in book.cells:
        if cell.cell_type != "code":
            continue
        done = by_id.get(cell.get("id"))
        if done is None:
            raise ConfigError(
                f"{executed.name}: cell {cell.get('id')} of {source.name} was not executed "
                "(the notebook changed since the run)"
            )
        count += 1
        cell["outputs"] = [
            nbformat.from_dict(clean_output(o, replacements)) for o in done.get("outputs", [])
        ]
        cell["execution_count"] = count if done.get("execution_count") is not None else None
    for key in DROPPED_NOTEBOOK_METADATA:
        book.metadata.pop(key, None)
    if secret and len(secret) >= 6 and secret in json.dumps(book, ensure_ascii=False):
        raise ConfigError(f"{executed.name} holds the access token: not published")
    nbformat.validate(book)
    return book


def publish_run(
    run_dir: Path | str,
    notebooks_dir: Path = NOTEBOOKS_DIR,
    *,
    names: Sequence[str] = NOTEBOOK_NAMES,
    replacements: Mapping[str, str] | None = None,
) -> list[Path]:
    """Write the outputs of ``run_dir/notebooks/*`` into ``notebooks_dir``; returns the paths.

    Default replacements turn the run's absolute data and output folders (as the runner
    passed them) into the notebooks' defaults, ``../data`` and ``../output``.
    """
    run = Path(run_dir).resolve()
    executed_dir = RunFolder(run).notebooks
    if not executed_dir.is_dir():
        raise ConfigError(f"{run} has no executed notebooks (run crmkit run or crmkit demo first)")
    swaps = dict(replacements) if replacements is not None else _default_replacements(run)
    secret = os.environ.get("HUBSPOT_ACCESS_TOKEN", "")
    books = [
        (
            notebooks_dir / name,
            publish_notebook(executed_dir / name, notebooks_dir / name, swaps, secret=secret),
        )
        for name in names
    ]
    for path, book in books:  # all checked before any is written
        nbformat.write(book, str(path))
    return [path for path, _ in books]


def _default_replacements(run: Path) -> dict[str, str]:
    """The runner's absolute ``data_dir`` and ``output_dir`` → ``../data`` and ``../output``."""
    swaps = {str(run.parent.parent): "../output"}
    params = nbformat.read(str(RunFolder(run).notebooks / NOTEBOOK_NAMES[0]), as_version=4)
    data_dir = params.metadata.get("papermill", {}).get("parameters", {}).get("data_dir")
    if data_dir:
        swaps[str(data_dir)] = "../data"
    return swaps


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crmkit.notebooks.publish", description=__doc__)
    parser.add_argument("run_dir", help="output/runs/<run_id> of a crmkit run or crmkit demo")
    args = parser.parse_args(argv)
    try:
        for path in publish_run(args.run_dir):
            print(f"wrote {path} ({path.stat().st_size // 1024} KB)")
    except CrmkitError as exc:
        print(f"publish: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
