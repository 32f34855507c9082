"""Bad input corpus through `crmkit import --dry-run`: a clear one-line error (exit 2) or
row-level rejections and left-out values with every row accounted for; nothing hostile reaches
errors.csv or values.csv as a live formula, or the report's HTML tables unescaped.

Every case runs through the CLI's ``main`` in-process (fast, and any uncaught exception fails
the test, as it would print a traceback); a sample also runs as real subprocesses to check the
exit codes and stderr a user sees.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from crmkit.cli import main
from crmkit.report import failed_rows_table
from tests.reliability.corpus import CASES, Case

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
OBJECT_OF = {"contacts.csv": "contacts", "tickets.csv": "tickets", "companies.csv": "companies"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One data folder per case, holding only that case's file."""
    root = tmp_path_factory.mktemp("corpus")
    folders: dict[str, Path] = {}
    for case in CASES:
        folder = root / case.name
        folder.mkdir()
        (folder / case.file).write_bytes(case.data())
        folders[case.name] = folder
    return folders


def dry_run_args(folder: Path, out: Path) -> list[str]:
    return [
        "import",
        "--data",
        str(folder),
        "--dry-run",
        "--run-id",
        "bad",
        "--output",
        str(out),
        "--no-progress",
    ]


def test_the_corpus_is_big_enough() -> None:
    """At least twenty distinct files, errors and row-level cases both represented."""
    assert len({c.name for c in CASES}) == len(CASES) >= 20
    assert sum(1 for c in CASES if c.error) >= 8 and sum(1 for c in CASES if c.rows) >= 8


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_file_gives_a_clear_error_or_row_rejections(
    case: Case, corpus: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """File-level problems: exit 2 and one line naming the problem. Row-level problems: exit 0,
    rows = rejected + duplicates + planned, and the row count of the file as written."""
    out = tmp_path / "out"
    code = main(dry_run_args(corpus[case.name], out))
    stdout, stderr = capsys.readouterr()
    assert "Traceback" not in stdout + stderr
    if case.error is not None:
        lines = stderr.strip().splitlines()
        assert code == 2, stdout
        assert len(lines) == 1 and lines[0].startswith("crmkit: "), stderr
        assert case.error.lower() in lines[0].lower()
        assert len(lines[0]) < 400  # a sentence, not a dump of the file
        return
    assert code == 0, stderr
    run_dir = out / "runs" / "bad"
    report = json.loads((run_dir / "report.json").read_text())
    counts = report["objects"][OBJECT_OF[case.file]]
    assert counts["rows"] == case.rows
    assert counts["rows"] == counts["rejected"] + counts["duplicates"] + counts["planned"]
    assert counts["rejected"] >= case.rejected_at_least
    assert counts["values_dropped"] >= case.dropped_at_least
    plan = json.loads((run_dir / "plan.json").read_text())
    assert len(plan["records"].get(OBJECT_OF[case.file], [])) >= counts["planned"]
    cells = read_cells(run_dir / "errors.csv")
    rows_listed = {(c["file"], c["row"]) for c in cells}
    assert len(rows_listed) >= counts["rejected"]
    assert_no_live_formula(run_dir / "errors.csv")
    assert_no_live_formula(run_dir / "values.csv")
    assert_escaped_in_html(run_dir / "errors.csv", case.hostile)


def read_cells(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def assert_no_live_formula(path: Path) -> None:
    """A spreadsheet must never see a cell it would run: = + - @ tab CR are prefixed."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        for row in csv.reader(fh):
            for cell in row:
                assert not cell.startswith(FORMULA_STARTS), f"live formula in errors.csv: {cell!r}"


def assert_escaped_in_html(errors_csv: Path, hostile: tuple[str, ...]) -> None:
    """The report notebook shows ``failed_rows_table(errors.csv)``: its HTML must escape."""
    html = failed_rows_table(errors_csv).head(25).to_html()
    for value in hostile:
        if value.startswith("<"):
            assert value not in html
    assert "<script" not in html.lower() and "<img" not in html.lower()


def test_hostile_values_are_reported_and_neutralised(
    corpus: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The hostile cells are in errors.csv (rows rejected) or values.csv (values left out of
    rows that land), prefixed with ' where they start like a formula, and escaped in the HTML
    table."""
    out = tmp_path / "out"
    for name in ("formula_injection", "script_in_tickets"):
        assert main(dry_run_args(corpus[name], out / name)) == 0
        capsys.readouterr()
    run = out / "formula_injection" / "runs" / "bad"
    formulas = read_cells(run / "errors.csv")
    values = [c["value"] for c in formulas]
    left_out = [c["value"] for c in read_cells(run / "values.csv")]
    assert "'=1+1" in left_out  # the lifecycle stage "=1+1": an unknown option, left out
    assert any(v.startswith("'=HYPERLINK(") for v in values)
    assert any(v.startswith("'+cmd") for v in values) and any(v.startswith("'@SUM") for v in values)
    scripts = out / "script_in_tickets" / "runs" / "bad" / "values.csv"
    assert any("<script>" in c["value"] for c in read_cells(scripts))
    html = failed_rows_table(scripts).to_html()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


SUBPROCESS_CASES = ("empty", "binary_png", "ten_thousand_columns", "semicolons")


def test_the_cli_as_a_user_runs_it(corpus: dict[str, Path], tmp_path: Path) -> None:
    """Real processes: exit 2 and one stderr line for file errors, exit 0 for a readable file,
    never a traceback. Started together so the interpreter start-up is paid once in wall time."""
    expected = {c.name: c for c in CASES if c.name in SUBPROCESS_CASES}
    children = {
        name: subprocess.Popen(
            [sys.executable, "-m", "crmkit.cli", *dry_run_args(corpus[name], tmp_path / name)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in SUBPROCESS_CASES
    }
    for name, child in children.items():
        stdout, stderr = child.communicate(timeout=240)
        assert "Traceback" not in stdout + stderr, name
        if expected[name].error is not None:
            assert child.returncode == 2, (name, stderr)
            assert len(stderr.strip().splitlines()) == 1, (name, stderr)
        else:
            assert child.returncode == 0, (name, stderr)
