"""JSON and NDJSON exports as tables: the shapes Zendesk writes, and their typed errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmkit.errors import CsvError, ExportFileError
from crmkit.sources.jsonrecords import read_json


def test_an_api_page_is_read_from_its_collection(tmp_path: Path) -> None:
    """``{"tickets": [...], "next_page": …}``: rows numbered from 1, lists joined, nesting
    one level deep, lists of objects left to the export's reader."""
    path = tmp_path / "tickets.json"
    path.write_text(
        '{"tickets": [{"id": 1, "tags": ["a", "b"], "via": {"channel": "web"}, '
        '"comments": [{"body": "x"}], "solved": true, "assignee_id": null}], "next_page": null}',
        encoding="utf-8",
    )
    table = read_json(path)
    assert table.frame.index.tolist() == [1]
    assert table.frame.loc[1].to_dict() == {
        "id": "1", "tags": "a;b", "via.channel": "web", "solved": "true", "assignee_id": "",
    }  # fmt: skip


def test_ndjson_rows_are_its_lines_and_a_bad_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "users.json"
    path.write_text('{"id": 1, "name": "Ann"}\n\n{"id": 2, "name": "Bo"}\n', encoding="utf-8")
    assert read_json(path).frame.index.tolist() == [1, 3]
    path.write_text('{"id": 1}\n{"id": 2,\n', encoding="utf-8")
    with pytest.raises(CsvError) as info:
        read_json(path)
    assert isinstance(info.value, ExportFileError)
    assert info.value.row == 2 and info.value.kind == "malformed"


@pytest.mark.parametrize(
    ("text", "kind"),
    [("", "empty"), ("[1, 2]", "malformed"), ("[]", "header_only"),
     ('{"tickets": [], "next_page": null, "count": 0}', "header_only")],
)  # fmt: skip
def test_files_without_records_get_typed_errors(tmp_path: Path, text: str, kind: str) -> None:
    path = tmp_path / "organizations.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ExportFileError) as info:
        read_json(path)
    assert info.value.kind == kind
