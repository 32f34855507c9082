"""The journal: states, resume semantics, counters across sessions."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmkit.errors import ConfigError
from crmkit.hubspot.outcome import WriteOutcome
from crmkit.pipeline.journal import BatchRow, Journal, LinkOutcome, RecordRow


def rows(*keys: str, fp: str = "a") -> list[RecordRow]:
    return [
        RecordRow("contacts", k, f"tr-{k}", "file", [("contacts.csv", i + 2)], fp)
        for i, k in enumerate(keys)
    ]


def batch(n: int, **delta: int) -> BatchRow:
    return BatchRow(0.5, "contacts", "upsert", n, n, 0, 1, 0.1, dict(delta))


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    j = Journal(tmp_path / "journal.sqlite")
    j.create_run("r1", {"tier": "free"}, "http://127.0.0.1:1", dry_run=False)
    j.start_session()
    return j


def test_wal_mode_and_run_info_keep_no_secret(journal: Journal) -> None:
    """The journal runs in WAL mode and stores the options it was given, nothing else."""
    mode = journal.conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    info = journal.run_info()
    assert info["options"] == {"tier": "free"}
    assert info["target"] == "http://127.0.0.1:1"


@pytest.mark.parametrize(
    ("state", "pending"),
    [("new", True), ("sent", True), ("created", False), ("updated", False), ("failed", False)],
)
def test_pending_states(journal: Journal, state: str, pending: bool) -> None:
    """Only unsent records and records with an unknown outcome are sent again."""
    journal.add_records(rows("a@x.io"))
    journal.record_batch(batch(1), [WriteOutcome("a@x.io", state, "7")], None)
    assert (journal.pending_keys("contacts") == ["a@x.io"]) is pending


def test_failed_record_resent_only_when_its_data_changed(journal: Journal) -> None:
    """A validation failure stays failed on resume unless the planned data changed."""
    journal.add_records(rows("a@x.io", "b@x.io"))
    journal.record_batch(
        batch(2),
        [
            WriteOutcome("a@x.io", "failed", None, "INVALID_EMAIL", "bad"),
            WriteOutcome("b@x.io", "created", "9"),
        ],
        None,
    )
    assert journal.add_records(rows("a@x.io", "b@x.io")) == 0
    assert journal.pending_keys("contacts") == []
    assert journal.add_records(rows("a@x.io", "b@x.io", fp="changed")) == 1
    assert journal.pending_keys("contacts") == ["a@x.io"]
    again = {r.key: r for r in journal.records("contacts")}
    assert again["a@x.io"].error_category is None
    assert again["b@x.io"].state == "created"


def test_counters_add_up_across_sessions(journal: Journal) -> None:
    """Request counters are kept per session and summed, so a resumed run reports them all."""
    journal.add_records(rows("a@x.io"))
    journal.record_batch(
        batch(1, requests=3), [WriteOutcome("a@x.io", "created", "1")], {"requests": 3}
    )
    journal.start_session()
    journal.save_stats({"requests": 2, "retried": 1}, write_s=1.5)
    totals = journal.totals()
    assert totals["requests"] == 5
    assert totals["retried"] == 1
    assert totals["write_s"] == pytest.approx(1.5)
    assert [b["requests"] for b in journal.batches()] == [3]


def test_batch_is_all_or_nothing(journal: Journal) -> None:
    """A failure while journaling a batch leaves none of its outcomes behind."""
    journal.add_records(rows("a@x.io"))
    with pytest.raises(RuntimeError), journal.transaction() as db:
        db.execute("UPDATE records SET state = 'created'")
        raise RuntimeError("crash mid-batch")
    assert journal.pending_keys("contacts") == ["a@x.io"]


def test_links_and_rollback_marks(journal: Journal) -> None:
    """Created records are listed for rollback once; links keep their state and reason."""
    journal.add_records(rows("a@x.io", "b@x.io"))
    journal.record_batch(
        batch(2),
        [
            WriteOutcome("a@x.io", "created", "1"),
            WriteOutcome("b@x.io", "updated", "2"),
        ],
        None,
    )
    assert journal.created_ids("contacts") == [("a@x.io", "1")]
    journal.mark_rolled_back("contacts", ["a@x.io"])
    assert journal.created_ids("contacts") == []
    assert journal.hubspot_ids("contacts") == {"b@x.io": "2"}
    journal.add_links([("contacts", "b@x.io", "companies", "x.io", "domain")])
    journal.record_links(
        None, [LinkOutcome("contacts", "b@x.io", "companies", "x.io", "failed", "X", "m")], None
    )
    assert journal.link_state_counts() == {"failed": 1}
    assert journal.failure_categories() == {"X": 1}


def test_one_process_per_run(journal: Journal) -> None:
    """A second opener of a run's journal is refused until the first closes it."""
    with pytest.raises(ConfigError, match=r"in use by crmkit process [0-9]+"):
        Journal(journal.path)
    journal.close()
    Journal(journal.path).close()
