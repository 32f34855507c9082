"""An import looks at its files once: the placement the CLI prints is the one prepared."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import crmkit.sources
from crmkit.cli import main
from tests.sources.workbooks import write_workbook


def test_an_import_discovers_its_files_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Discovery (which opens every workbook) runs once per import, not once per printout."""
    data = tmp_path / "data"
    data.mkdir()
    write_workbook(
        data / "crm.xlsx",
        {"People": [["First Name", "Email"], ["Ann", "ann@x.test"]]},
    )
    (data / "companies.csv").write_text("Company Name,Website\nAcme,acme.test\n", "utf-8")
    calls: list[Any] = []
    real = crmkit.sources.discover

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(crmkit.sources, "discover", counted)
    monkeypatch.delenv("HUBSPOT_ACCESS_TOKEN", raising=False)
    out = tmp_path / "out"
    code = main(["import", "--data", str(data), "--dry-run", "--output", str(out), "--no-progress"])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "crm.xlsx, sheet People" in printed
    assert len(calls) == 1
