"""Content hashes of a run's inputs, recorded at planning and checked on resume.

A resume sends what the saved plan says. If a file of the data folder (or the mapping file)
changed since, the plan no longer describes it: the resume is refused, naming the file,
unless ``--replan`` asks for a new plan from the files as they are now. Inputs that are all
gone do not stop a resume: the plan holds every record it sends.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from crmkit.errors import ConfigError

if TYPE_CHECKING:
    from crmkit.pipeline.options import ImportOptions

_CHUNK = 1 << 20


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def input_hashes(options: ImportOptions) -> dict[str, str]:
    """sha256 of every visible file at the top of the data folder (or of the one file
    ``--data`` names), of each ``--companies/--contacts/--tickets`` file and of the mapping file.

    Keys are the data folder's file names, and the other files' absolute paths.
    """
    hashes: dict[str, str] = {}
    data_dir = options.data_dir
    if data_dir is not None and Path(data_dir).is_dir():
        hashes = {
            path.name: file_hash(path)
            for path in sorted(Path(data_dir).iterdir())
            if path.is_file() and not path.name.startswith((".", "~$"))
        }
    others = [Path(file) for _, file in options.sources]
    if data_dir is not None and Path(data_dir).is_file():  # --data may name one file
        others.append(Path(data_dir))
    if options.mapping_file is not None:
        others.append(Path(options.mapping_file))
    for path in others:
        if path.is_file():
            hashes[str(path.resolve())] = file_hash(path)
    return hashes


def changed_inputs(recorded: dict[str, str], now: dict[str, str]) -> list[str]:
    """What differs: ``'contacts.csv' (changed)``, ``(removed)``, ``(new)``; empty when same."""
    out = []
    for name in sorted(recorded.keys() | now.keys()):
        if name not in now:
            out.append(f"{name} (removed)")
        elif name not in recorded:
            out.append(f"{name} (new)")
        elif recorded[name] != now[name]:
            out.append(f"{name} (changed)")
    return out


def check_inputs_unchanged(
    run_id: str, recorded: dict[str, str] | None, options: ImportOptions
) -> None:
    """Refuse a resume whose inputs changed since the plan (see the module's docstring)."""
    if recorded is None:
        return
    now = input_hashes(options)
    if not now:  # the folder and files are gone: the plan holds what is left to send
        return
    changed = changed_inputs(recorded, now)
    if changed:
        where = f" in {options.data_dir}" if options.data_dir else ""
        raise ConfigError(
            f"cannot resume {run_id!r}: its inputs changed since it was planned:"
            f" {', '.join(changed)}{where}. Restore them, or resume with --replan to plan"
            " again from the files as they are now (records whose data changed are sent again)"
        )
