"""The one exception tree of crmkit.

Every error crmkit raises on purpose derives from :class:`CrmkitError`, so front ends (CLI,
notebooks) can turn a user's mistake into a clear message instead of a traceback::

    CrmkitError
    ├── InputError                 the user's files or options are wrong (never transient)
    │   ├── CsvError               a CSV cannot be read: names file, row, column
    │   │   ├── WorkbookError      an Excel workbook: corrupt, password-protected, no such sheet
    │   │   └── ExportFileError    a JSON/NDJSON or zipped export (Zendesk, Salesforce) is malformed
    │   ├── MappingError           a mapping file is malformed or names unknown properties
    │   └── ConfigError            bad option, missing token, an old API key, unknown run id
    │       ├── SourcesError       the data folder's files cannot be placed: name them
    │       └── RunFinished        ``--resume`` of a run that has nothing left to do
    ├── HubSpotError               an answer from HubSpot (or the sandbox) that is not success
    │   ├── AuthError              401 / 403
    │   ├── RateLimitError         429; ``policy`` is TEN_SECONDLY_ROLLING, SECONDLY or DAILY
    │   ├── HubSpotValidationError 400 VALIDATION_ERROR and other 4xx the input caused
    │   ├── ConflictError          409 CONFLICT; ``existing_id`` when HubSpot names it
    │   ├── NotFoundError          404
    │   ├── ServerError            5xx (transient)
    │   ├── TransportError         timeout, dropped connection (transient)
    │   │   └── UnreachableError   nothing answers at the target: refused, unknown host, TLS
    │   └── NotAnApiError          the target answers, but not as HubSpot's JSON API does
    ├── DailyLimitReached          the portal's daily budget is spent: stop cleanly, resume later
    ├── NotebookError              a notebook run by ``crmkit run`` stopped at a cell
    └── InternalError              crmkit broke its own invariant (e.g. row accounting): a bug

Each error keeps the fields that made it and says whether retrying may help (``transient``);
a HubSpotError with ``stops_run`` means no later call can succeed either (the token is refused,
nothing answers), so an import stops at once instead of failing every remaining batch.
"""

from __future__ import annotations

from typing import Any


class CrmkitError(Exception):
    """Root of every deliberate crmkit error."""

    transient: bool = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(CrmkitError):
    """The user's input (files, options, mapping) is wrong; fix it and run again."""


class CsvError(InputError):
    """A CSV file cannot be read; says which file, row and column when known."""

    def __init__(
        self,
        message: str,
        *,
        file: str,
        row: int | None = None,
        column: str | None = None,
        kind: str = "unreadable",
    ) -> None:
        where = file
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")
        self.file = file
        self.row = row
        self.column = column
        self.kind = kind


class WorkbookError(CsvError):
    """An Excel workbook cannot be read (``kind``: ``corrupt``, ``encrypted``, ``no_sheet``,
    or a header kind shared with CSV); a CsvError so every front end treats it as one."""

    def __init__(self, message: str, *, file: str, sheet: str | None = None, **kw: Any) -> None:
        super().__init__(message, file=file, **kw)
        self.sheet = sheet


class ExportFileError(CsvError):
    """A JSON / NDJSON export file or an export's zip cannot be read (``kind``: ``malformed``,
    ``corrupt``, ``empty``); names the file and, for NDJSON, the line."""


class MappingError(InputError):
    """A mapping (file or override) is malformed or names something the portal lacks."""


class ConfigError(InputError):
    """An option, the environment or a run id is wrong."""


class SourcesError(ConfigError):
    """The data folder cannot be resolved into companies, contacts and tickets on its own.

    ``unplaced`` lists ``(file, reason)``; the message asks for ``--companies/--contacts/
    --tickets FILE``, which always win over what was guessed.
    """

    def __init__(self, message: str, *, unplaced: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.unplaced = unplaced or []


class RunFinished(ConfigError):
    """``--resume`` named a run that finished: nothing is sent again; ``status`` says how it
    ended (report.json's status), so the CLI can exit 0 for a complete run."""

    def __init__(self, message: str, *, run_id: str, status: str | None) -> None:
        super().__init__(message)
        self.run_id = run_id
        self.status = status


class HubSpotError(CrmkitError):
    """A non-success answer from the HubSpot API (or the sandbox)."""

    attempts: int = 1
    """HTTP attempts the call made before this error was final (set by the client)."""

    stops_run: bool = False
    """No later call to this portal can succeed either: an import stops (resumably) at once."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        category: str | None = None,
        correlation_id: str | None = None,
        body: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.category = category
        self.correlation_id = correlation_id
        self.body = body or {}


class AuthError(HubSpotError):
    """The token is missing, wrong or lacks scopes."""

    stops_run = True


class RateLimitError(HubSpotError):
    """429: the portal's rate budget is spent for now."""

    transient = True

    def __init__(self, message: str, *, policy: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.policy = policy
        if policy == "DAILY":
            self.transient = False


class HubSpotValidationError(HubSpotError):
    """The input was refused (400 and other caller errors); retrying cannot help."""


class ConflictError(HubSpotError):
    """409: a unique value exists already on another record."""

    def __init__(self, message: str, *, existing_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.existing_id = existing_id


class NotFoundError(HubSpotError):
    """404: the object or path does not exist."""


class ServerError(HubSpotError):
    """5xx: HubSpot failed; the write may or may not have been committed."""

    transient = True


class TransportError(HubSpotError):
    """No answer: timeout or dropped connection; the write may have been committed."""

    transient = True


class UnreachableError(TransportError):
    """Nothing answers at the target (connection refused, unknown host, TLS mismatch).

    Retried like any transport error (a restarting server comes back), but once the retries
    are spent the run stops: every later call would fail the same way.
    """

    stops_run = True


class NotAnApiError(HubSpotError):
    """The target answers, but with something that is not HubSpot's JSON API (an HTML login
    or proxy page, a web site): the URL is wrong or a proxy is in the way."""

    stops_run = True


class DailyLimitReached(CrmkitError):
    """The portal's daily request budget is spent; the run stops and can be resumed."""


class InternalError(CrmkitError):
    """crmkit broke one of its own invariants (e.g. rows not accounted for): a bug, not input."""


class NotebookError(CrmkitError):
    """A notebook run by ``crmkit run`` stopped at a cell; the executed notebook shows where."""

    def __init__(
        self,
        message: str,
        *,
        notebook: str,
        ename: str = "",
        evalue: str = "",
        executed_path: str | None = None,
        report_path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.notebook = notebook
        self.ename = ename
        self.evalue = evalue
        self.executed_path = executed_path
        self.report_path = report_path
