"""The sandbox's knobs, as one frozen value so a run can be described and repeated exactly."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from crmkit.errors import ConfigError
from crmkit.tiers import TIERS, TierLimits

FAULT_KINDS: tuple[str, ...] = (
    "error_before_write",  # 500/502/503 and nothing was written
    "error_after_write",  # 500/502/503 although the write was committed
    "hang_after_write",  # committed, then no answer until long after the client's timeout
    "drop_before_write",  # connection closed without an answer, nothing written
    "drop_after_write",  # connection closed without an answer, write committed
    "slow",  # a normal answer, late
)
"""Every fault the sandbox can inject; the keys of ``SandboxOptions.fault_kinds``."""


def _default_fault_kinds() -> Mapping[str, float]:
    return MappingProxyType(dict.fromkeys(FAULT_KINDS, 1.0))


@dataclass(frozen=True)
class SandboxOptions:
    """How one sandbox server behaves.

    ``window_s`` scales HubSpot's ten-second rolling window for benchmarks (same allowed count,
    shorter window). ``search_lag_ms`` makes search eventually consistent: records created
    within that time are not found yet, as on HubSpot. ``hang_s`` is how long a "hang past
    the client's timeout" fault holds its answer. ``clock`` (monotonic seconds) is injectable
    so rate-limit tests never sleep. ``owners`` (``{"email", "firstName", "lastName"}`` each,
    or a CSV/JSON file's path) seeds the portal's owners, again after every reset.
    """

    host: str = "127.0.0.1"
    port: int = 0
    db: str = ":memory:"
    token: str | None = None
    tier: str = "professional"
    latency_ms: float = 0.0
    jitter: float = 0.3
    fault_rate: float = 0.0
    fault_kinds: Mapping[str, float] = field(default_factory=_default_fault_kinds)
    hang_s: float = 35.0
    slow_ms: float = 2000.0
    seed: int = 0
    window_s: float = 10.0
    daily_limit: int | None = None
    search_per_s: int = 5
    search_lag_ms: float = 0.0
    clock: Callable[[], float] | None = None
    owners: Sequence[Mapping[str, str]] | str | Path = ()

    def __post_init__(self) -> None:
        if isinstance(self.owners, (str, Path)):
            from crmkit.sandbox.owners import load_owners_file

            object.__setattr__(self, "owners", tuple(load_owners_file(self.owners)))
        if self.tier not in TIERS:
            raise ConfigError(f"unknown tier {self.tier!r}; choose one of {', '.join(TIERS)}")
        if not 0.0 <= self.fault_rate <= 1.0:
            raise ConfigError(f"fault rate must be between 0 and 1, got {self.fault_rate}")
        unknown = set(self.fault_kinds) - set(FAULT_KINDS)
        if unknown:
            raise ConfigError(f"unknown fault kinds {sorted(unknown)}; known: {FAULT_KINDS}")
        if any(w < 0 for w in self.fault_kinds.values()):
            raise ConfigError("fault kind weights must not be negative")
        if self.window_s <= 0:
            raise ConfigError(f"window_s must be positive, got {self.window_s}")
        if self.latency_ms < 0 or self.hang_s < 0 or self.slow_ms < 0:
            raise ConfigError("latency_ms, hang_s and slow_ms must not be negative")
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"port must be 0..65535, got {self.port}")

    @property
    def seed_owners(self) -> tuple[Mapping[str, str], ...]:
        """``owners`` as a tuple of mappings (a path was read when the options were made)."""
        if isinstance(self.owners, (str, Path)):
            return ()
        return tuple(self.owners)

    @property
    def limits(self) -> TierLimits:
        """The tier's limits with ``daily_limit`` applied."""
        base = TIERS[self.tier]
        if self.daily_limit is None:
            return base
        return TierLimits(base.per_window, self.daily_limit)
