"""Shared pieces of the failure suite: a small export, the CLI in-process, a restartable sandbox.

The CLI runs in-process (``crmkit.cli.main``) so pandas and Great Expectations are imported
once per session, not once per run; the only test seam is a faster retry policy and timeout
(the production defaults would wait seconds per failed batch), injected where the CLI builds
its ``ImportOptions``. Everything else is real: argparse, the pipeline, HTTP on loopback.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

import crmkit.pipeline
from crmkit.cli import main
from crmkit.hubspot import RetryPolicy
from tests.failures.export import write_export
from tests.support.cli import CliRunner, Ran
from tests.support.sandbox_api import Restartable

FAST_RETRY = RetryPolicy(
    max_attempts=3, base_delay_s=0.01, max_delay_s=0.03, timeout_s=2.0, connect_timeout_s=1.0
)


@pytest.fixture(scope="session")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_export(tmp_path_factory.mktemp("export"))


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's ImportOptions with a quick retry policy and a two-second read timeout."""
    fast = functools.partial(crmkit.pipeline.ImportOptions, retry=FAST_RETRY, timeout_s=2.0)
    monkeypatch.setattr(crmkit.pipeline, "ImportOptions", fast)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """``cli("import", ..., token="t")``: run crmkit's CLI in-process, return code and output."""

    def run(*args: str, token: str | None = None) -> Ran:
        if token is None:
            monkeypatch.delenv("HUBSPOT_ACCESS_TOKEN", raising=False)
        else:
            monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", token)
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    return run


@pytest.fixture
def restartable(tmp_path: Path) -> Iterator[Restartable]:
    portal = Restartable(tmp_path / "portal.sqlite", tier="enterprise", latency_ms=20)
    portal.start()
    try:
        yield portal
    finally:
        portal.stop()
