"""The labelled table of real export headers (tests/data/export_headers.json): how often the
automatic mapping lands where a migrating analyst would, and whether it ever guesses wrong."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from crmkit.mapping import auto_map

TABLE = Path(__file__).resolve().parents[1] / "data" / "export_headers.json"
REQUIRED_ACCURACY = 0.97


@cache
def header_sets() -> list[dict[str, Any]]:
    return list(json.loads(TABLE.read_text(encoding="utf-8"))["sets"])


def _acceptable(answer: Any) -> set[str | None]:
    return set(answer) if isinstance(answer, list) else {answer}


@dataclass
class Score:
    columns: int = 0
    right: int = 0
    wrong_maps: list[str] = field(default_factory=list)  # mapped where unmapped was also right
    misses: list[str] = field(default_factory=list)
    unfilled: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.columns if self.columns else 0.0


@cache
def score() -> Score:
    out = Score()
    for s in header_sets():
        mapping = auto_map(s["columns"], s["object_type"], samples=s.get("samples"))
        got = mapping.to_dict()
        for col in s["columns"]:
            ok = _acceptable(s["answers"].get(col))
            out.columns += 1
            want = sorted(ok, key=str)
            line = (
                f"{s['id']}: {col!r} -> {got[col]!r} (want {want}; {mapping.columns[col].reason})"
            )
            if got[col] in ok:
                out.right += 1
            elif None in ok:
                out.wrong_maps.append(line)
            else:
                out.misses.append(line)
        filled = set(got.values())
        out.unfilled += [
            f"{s['id']}: nothing fills {p!r}" for p in s.get("fills", []) if p not in filled
        ]
    return out


def test_table_covers_many_real_systems() -> None:
    """At least 25 systems and 1,000 columns, each header set naming where it came from."""
    sets = header_sets()
    assert len({s["system"] for s in sets}) >= 25
    assert sum(len(s["columns"]) for s in sets) >= 1000
    assert all(s["source"] for s in sets)


def test_accuracy_on_real_export_headers(capsys: pytest.CaptureFixture[str]) -> None:
    """Columns land on an acceptable answer at least 97% of the time."""
    sc = score()
    with capsys.disabled():
        print(
            f"\nheader table: {sc.right}/{sc.columns} acceptable = {sc.accuracy:.4f}; "
            f"wrong maps {len(sc.wrong_maps)}; misses {len(sc.misses)}"
        )
        for line in sc.misses:
            print("  miss:", line)
    assert sc.accuracy >= REQUIRED_ACCURACY


def test_no_wrong_guess_where_unmapped_was_right(capsys: pytest.CaptureFixture[str]) -> None:
    """A column whose right answer is "unmapped or X" never lands on something else."""
    sc = score()
    with capsys.disabled():
        for line in sc.wrong_maps:
            print("  wrong map:", line)
    assert sc.wrong_maps == []


def test_each_set_fills_what_it_must() -> None:
    assert score().unfilled == []
