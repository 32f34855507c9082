"""Fixtures for the sandbox tests: one server per module, wiped before every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crmkit.sandbox import RunningSandbox, running
from tests.support.sandbox_api import Api


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    with running(tier="enterprise") as sb:
        yield sb


@pytest.fixture
def api(sandbox: RunningSandbox) -> Iterator[Api]:
    sandbox.reset()
    client = Api(sandbox)
    yield client
    client.session.close()
