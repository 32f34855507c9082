"""`crmkit --version` names the installed package version, so bug reports can say which."""

from __future__ import annotations

import pytest

from crmkit import __version__
from crmkit.cli import main


def test_version_flag_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--version exits 0 and prints `crmkit <version>`."""
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"crmkit {__version__}"
