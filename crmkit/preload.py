"""Import Great Expectations in a background thread while the run reads files and connects.

``import great_expectations`` costs 4–6 s of a process (altair, jsonschema's format grammars,
scipy), and validation is the first thing that needs it, long after the command started: the
CSV is read, mapped and coerced, the portal's schema is fetched. Starting the import at once
on a daemon thread lets those overlap; validation's own ``import`` then finds the module done
or waits for the rest of it (Python's import lock makes the two one import, never two). A
failure here is ignored: validation imports the module again and reports any real error.

About a quarter of that import is one grammar: altair (imported by one GX expectation's
renderer) imports jsonschema, whose optional "iri" format checker compiles rfc3987-syntax's
lark grammar at import. crmkit validates no JSON-schema "iri" formats, so the command-line
import marks that optional module absent (jsonschema skips the checker, as it does when the
package is not installed) unless something imported it already.
"""

from __future__ import annotations

import sys
import threading

_started: threading.Thread | None = None


def start_gx_import() -> threading.Thread:
    """Begin importing Great Expectations in the background (once per process)."""
    global _started
    if _started is None:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
        _started = threading.Thread(target=_import_gx, name="crmkit-gx-import", daemon=True)
        _started.start()
    return _started


def _import_gx() -> None:
    try:
        import great_expectations  # noqa: F401
    except Exception:  # validation imports it again and reports the error where it matters
        return
