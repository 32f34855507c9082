"""Shared fixtures of the reliability suite: generated exports and a sandbox token in the env.

The generator lives in ``benchmarks/datasets.py`` (one generator for benchmarks and tests), so
the repository root is put on ``sys.path`` here; crmkit itself is installed in the venv.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.datasets import Dataset, generate_folder  # noqa: E402

MakeDataset = Callable[..., Dataset]


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


def run_cli(token: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m crmkit.cli ARGS` as a user runs it: the token only in the environment."""
    env = {**os.environ, "HUBSPOT_ACCESS_TOKEN": token}
    return subprocess.run(
        [sys.executable, "-m", "crmkit.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
