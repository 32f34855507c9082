"""``crmkit demo`` / ``make demo``: the whole tool on the demo data against a local sandbox.

A sandbox with some latency and a few faults is started on a free port, so the report shows
retries and recoveries as a real portal would cause them; the notebooks run against it with
the sandbox's token in this process's environment only for the run (never a papermill
parameter, never left behind), and the sandbox stops when the run ends, even on failure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

from crmkit.errors import ConfigError
from crmkit.notebooks.runner import kernel_environment, run_notebooks
from crmkit.pipeline.runfolder import RunFolder

EXIT_OK = 0
EXIT_INCOMPLETE = 1

DEMO_SANDBOX: Mapping[str, Any] = MappingProxyType(
    {
        "port": 0,
        "latency_ms": 40.0,
        "fault_rate": 0.05,
        # Every fault but the one that hangs past the client's timeout (35 s each): the demo
        # should show recovery, not make a person wait minutes for it.
        "fault_kinds": MappingProxyType(
            {
                "error_before_write": 1.0,
                "error_after_write": 1.0,
                "drop_before_write": 1.0,
                "drop_after_write": 1.0,
                "slow": 1.0,
                "hang_after_write": 0.0,
            }
        ),
        "slow_ms": 400.0,
        "seed": 7,
        # The demo portal's owners, as a real portal has them (users of the account): an owner
        # column resolves against these (crmkit.sources.owners).
        "owners": tuple(
            MappingProxyType(
                {
                    "email": f"{first.lower()}.{last.lower()}@crmkit.test",
                    "firstName": first,
                    "lastName": last,
                }
            )
            for first, last in (("Dana", "Whitfield"), ("Raj", "Patel"), ("Mei", "Chen"))
        ),
    }
)
DEMO_PARAMETERS: Mapping[str, Any] = MappingProxyType({"dry_run": False, "progress": False})


class Sandbox(Protocol):
    base_url: str
    token: str


SandboxFactory = Callable[..., AbstractContextManager[Sandbox]]
Runner = Callable[..., Path]


def _default_sandbox(**options: Any) -> AbstractContextManager[Sandbox]:
    from crmkit.sandbox import running

    context: AbstractContextManager[Sandbox] = running(**options)
    return context


def _status(run_dir: Path) -> str:
    return RunFolder(run_dir).report_status()


def demo(
    data_dir: Path | str = "data",
    output_dir: Path | str = "output",
    *,
    sandbox: SandboxFactory | None = None,
    runner: Runner | None = None,
    say: Callable[[str], None] = print,
) -> int:
    """Run the notebooks on ``data_dir`` against a fresh sandbox; print summary and report path.

    Returns 0 when every valid record landed (status ``complete``), 1 otherwise.
    """
    data = Path(data_dir)
    if not data.is_dir():
        raise ConfigError(f"demo data folder {data} does not exist (make data writes it)")
    open_sandbox = sandbox or _default_sandbox
    run = runner or run_notebooks
    with open_sandbox(**DEMO_SANDBOX) as box:
        say(
            f"sandbox at {box.base_url}: {DEMO_SANDBOX['latency_ms']:.0f} ms latency, "
            f"{DEMO_SANDBOX['fault_rate']:.0%} of requests fail on purpose"
        )
        with kernel_environment({"HUBSPOT_ACCESS_TOKEN": box.token}):
            report = run(
                data,
                target=box.base_url,
                run_id=None,
                params=dict(DEMO_PARAMETERS),
                output_dir=Path(output_dir),
            )
    run_dir = report.parent
    summary = RunFolder(run_dir).summary_txt
    if summary.is_file():
        say(summary.read_text(encoding="utf-8").rstrip())
    else:
        say(f"(no summary.txt in {run_dir})")
    say(f"report: {report}")
    return EXIT_OK if _status(run_dir) == "complete" else EXIT_INCOMPLETE
