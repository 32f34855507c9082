"""Writing the offline page: the token scrubbed, network references found, atomic writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmkit.report.html import find_network_references, write_offline_page
from crmkit.report.page import write_page

TOKEN = "pat-na1-fakeaaaa-1111-bbbb-2222-cccc3333dddd"


def test_the_token_is_redacted_with_a_warning(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="redacted"):
        path = write_offline_page(
            f"<p>token is {TOKEN}</p>", tmp_path / "out" / "r.html", secrets=[TOKEN]
        )
    assert path.read_text(encoding="utf-8") == "<p>token is [REDACTED]</p>"
    assert not list(path.parent.glob("*.partial"))


def test_the_report_page_reads_the_token_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A token that reached errors.csv's messages never reaches the page."""
    (tmp_path / "errors.csv").write_text(
        f"file,row,key,stage,category,message\nc.csv,2,,import,AUTH,token {TOKEN} refused\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", TOKEN)
    with pytest.warns(UserWarning, match="redacted"):
        path = write_page(tmp_path)
    assert TOKEN not in path.read_text(encoding="utf-8")


def test_the_report_page_refers_to_nothing_on_the_network(tmp_path: Path) -> None:
    assert find_network_references(write_page(tmp_path).read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ('<script src="https://cdn.example/require.js"></script>', True),
        ("<script src='//cdn.example/x.js'></script>", True),
        ('<link rel="stylesheet" href="http://fonts.example/css">', True),
        ('<img src="https://example.com/a.png">', True),
        ("<style>@import url('https://fonts.example/x.css');</style>", True),
        ("<style>body { background: url(https://x.example/a.png) }</style>", True),
        ('<script type="text/javascript">var u = "https://plot.ly";</script>', False),
        ('<img src="data:image/png;base64,AAAA">', False),
        ('<a href="https://hubspot.com">docs</a>', False),
    ],
)
def test_find_network_references(html: str, found: bool) -> None:
    assert bool(find_network_references(html)) is found
