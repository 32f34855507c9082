"""A small data folder with one known bad row per file, and a sandbox for real runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.notebooks.small_export import write_folder


@pytest.fixture
def small_data(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "data")


@pytest.fixture(scope="module")
def module_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_folder(tmp_path_factory.mktemp("nbdata") / "data")


@pytest.fixture
def clean_token_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("HUBSPOT_ACCESS_TOKEN", raising=False)
    yield
