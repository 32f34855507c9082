"""Seeded fault injection: the same seed and request order give the same faults."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping

from crmkit.sandbox.options import FAULT_KINDS

ERROR_STATUSES: tuple[int, ...] = (500, 502, 503)


class FaultInjector:
    """Draws at most one fault per request with probability ``rate``, spread by weight."""

    def __init__(self, rate: float, weights: Mapping[str, float], seed: int) -> None:
        self.seed = seed
        self.configure(rate, weights)
        self._rng = random.Random(seed)
        self.injected: Counter[str] = Counter()

    def configure(self, rate: float, weights: Mapping[str, float] | None = None) -> None:
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"fault rate must be between 0 and 1, got {rate}")
        if weights is not None:
            unknown = set(weights) - set(FAULT_KINDS)
            if unknown:
                raise ValueError(f"unknown fault kinds: {sorted(unknown)}")
            self._kinds = [k for k in FAULT_KINDS if weights.get(k, 0) > 0]
            self._weights = [float(weights[k]) for k in self._kinds]
        self.rate = rate

    def draw(self) -> str | None:
        """The fault for the next request, or None."""
        if self.rate <= 0 or not self._kinds:
            return None
        if self._rng.random() >= self.rate:
            return None
        kind = self._rng.choices(self._kinds, self._weights)[0]
        self.injected[kind] += 1
        return kind

    def error_status(self) -> int:
        return self._rng.choice(ERROR_STATUSES)

    def reset(self) -> None:
        """Start the seeded sequence again and forget the counts."""
        self._rng = random.Random(self.seed)
        self.injected.clear()

    def counts(self) -> dict[str, int]:
        return {k: self.injected.get(k, 0) for k in FAULT_KINDS}
