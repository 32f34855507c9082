"""Plan, import, journal, resume, roll back and report one run (see docs/architecture.md).

The stages are separate functions so the notebooks can run them one cell at a time; the CLI's
``crmkit import`` calls :func:`run_import`, which chains them.
"""

from crmkit.pipeline.associate import import_associations
from crmkit.pipeline.options import ImportOptions, ImportResult
from crmkit.pipeline.rollback import rollback
from crmkit.pipeline.run import Run, finish_run, start_run
from crmkit.pipeline.stages import import_objects, plan_run, run_import

__all__ = [
    "ImportOptions",
    "ImportResult",
    "Run",
    "finish_run",
    "import_associations",
    "import_objects",
    "plan_run",
    "rollback",
    "run_import",
    "start_run",
]
