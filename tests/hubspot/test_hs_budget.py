"""Budget use: the limiter spends the whole window when the portal says it is there, and yields
to another app of the same portal. Simulated time (hs_budget_sim), no real sleeps."""

from __future__ import annotations

import pytest

from crmkit.hubspot.limiter import RateLimiter
from crmkit.hubspot.policy import RateLimitPolicy
from tests.hubspot.hs_budget_sim import Client, Neighbour, Portal, simulate
from tests.support.clock import FakeClock

WINDOW = 10.0


def limiter_for(clock: FakeClock, tier: str = "free") -> RateLimiter:
    """The production limiter of a tier (its 5 % margin included) on a fake clock."""
    policy = RateLimitPolicy.for_tier(tier, window_s=WINDOW)
    return RateLimiter.for_policy(policy, clock=clock, sleep=clock.sleep)


def per_window(starts: list[float], t0: float) -> list[int]:
    """Calls started in each window [t0 + k·W, t0 + (k+1)·W)."""
    counts: dict[int, int] = {}
    for start in starts:
        counts[int((start - t0) // WINDOW)] = counts.get(int((start - t0) // WINDOW), 0) + 1
    return [counts.get(k, 0) for k in range(max(counts) + 1)]


def test_alone_the_first_window_is_spent_at_once_then_a_full_window_every_ten_seconds(
    clock: FakeClock,
) -> None:
    """500 calls at 100 per 10 s: 100 at once, then 100 per window, the last at about 40 s."""
    t0 = clock()
    portal = Portal(100, WINDOW)
    client = Client(limiter_for(clock), calls=500)
    simulate(clock, portal, client)
    assert client.refused == 0
    assert per_window(client.starts, t0) == [100, 100, 100, 100, 100]
    # A window's first call leaves one round trip after the portal freed the slot: nothing
    # can tell us sooner that a call sent a window ago was counted on arrival.
    assert client.starts[100] - client.starts[0] == pytest.approx(WINDOW + client.round_trip_s)


def test_without_headers_the_margin_and_a_round_trip_per_window_are_kept(
    clock: FakeClock,
) -> None:
    """A portal that sends no rate-limit headers: 95 per window, stamped from completion."""
    t0 = clock()
    portal = Portal(100, WINDOW)
    client = Client(limiter_for(clock), calls=300, headers=False)
    simulate(clock, portal, client)
    assert client.refused == 0
    assert per_window(client.starts, t0)[:2] == [95, 95]
    assert client.starts[95] - client.starts[0] == pytest.approx(WINDOW + client.round_trip_s)


def test_the_margin_is_dropped_once_a_header_says_what_others_spend(clock: FakeClock) -> None:
    limiter = limiter_for(clock)
    assert limiter.limit == 95
    limiter.observe({"X-HubSpot-RateLimit-Max": "100", "X-HubSpot-RateLimit-Remaining": "100"})
    assert limiter.limit == 100


def test_the_gate_lets_calls_start_as_soon_as_the_portal_frees_them(clock: FakeClock) -> None:
    """The ledger is full (two calls answered a moment ago) but the header says 2 remain."""
    limiter = RateLimiter(2, WINDOW, clock=clock, sleep=clock.sleep)
    first, second = limiter.acquire(), limiter.acquire()
    sent = clock()
    clock.advance(0.2)
    limiter.release(first)
    limiter.release(second)
    assert limiter.try_acquire() is None
    # A later answer, to a call sent after both were answered, says the window is empty
    # (those two arrived long ago by the portal's clock): two may go now, not a third.
    clock.advance(WINDOW)
    limiter.observe(
        {"X-HubSpot-RateLimit-Max": "2", "X-HubSpot-RateLimit-Remaining": "2"},
        sent_at=clock() - 0.1,
        ours=False,
    )
    assert limiter.state().gate == 2
    assert limiter.try_acquire() is not None and limiter.try_acquire() is not None
    assert limiter.try_acquire() is None
    assert sent < clock()


def test_the_gate_does_not_count_calls_the_header_may_have_missed(clock: FakeClock) -> None:
    """Remaining 5, but 3 of our calls were in flight when it was written: 2 may go."""
    limiter = RateLimiter(10, WINDOW, clock=clock, sleep=clock.sleep)
    answered = limiter.acquire()
    sent_at = clock()
    others = [limiter.acquire() for _ in range(3)]
    clock.advance(0.15)
    limiter.release(answered)
    limiter.observe(
        {"X-HubSpot-RateLimit-Max": "10", "X-HubSpot-RateLimit-Remaining": "5"}, sent_at=sent_at
    )
    assert limiter.state().gate == 2
    assert len(others) == 3


@pytest.mark.parametrize("share", [0.5, 0.3])
def test_a_neighbour_spending_part_of_the_budget_gets_it_and_we_get_the_rest(
    clock: FakeClock, share: float
) -> None:
    """Another app already sends ``share`` of the window, evenly: a handful of 429s at most,
    for either app, and our throughput is about what it leaves."""
    t0 = clock() + 2 * WINDOW
    portal = Portal(100, WINDOW)
    client = Client(limiter_for(clock), calls=400, start_s=t0)
    neighbour = Neighbour(every_s=WINDOW / (100 * share), until_s=t0 + 200.0)
    simulate(clock, portal, client, neighbour)
    assert client.refused + neighbour.refused <= 5
    windows = per_window(client.starts, t0)
    steady = windows[1:-1]
    assert steady, windows
    left = 100 * (1 - share)
    assert all(left * 0.85 <= n <= left * 1.1 for n in steady), windows


def test_a_neighbour_that_stops_gives_the_whole_window_back(clock: FakeClock) -> None:
    """A window after its last call the neighbour's share is ours again."""
    t0 = clock() + 2 * WINDOW
    portal = Portal(100, WINDOW)
    client = Client(limiter_for(clock), calls=500, start_s=t0)
    neighbour = Neighbour(every_s=0.2, until_s=t0 + 15.0)
    simulate(clock, portal, client, neighbour)
    assert client.refused + neighbour.refused <= 5
    assert per_window(client.starts, t0)[-2] >= 95
