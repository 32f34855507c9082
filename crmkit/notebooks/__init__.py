"""Batch runs of the notebooks (papermill) and their parameter contract.

``run_notebooks`` is what ``crmkit run`` and ``crmkit demo`` call; ``notebook_parameters`` is
what the contract tests pin.
"""

from crmkit.notebooks.params import REQUIRED_PARAMETERS, notebook_parameters
from crmkit.notebooks.runner import NOTEBOOK_NAMES, NOTEBOOKS_DIR, new_run_id, run_notebooks

__all__ = [
    "NOTEBOOKS_DIR",
    "NOTEBOOK_NAMES",
    "REQUIRED_PARAMETERS",
    "new_run_id",
    "notebook_parameters",
    "run_notebooks",
]
