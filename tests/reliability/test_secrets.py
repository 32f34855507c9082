"""Secrets: after full runs the access token is in no file, log or page crmkit wrote; the
sandbox refuses a missing or wrong token, and crmkit says so without echoing it.

The token is a realistic private-app token (``pat-na1-…``), distinctive enough that a search
for it (and for its longest half, in case something truncates it) cannot match by chance.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from crmkit.sandbox import running
from tests.support.cli import REPO, MakeDataset, run_cli


def a_token() -> str:
    hexes = secrets.token_hex(16)
    return f"pat-na1-{hexes[:8]}-{hexes[8:12]}-{hexes[12:16]}-{hexes[16:20]}-{hexes[20:]}"


def needles(token: str) -> list[bytes]:
    """The token, its secret part, and each half of that: a truncated leak counts too."""
    secret = token.removeprefix("pat-na1-")
    half = len(secret) // 2
    return [token.encode(), secret.encode(), secret[:half].encode(), secret[half:].encode()]


def files_under(*roots: Path) -> Iterator[Path]:
    for root in roots:
        if root.is_dir():
            yield from (p for p in root.rglob("*") if p.is_file())


def leaks(token: str, paths: Iterator[Path], texts: dict[str, str]) -> list[str]:
    """Every file (read as bytes, SQLite and HTML included) or text that holds the token."""
    found: list[str] = []
    wanted = needles(token)
    for path in paths:
        data = path.read_bytes()
        found += [f"{path}: {n[:6]!r}…" for n in wanted if n in data]
    for name, text in texts.items():
        found += [f"{name}: {n[:6]!r}…" for n in wanted if n in text.encode()]
    return found


def test_token_is_in_no_output_after_a_faulty_import(
    make_dataset: MakeDataset, tmp_path: Path
) -> None:
    """`crmkit import` with faults (errors, drops, retries, so error paths run too): the run
    folder, the journal, stdout and stderr hold no trace of the token; nor does notebooks/."""
    token = a_token()
    data = make_dataset(20, 200, 100, seed=9)
    out = tmp_path / "out"
    kinds = {"error_before_write": 1.0, "error_after_write": 1.0, "drop_before_write": 1.0}
    with running(token=token, tier="enterprise", fault_rate=0.2, fault_kinds=kinds, seed=4) as box:
        done = run_cli(
            token,
            "import",
            "--data",
            str(data.folder),
            "--target",
            box.base_url,
            "--output",
            str(out),
            "--run-id",
            "secret",
            "--no-progress",
        )
        assert sum(box.stats()["faults"].values()) > 0
    assert done.returncode == 0, done.stderr
    written = list(files_under(out))
    assert any(p.name == "journal.sqlite" for p in written) and len(written) >= 5
    texts = {"stdout": done.stdout, "stderr": done.stderr}
    assert leaks(token, iter([*written, *files_under(REPO / "notebooks")]), texts) == []


@pytest.mark.slow
def test_token_is_in_no_notebook_or_report_html(make_dataset: MakeDataset, tmp_path: Path) -> None:
    """The notebook path (`crmkit run`: papermill, nbconvert, report.html) leaves the token in
    no executed notebook, no HTML page and no log."""
    token = a_token()
    data = make_dataset(10, 60, 40, seed=9)
    out = tmp_path / "out"
    with running(token=token, tier="enterprise") as box:
        done = run_cli(
            token, "run", "--data", str(data.folder), "--target", box.base_url, "--output", str(out)
        )
    assert done.returncode == 0, done.stderr[-2000:]
    written = list(files_under(out))
    assert any(p.suffix == ".html" for p in written)
    assert any(p.suffix == ".ipynb" for p in written)
    texts = {"stdout": done.stdout, "stderr": done.stderr}
    assert leaks(token, iter(written), texts) == []


@pytest.mark.parametrize(
    ("header", "why"),
    [
        (None, "no Authorization header"),
        ("Bearer ", "an empty token"),
        ("Bearer pat-na1-fake0000-0000-0000-0000-000000000000", "another portal's token"),
        ("Basic dXNlcjpwYXNz", "not a bearer token"),
    ],
)
def test_sandbox_refuses_a_missing_or_wrong_token(header: str | None, why: str) -> None:
    """401 INVALID_AUTHENTICATION for reads and writes alike, and nothing is written."""
    with running(token=a_token()) as box:
        headers = {"Authorization": header} if header is not None else {}
        url = f"{box.base_url}/crm/v3/objects/contacts"
        read = requests.get(url, headers=headers, timeout=10)
        write = requests.post(
            f"{url}/batch/upsert",
            headers=headers,
            json={"inputs": [{"id": "a@x.example", "idProperty": "email", "properties": {}}]},
            timeout=10,
        )
        held = box.stats()["records"]
    for answer in (read, write):
        assert answer.status_code == 401, why
        assert answer.json()["category"] == "INVALID_AUTHENTICATION"
        sent = (header or "").partition(" ")[2]
        if sent:
            assert sent not in answer.text
    assert sum(held.values()) == 0


def test_import_with_a_wrong_token_stops_with_one_line_and_no_echo(
    make_dataset: MakeDataset, tmp_path: Path
) -> None:
    """`crmkit import` with the wrong token: exit 2, one stderr line, the token not in it, and
    the sandbox holds nothing."""
    data = make_dataset(20, 200, 100, seed=9)
    wrong = a_token()
    with running(token=a_token()) as box:
        done = run_cli(
            wrong,
            "import",
            "--data",
            str(data.folder),
            "--target",
            box.base_url,
            "--output",
            str(tmp_path / "out"),
            "--run-id",
            "wrong",
            "--no-progress",
        )
        held = box.stats()["records"]
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("crmkit: ") and "Traceback" not in done.stderr
    assert leaks(wrong, files_under(tmp_path / "out"), {"stderr": done.stderr}) == []
    assert sum(held.values()) == 0
