"""Plan, import, journal, resume, roll back and report one run (see docs/architecture.md).

The stages are separate functions so the notebooks can run them one cell at a time; the CLI's
``crmkit import`` calls :func:`run_import`, which chains them; notebook 03 calls
:func:`run_stages` (the write stages with the CLI's stop handling) between its cells.
"""

from crmkit.pipeline.associate import import_associations
from crmkit.pipeline.options import ImportOptions, ImportResult
from crmkit.pipeline.rollback import rollback
from crmkit.pipeline.run import Run, finish_run, start_run
from crmkit.pipeline.stages import guarded, import_objects, plan_run, run_import, run_stages

__all__ = [
    "ImportOptions",
    "ImportResult",
    "Run",
    "finish_run",
    "guarded",
    "import_associations",
    "import_objects",
    "plan_run",
    "rollback",
    "run_import",
    "run_stages",
    "start_run",
]
