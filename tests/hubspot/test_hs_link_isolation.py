"""Association isolation against a small stand-in for v4's batch semantics.

The stand-in refuses a batch whole (400) when any pair names an unknown record, or answers
207 naming the refused pair when asked to; the HTTP path is covered by the pipeline's
sandbox tests.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from crmkit.errors import AuthError, HubSpotValidationError, ServerError
from crmkit.hubspot.link_isolation import associate_isolated
from crmkit.hubspot.outcome import TRANSIENT_EXHAUSTED
from crmkit.hubspot.responses import BatchResult


class FakeLinks:
    """Records 1-9 exist; ``multi_status`` answers 207 instead of refusing the batch whole."""

    def __init__(self, *, multi_status: bool = False, fail_with: Exception | None = None) -> None:
        self.multi_status = multi_status
        self.fail_with = fail_with
        self.calls: list[int] = []

    def associate(
        self, from_type: str, to_type: str, pairs: Sequence[tuple[str, str]]
    ) -> BatchResult:
        self.calls.append(len(pairs))
        if self.fail_with is not None:
            raise self.fail_with
        bad = [(f, t) for f, t in pairs if not (f.isdigit() and t.isdigit())]
        if bad and not self.multi_status:
            raise HubSpotValidationError("unknown record", status=400, category="VALIDATION_ERROR")
        made = [{"fromObjectId": f, "toObjectId": t} for f, t in pairs if (f, t) not in bad]
        errors = [
            {
                "category": "OBJECT_NOT_FOUND",
                "message": f"{f} not found",
                "context": {"fromObjectId": [f]},
            }
            for f, _ in bad
        ]
        return BatchResult(207 if errors else 200, made, errors)


PAIRS = [("1", "5"), ("2", "5"), ("x", "5"), ("3", "5")]


def test_a_batch_refused_whole_is_split_down_to_the_bad_pair() -> None:
    links = FakeLinks()
    outcomes = associate_isolated(links, "contacts", "companies", PAIRS)
    assert [o.state for o in outcomes] == ["created", "created", "failed", "created"]
    assert outcomes[2].key == "x->5" and outcomes[2].category == "VALIDATION_ERROR"
    assert links.calls[0] == 4 and len(links.calls) > 1


def test_a_multi_status_answer_names_the_refused_pair() -> None:
    outcomes = associate_isolated(FakeLinks(multi_status=True), "contacts", "companies", PAIRS)
    assert [o.state for o in outcomes] == ["created", "created", "failed", "created"]
    assert (outcomes[2].category, outcomes[2].message) == ("OBJECT_NOT_FOUND", "x not found")


def test_exhausted_retries_leave_links_to_send_again() -> None:
    down = FakeLinks(fail_with=ServerError("503", status=503))
    outcomes = associate_isolated(down, "contacts", "companies", PAIRS[:2])
    assert [(o.state, o.category) for o in outcomes] == [("sent", TRANSIENT_EXHAUSTED)] * 2


def test_a_refused_token_stops_the_run() -> None:
    with pytest.raises(AuthError):
        associate_isolated(FakeLinks(fail_with=AuthError("no", status=401)), "a", "b", PAIRS)
