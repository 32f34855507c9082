"""report.html from real runs: the demo data into a sandbox that fails a fifth of requests.

The page must read as a manager's document (outcome, then what needs attention, then charts,
then the appendix), every figure on it must be report.json's, and nothing of the tools behind
it (notebook prose, code, pandas indexes, validation check names) may show.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from crmkit.report.outcome import file_outcomes, run_outcome
from crmkit.report.page import write_page
from tests.support.real_runs import faulty_sandbox, import_demo, page_figures, visible_text


@pytest.fixture(scope="module")
def real_page(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two imports of data/ into one faulty sandbox; the page of the second."""
    out = tmp_path_factory.mktemp("page") / "output"
    with faulty_sandbox() as box, pytest.MonkeyPatch.context() as mp:
        mp.setenv("HUBSPOT_ACCESS_TOKEN", box.token)
        import_demo(box, out, "first")
        run_dir = import_demo(box, out, "second")
        page = write_page(run_dir)
    html = page.read_text(encoding="utf-8")
    report = json.loads((run_dir / "report.json").read_text(encoding="utf-8"))
    summary = (run_dir / "summary.txt").read_text(encoding="utf-8")
    return {
        "html": html,
        "text": visible_text(html),
        "report": report,
        "summary": summary,
        "figures": page_figures(html),
        "token": box.token,
    }


def title_of(fig: dict[str, Any]) -> str:
    """The title and its explanation as one line (wrapped with <br> on the chart)."""
    return str(fig["layout"]["title"]["text"]).replace("<br>", " ")


def figure(real_page: dict[str, Any], prefix: str) -> dict[str, Any]:
    return next(f for f in real_page["figures"] if title_of(f).startswith(prefix))


def test_the_faults_happened(real_page: dict[str, Any]) -> None:
    """The sandbox really failed requests, so the page reports a run with retries."""
    assert real_page["report"]["requests"]["retried"] > 0


def test_outcome_first_then_attention_then_charts_then_appendix(real_page: dict[str, Any]) -> None:
    text = real_page["text"]
    order = ["Rows read", "What needs attention", "Charts", "Technical appendix"]
    positions = [text.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert text.index("Landed without some values") < text.index("What needs attention")
    assert text.index("Portal:") < text.index("What needs attention")


def test_outcome_table_is_report_json_and_the_summary(real_page: dict[str, Any]) -> None:
    """Each file's counts, and the headline, are report.json's; summary.txt says the same."""
    report, html = real_page["report"], real_page["html"]
    for o in file_outcomes(report):
        objects = report["objects"][o.object_type]
        assert o.rows == objects["rows"]
        assert o.landed == objects["rows"] - objects["rejected"] - objects["failed"]
        line = f"{o.file}: {o.landed} of {o.rows} rows landed ({o.landed_without_some_values}"
        assert line in real_page["summary"]  # the summary's per-file line, same numbers
        row = re.search(rf'<tr data-object="{o.object_type}">(.*?)</tr>', html, re.S)
        assert row is not None
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in row.group(1).split("</td>")][:-1]
        numbers = [int(c.replace(",", "")) for c in cells[2:]]
        assert numbers == [
            objects["rows"],
            o.landed,
            objects["landed_partial"],
            objects["rejected"],
            objects["failed"],
            objects["duplicates"],
        ]
    total = run_outcome(report)
    assert f"{total.landed:,} of {total.rows:,} rows landed" in real_page["text"]
    rate = f"{100 * (total.success_rate or 0):.1f} %"
    assert f"Success rate: {rate}" in real_page["summary"]
    assert rate in real_page["text"]


def test_requests_chart_states_report_json_totals(real_page: dict[str, Any]) -> None:
    """The legend's totals are report.json's, and the bars add up to them (no lost requests)."""
    requests = real_page["report"]["requests"]
    fig = figure(real_page, "Requests sent")
    assert title_of(fig).startswith(f"Requests sent: {requests['total']:,} <sup>")
    names = {t["name"].split(" (")[0]: t for t in fig["data"]}
    expected = {
        "requests": "total",
        "retries": "retried",
        "429 rate limited": "rate_limited",
        "server errors": "server_errors",
    }
    for label, key in expected.items():
        assert names[label]["name"].endswith(f"({requests[key]:,})")
    assert sum(names["requests"]["y"]) == requests["total"]
    assert sum(names["retries"]["y"]) == requests["retried"]
    timeline = real_page["report"]["timeline"]
    assert sum(s["requests"] for s in timeline) == requests["total"]


def test_every_other_chart_states_report_json(real_page: dict[str, Any]) -> None:
    report = real_page["report"]
    errors = report["errors_by_category"]
    reasons = figure(real_page, "Rows to fix by reason")
    assert title_of(reasons) == f"Rows to fix by reason: {sum(errors.values()):,}"
    bar = reasons["data"][0]
    assert {c[0]: x for c, x in zip(bar["customdata"], bar["x"], strict=True)} == errors

    outcome = figure(real_page, "Where each source row went")
    for trace in outcome["data"]:
        names = {"merged duplicates": "duplicates", "unchanged (already there)": "unchanged"}
        key = names.get(trace["name"], trace["name"])
        for count, object_type in trace["customdata"]:
            assert count == report["objects"][object_type].get(key, 0)

    links = figure(real_page, "Links between records")
    assert (
        title_of(links) == f"Links between records: {report['associations']['planned']:,} planned"
    )
    bars = links["data"][0]
    assert (
        dict(zip(bars["x"], bars["y"], strict=True))["created"] == report["associations"]["created"]
    )

    written = figure(real_page, "Records written")
    assert f"Run average {report['records_per_s']:,.0f} records/s" in title_of(written)
    assert f"Tier ceiling {report['ceiling_records_per_s']:,.0f} records/s" in title_of(written)
    landed = sum(sum(t["y"]) for t in written["data"] if t["name"] == "landed")
    batches = [b for b in report["batches"] if b["action"] == "upsert"]
    assert landed == sum(b["succeeded"] for b in batches)
    file_landed = sum(o["created"] + o["updated"] for o in report["objects"].values())
    assert landed >= file_landed  # plus the contacts made from tickets' emails


def test_a_short_run_draws_batches_and_history_groups_this_folder(
    real_page: dict[str, Any],
) -> None:
    titles = [title_of(f) for f in real_page["figures"]]
    assert any(t.startswith("Records written per batch") for t in titles)
    history = figure(real_page, "Runs of data into this portal")
    assert [x.split(" · ")[-1] for x in history["data"][0]["x"]] == ["first", "second"]
    assert len(titles) == len(set(titles))  # no chart twice


def test_values_left_out_are_listed_by_reason(real_page: dict[str, Any]) -> None:
    """Rows that landed without some values: each value, why, and the count per reason."""
    text, report = real_page["text"], real_page["report"]
    for category, count in report["values_by_category"].items():
        assert f"{count} value(s)" in text and category in text
    partial = sum(o["landed_partial"] for o in report["objects"].values())
    if partial:  # the headline names them (a re-import of unchanged records has none)
        assert f"({partial:,} without some values)" in text


def test_rows_to_fix_are_grouped_by_reason_in_plain_words(real_page: dict[str, Any]) -> None:
    text, errors = real_page["text"], real_page["report"]["errors_by_category"]
    assert f"The email address is not valid: {errors['INVALID_EMAIL']} row(s)" in text
    assert f"A required value is empty: {errors['MISSING_REQUIRED']} row(s)" in text
    assert "INVALID_EMAIL" in text  # the code, in its own column
    assert "name: a value is required" in text


@pytest.mark.parametrize(
    "forbidden",
    [
        "expect_column",  # Great Expectations check names
        "Leave `run_id`",  # notebook instructions
        "run_id = ",
        "import crmkit",
        "from crmkit",
        "…",  # a message cut short
        "Unnamed: 0",
        "NaN",
    ],
)
def test_no_tool_identifiers_in_the_visible_text(real_page: dict[str, Any], forbidden: str) -> None:
    assert forbidden not in real_page["text"]


def test_no_token_and_no_network(real_page: dict[str, Any]) -> None:
    from crmkit.report.html import find_network_references

    assert real_page["token"] not in real_page["html"]
    assert find_network_references(real_page["html"]) == []


def test_a_run_folder_without_report_json_still_gets_a_page(tmp_path: Path) -> None:
    page = write_page(tmp_path, problem="01_validate.ipynb stopped: ValueError: odd folder")
    text = visible_text(page.read_text(encoding="utf-8"))
    assert "The run did not finish: 01_validate.ipynb stopped: ValueError: odd folder" in text
    assert "has no report.json yet" in text


def test_values_csv_lines_are_grouped_and_whole_column_decisions_kept(tmp_path: Path) -> None:
    from crmkit.report.attention import values_left_out

    (tmp_path / "values.csv").write_text(
        "file,row,key,column,property,value,reason,action\n"
        "c.csv,39,k,Employees,numberofemployees,about 250,"
        "INVALID_NUMBER: 'about 250' is not a number,left out\n"
        "c.csv,0,,Company ID,,,looks like an internal id: not imported,column not imported\n",
        encoding="utf-8",
    )
    groups = {g.category: g for g in values_left_out(tmp_path / "values.csv")}
    assert groups["INVALID_NUMBER"].rows[0].message == "'about 250' is not a number"
    assert groups["INVALID_NUMBER"].reason == "The number cannot be read"
    decided = groups["COLUMN_DECISION"].rows[0]
    assert decided.message == "looks like an internal id: not imported" and decided.row == 0


def test_a_values_csv_with_only_its_header_lists_nothing(tmp_path: Path) -> None:
    from crmkit.report.attention import values_left_out

    (tmp_path / "values.csv").write_text(
        "file,row,key,column,property,value,reason,action\n", encoding="utf-8"
    )
    assert values_left_out(tmp_path / "values.csv") == []
