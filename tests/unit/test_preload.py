"""Great Expectations imported in the background: once per process, and usable after."""

from __future__ import annotations

import sys

from crmkit.preload import start_gx_import


def test_the_background_import_runs_once_and_leaves_the_module_ready() -> None:
    first = start_gx_import()
    assert start_gx_import() is first
    first.join(timeout=120)
    assert not first.is_alive()
    assert "great_expectations" in sys.modules
