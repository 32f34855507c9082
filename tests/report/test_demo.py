"""crmkit demo's orchestration: sandbox up, token only during the run, summary and path out."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crmkit.demo import DEMO_SANDBOX, demo
from crmkit.errors import ConfigError

TOKEN = "sandbox-token-for-demo-test"


@dataclass
class FakeSandbox:
    base_url: str = "http://127.0.0.1:5999"
    token: str = TOKEN


class Recorder:
    """Stands in for the sandbox and run_notebooks, and remembers what it was given."""

    def __init__(self, status: str, fail: bool = False) -> None:
        self.status = status
        self.fail = fail
        self.events: list[str] = []
        self.options: dict[str, Any] = {}
        self.call: dict[str, Any] = {}

    @contextmanager
    def sandbox(self, **options: Any) -> Iterator[FakeSandbox]:
        self.options = options
        self.events.append("start")
        try:
            yield FakeSandbox()
        finally:
            self.events.append("stop")

    def runner(self, data_dir: Path, **kwargs: Any) -> Path:
        self.events.append("run")
        self.call = {"data_dir": data_dir, "env_token": os.environ.get("HUBSPOT_ACCESS_TOKEN")}
        self.call |= kwargs
        if self.fail:
            raise ConfigError("notebook stopped")
        run_dir = Path(kwargs["output_dir"]) / "runs" / "demo-1"
        run_dir.mkdir(parents=True)
        (run_dir / "report.json").write_text(json.dumps({"status": self.status}))
        (run_dir / "summary.txt").write_text("contacts: 10 created\n")
        (run_dir / "report.html").write_text("<html></html>")
        return run_dir / "report.html"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    return tmp_path / "data"


@pytest.mark.parametrize(("status", "code"), [("complete", 0), ("incomplete", 1), ("odd", 1)])
def test_demo_runs_against_the_sandbox_and_prints_summary_and_path(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, status: str, code: int
) -> None:
    monkeypatch.delenv("HUBSPOT_ACCESS_TOKEN", raising=False)
    fake = Recorder(status)
    lines: list[str] = []
    result = demo(
        data_dir, tmp_path / "out", sandbox=fake.sandbox, runner=fake.runner, say=lines.append
    )
    assert result == code
    assert fake.events == ["start", "run", "stop"]
    assert fake.options["latency_ms"] > 0 and 0 < fake.options["fault_rate"] < 0.2
    assert fake.call["env_token"] == TOKEN
    assert fake.call["target"] == "http://127.0.0.1:5999"
    assert fake.call["params"] == {"dry_run": False, "progress": False}
    assert TOKEN not in json.dumps(fake.call["params"])
    assert "HUBSPOT_ACCESS_TOKEN" not in os.environ
    assert "contacts: 10 created" in lines
    assert lines[-1] == f"report: {tmp_path / 'out' / 'runs' / 'demo-1' / 'report.html'}"


def test_demo_stops_the_sandbox_and_restores_the_environment_on_failure(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", "the-users-own")
    fake = Recorder("complete", fail=True)
    with pytest.raises(ConfigError):
        demo(data_dir, tmp_path / "out", sandbox=fake.sandbox, runner=fake.runner, say=print)
    assert fake.events == ["start", "run", "stop"]
    assert os.environ["HUBSPOT_ACCESS_TOKEN"] == "the-users-own"


def test_demo_without_data_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="make data"):
        demo(tmp_path / "nope", tmp_path / "out", sandbox=Recorder("x").sandbox)


def test_demo_sandbox_options_are_valid_for_the_real_sandbox() -> None:
    """The demo's knobs must be accepted by SandboxOptions (no typo in a fault kind)."""
    from crmkit.sandbox import SandboxOptions

    options = SandboxOptions(**DEMO_SANDBOX)
    assert options.fault_kinds["hang_after_write"] == 0.0
    assert [o["email"] for o in options.seed_owners] == [
        "dana.whitfield@crmkit.test",
        "raj.patel@crmkit.test",
        "mei.chen@crmkit.test",
    ]
