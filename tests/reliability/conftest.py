"""Shared fixtures of the reliability suite: generated exports and a sandbox token in the env.

The generator lives in ``benchmarks/datasets.py``: one generator for benchmarks and tests.
"""

from __future__ import annotations

import pytest

from benchmarks.datasets import Dataset, generate_folder
from tests.support.cli import MakeDataset


@pytest.fixture(scope="session")
def make_dataset(tmp_path_factory: pytest.TempPathFactory) -> MakeDataset:
    """Generate (once per session and size) a data folder with ~5% planted dirt."""
    made: dict[tuple[int, int, int, int], Dataset] = {}

    def make(companies: int, contacts: int, tickets: int, *, seed: int = 3) -> Dataset:
        key = (companies, contacts, tickets, seed)
        if key not in made:
            folder = tmp_path_factory.mktemp(f"data-{companies}-{contacts}-{tickets}-{seed}")
            made[key] = generate_folder(
                folder, companies=companies, contacts=contacts, tickets=tickets, seed=seed
            )
        return made[key]

    return make
