"""Reading CRM CSV exports: encoding and delimiter detection, typed errors, row numbers.

Public API: ``read_csv``, ``iter_csv``, ``read_excel``, ``read_table`` (CSV or Excel by
suffix), ``SourceTable`` (see docs/architecture.md).
"""

from crmkit.io.detect import MAX_COLUMNS
from crmkit.io.excel import EXCEL_SUFFIXES, is_excel, read_excel, sheet_names, split_sheet
from crmkit.io.reader import SourceTable, header_notes, iter_csv, read_csv
from crmkit.io.scan import EMPTY_ROW, RAGGED_ROW
from crmkit.io.tables import read_table

__all__ = [
    "EMPTY_ROW",
    "EXCEL_SUFFIXES",
    "MAX_COLUMNS",
    "RAGGED_ROW",
    "SourceTable",
    "header_notes",
    "is_excel",
    "iter_csv",
    "read_csv",
    "read_excel",
    "read_table",
    "sheet_names",
    "split_sheet",
]
