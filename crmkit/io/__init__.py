"""Reading CRM CSV exports: encoding and delimiter detection, typed errors, row numbers.

Public API: ``read_csv``, ``iter_csv``, ``SourceTable`` (see docs/architecture.md).
"""

from crmkit.io.detect import MAX_COLUMNS
from crmkit.io.reader import SourceTable, iter_csv, read_csv
from crmkit.io.scan import EMPTY_ROW, RAGGED_ROW

__all__ = ["EMPTY_ROW", "MAX_COLUMNS", "RAGGED_ROW", "SourceTable", "iter_csv", "read_csv"]
